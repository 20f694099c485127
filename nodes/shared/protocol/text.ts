const LINE_BREAK = /\r\n|\r|\n/g;
// XML 1.0 Char production, minus the line breaks the protocol rewrites: C0 controls other than tab,
// the non-characters U+FFFE/U+FFFF, and surrogates that are not part of a pair.
const XML_FORBIDDEN =
	// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- as above
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// The same two sets without the lone-surrogate part (String.prototype.isWellFormed answers that), for the common case
// of a clean text: a plain character class is several times faster than the lookarounds.
// eslint-disable-next-line no-control-regex -- as above
const XML_FORBIDDEN_UNITS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex -- as above
const ANY_CONTROL_UNITS = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

/** The SMS document: the XML carries no raw line break; line breaks in data are written as the two characters `\n`. */
export function encodeLineBreaks(text: string): string {
	return text.replace(LINE_BREAK, '\\n');
}

export interface ForbiddenCharacter {
	/** 1-based position counted in characters (code points), as a user would count. */
	position: number;
	codePoint: string;
}

/** The first character XML 1.0 cannot carry in a text (line breaks and tab are allowed). */
export function findXmlForbiddenCharacter(text: string): ForbiddenCharacter | undefined {
	return isClean(text, XML_FORBIDDEN_UNITS) ? undefined : locate(text, XML_FORBIDDEN);
}

/** The first control character (line breaks and tab included) in a value that must be a single plain line. */
export function findControlCharacter(text: string): ForbiddenCharacter | undefined {
	return isClean(text, ANY_CONTROL_UNITS) ? undefined : locate(text, ANY_CONTROL);
}

const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/** No unit of the set and no lone surrogate (when the runtime cannot tell, the full pattern decides). */
function isClean(text: string, units: RegExp): boolean {
	return isWellFormed !== undefined && isWellFormed.call(text) && !units.test(text);
}

/**
 * A value as the protocol writes it: line breaks as `\n` where the field may hold them; anything XML cannot carry
 * (or, in single-line fields, any control character) is a caller's bug, caught here as a last guard.
 */
export function protocolText(field: string, value: string, singleLine = false): string {
	const encoded = singleLine ? value : encodeLineBreaks(value);
	const forbidden = singleLine ? findControlCharacter(encoded) : findXmlForbiddenCharacter(encoded);
	if (forbidden) throw new Error(`${field} has a ${describeForbiddenCharacter(forbidden)} that cannot be sent`);
	return encoded;
}

export function describeForbiddenCharacter({ position, codePoint }: ForbiddenCharacter): string {
	return `character ${codePoint} at position ${position}`;
}

function locate(text: string, pattern: RegExp): ForbiddenCharacter | undefined {
	const match = pattern.exec(text);
	if (!match) return undefined;
	const unit = match[0].charCodeAt(0);
	return {
		position: [...text.slice(0, match.index)].length + 1,
		codePoint: 'U+' + unit.toString(16).toUpperCase().padStart(4, '0'),
	};
}
