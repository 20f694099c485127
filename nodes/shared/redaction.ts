/**
 * Hides secrets (passwords) in texts that are shown or stored: error messages, descriptions, provider texts.
 * Pure: no n8n imports, no I/O.
 *
 * A reply may echo the request, so a secret is looked for in every form a request or reply can carry it in:
 * - plain;
 * - XML-escaped: `&amp; &lt; &gt; &quot; &apos;` and numeric references (`&#39;`, `&#x27;`, `&#X27;`, leading
 *   zeros, hex digits in either case), character by character, so attribute and element-text escaping and any mix;
 * - JSON-escaped: `\"`, `\\`, `\/` (PHP's json_encode), `\b \f \n \r \t`, and `\uXXXX` (either case) for any
 *   character, surrogate pairs for characters beyond U+FFFF (JSON.stringify, PHP's non-ASCII escaping);
 * - URL-encoded: each UTF-8 byte as `%XX` (either case), a space as `%20` or `+` (encodeURIComponent,
 *   URLSearchParams and form encoding, PHP's urlencode and rawurlencode);
 * - base64 of the secret's UTF-8 bytes, standard (`+/`, where `+` and `/` may also appear as `%2B`, `%2F`, and `/`
 *   as `\/` when a base64 text sits in PHP JSON) and URL-safe (`-_`), padded or not, with a line break (CRLF, LF,
 *   or their JSON-escaped `\r\n` / `\n`) allowed between any two characters, as 76-column MIME and PHP chunk_split
 *   wrapping inserts them:
 *   - alone: the whole encoding of the secret, standing on its own (no base64 character right before or after);
 *   - inside a longer base64 text, at each of the three byte alignments: only the characters fully determined by the
 *     secret's own bytes (its "core"), and where the longer text ends with the secret, the last partial character
 *     and the padding as well.
 *
 * Minimum length: cores shorter than {@link MIN_EMBEDDED_BASE64_CORE} characters (48 bits) are not looked for
 * inside longer texts. A shorter core is a short run of letters and digits that ordinary base64 text (an email body,
 * a signature, a token) contains by chance: a 4-character core matches random base64 once per 16 million
 * characters, which a multi-megabyte reply reaches; 8 characters make a chance match negligible (2^-48 per
 * position). A secret of at least 7 UTF-8 bytes has cores of 8 or more characters at every alignment (6 bytes give
 * 8 characters at alignment 0 only). Plain, escaped and URL-encoded forms, and the base64 of the secret alone, are
 * always redacted, whatever their length.
 *
 * Each of these is looked for of the secret as a request carries it, too (XML- and JSON-escaped): a reply that
 * echoes a request may encode its escaped form once more.
 *
 * Every occurrence is replaced with `***`. Forms that overlap (two secrets, or two occurrences of one) are merged
 * into one `***`, so no part of a secret is left behind; adjacent occurrences stay separate (`******`). All forms
 * of all secrets are compiled into one regular expression per secret set (cached), so a text is scanned once;
 * each form begins with a definite character, so a scan costs a few steps per character of text.
 */

export const REDACTED = '***';

/** Base64 cores inside a longer base64 text shorter than this are not redacted (see the module comment). */
export const MIN_EMBEDDED_BASE64_CORE = 8;

type Redact = (text: string) => string;

const CACHE_SIZE = 16;
const cache = new Map<string, Redact>();

/** A function that replaces every form of every non-empty secret in a text with `***`. */
export function redactor(secrets: readonly string[]): Redact {
	const unique = [...new Set(secrets.filter((secret) => typeof secret === 'string' && secret !== ''))].sort();
	if (unique.length === 0) return (text) => text;
	const key = JSON.stringify(unique);
	const cached = cache.get(key);
	if (cached) return cached;
	const redact = compile(unique);
	cache.set(key, redact);
	if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
	return redact;
}

/**
 * A row of output with the provider's texts redacted: the string values of `fields` where given, else every string
 * value but those of digits alone (ids, phones, counts), which a short all-digit secret could match by chance.
 */
export function redactTexts<T extends object>(row: T, secrets: readonly string[], fields?: ReadonlyArray<keyof T>): T {
	const redact = redactor(secrets);
	const shown = { ...row } as Record<string, unknown>;
	for (const key of (fields ?? Object.keys(row)) as string[]) {
		const value = shown[key];
		if (typeof value === 'string' && (fields !== undefined || !/^\d*$/.test(value))) shown[key] = redact(value);
	}
	return shown as T;
}

/**
 * The secret as a request carries it: as typed, XML-escaped (the SMS, OTP and email XML requests) and JSON-escaped
 * (the email JSON request). A reply that echoes the request holds one of these, and may encode it once more — an
 * HTML page escaping the JSON body, base64 of the whole XML body — so every encoding is looked for of each.
 */
function carriedForms(secret: string): string[] {
	const xml = secret
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
	return [...new Set([secret, xml, JSON.stringify(secret).slice(1, -1)])];
}

/**
 * One form of a secret: a sequence of elements (each a list of alternative regular expression sources, every one
 * starting with one literal UTF-16 unit), joined by `separator`, then `suffix`. `alone`: no base64 character may
 * come right before it.
 */
interface Form {
	elements: string[][];
	separator: string;
	suffix: string;
	alone?: string;
	/** The shortest text it matches, to try longer forms first. */
	length: number;
}

/**
 * One regular expression for all forms, factored by the first UTF-16 unit of every alternative so that at each
 * position of the text only the forms that can start with its character are tried.
 */
function compile(secrets: readonly string[]): Redact {
	const forms = secrets
		.flatMap(carriedForms)
		.flatMap((secret) => [escapedForm(secret), ...base64Forms(secret)]);
	const byFirstUnit = new Map<string, Map<string, number>>();
	for (const form of forms) {
		const [first, ...others] = form.elements;
		const rest = others.map((element) => form.separator + group(element)).join('') + form.suffix;
		for (const alternative of first) {
			const unit = alternative.startsWith('\\u') ? alternative.slice(0, 6) : alternative.slice(0, 1);
			const after = form.alone === undefined ? '' : `(?<![${form.alone}]${WRAP}${alternative})`;
			const source = alternative.slice(unit.length) + after + rest;
			const alternatives = byFirstUnit.get(unit) ?? new Map<string, number>();
			alternatives.set(source, Math.max(alternatives.get(source) ?? 0, form.length));
			byFirstUnit.set(unit, alternatives);
		}
	}
	const source = [...byFirstUnit.entries()]
		.map(([unit, alternatives]) => {
			const rests = [...alternatives.entries()].sort((a, b) => b[1] - a[1]).map(([rest]) => rest);
			return rests.length === 1 ? unit + rests[0] : `${unit}(?:${rests.join('|')})`;
		})
		.join('|');
	// The leading class lets the engine skip, with one test, every position where no form can start.
	const pattern = new RegExp(`(?=[${[...byFirstUnit.keys()].join('')}])(?:${source})`, 'g');
	return (text: string) => {
		if (typeof text !== 'string' || text === '') return text;
		pattern.lastIndex = 0;
		let result = '';
		let copied = 0;
		let start = -1;
		let end = -1;
		for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
			const matchEnd = match.index + match[0].length;
			if (match.index < end) {
				end = Math.max(end, matchEnd);
			} else {
				if (start >= 0) {
					result += text.slice(copied, start) + REDACTED;
					copied = end;
				}
				start = match.index;
				end = matchEnd;
			}
			// Look again from the next character: a later match may overlap this one and reach further.
			pattern.lastIndex = match.index + 1;
		}
		if (start < 0) return text;
		return result + text.slice(copied, start) + REDACTED + text.slice(end);
	};
}

function group(alternatives: readonly string[]): string {
	return alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join('|')})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain, XML-, JSON- and URL-escaped: one element of alternatives per character of the secret.

const XML_NAMED: Readonly<Record<string, string>> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };
const JSON_SHORT: Readonly<Record<string, string>> = {
	'"': '"',
	'\\': '\\',
	'/': '/',
	'\b': 'b',
	'\f': 'f',
	'\n': 'n',
	'\r': 'r',
	'\t': 't',
};

function escapedForm(secret: string): Form {
	const characters = [...secret];
	return { elements: characters.map(characterForms), separator: '', suffix: '', length: secret.length };
}

/** The ways one character (a code point, or a lone surrogate) can be written; longest first, itself last. */
function characterForms(character: string): string[] {
	const codePoint = character.codePointAt(0) ?? 0;
	const forms: string[] = [];
	// XML: named and numeric references.
	const named = XML_NAMED[character];
	if (named) forms.push(literal(`&${named};`));
	forms.push(`${literal('&#')}0*${codePoint.toString(10)}${literal(';')}`);
	forms.push(`${literal('&#')}[xX]0*${anyCaseHex(codePoint.toString(16))}${literal(';')}`);
	// JSON: \uXXXX (a surrogate pair beyond U+FFFF) and the short escapes.
	forms.push([...Array(character.length).keys()].map((index) => literal('\\u') + anyCaseHex(hex4(character.charCodeAt(index)))).join(''));
	const short = JSON_SHORT[character];
	if (short) forms.push(literal('\\' + short));
	// URL: the UTF-8 bytes as %XX; a space also as +. A lone surrogate has no UTF-8 form.
	if (!isLoneSurrogate(character)) {
		forms.push([...Buffer.from(character, 'utf8')].map((byte) => literal('%') + anyCaseHex(hex2(byte))).join(''));
	}
	if (character === ' ') forms.push(literal('+'));
	forms.push(literal(character));
	return forms;
}

// ---------------------------------------------------------------------------------------------------------------
// Base64.

/**
 * Both alphabets at once: a standard character also matches its URL-safe counterpart (`+`/`-`, `/`/`_`), so one
 * form serves both (a text that mixes them is no less the secret).
 */
const LETTERS = 'A-Za-z0-9+/\\-_';

/** Between any two characters of a wrapped base64 text: CRLF or LF, raw or JSON-escaped. */
const WRAP = `(?:\\r?\\n|${literal('\\r\\n')}|${literal('\\n')})?`;
/** Bytes before the secret at alignments 0, 1, 2 → leading characters that also depend on them. */
const MIXED_LEADING = [0, 2, 3];

function base64Forms(secret: string): Form[] {
	const bytes = Buffer.from(secret, 'utf8');
	const forms: Form[] = [];
	const notAfter = `(?!${WRAP}[${LETTERS}])`;
	for (const aligned of [0, 1, 2]) {
		const encoded = Buffer.concat([Buffer.alloc(aligned), bytes]).toString('base64');
		const coreEnd = Math.floor((8 * (aligned + bytes.length)) / 6);
		const core = encoded.slice(MIXED_LEADING[aligned], coreEnd);
		const tail = encoded.slice(coreEnd).replace(/=+$/, '');
		const padding = encoded.length - coreEnd - tail.length;
		const paddingSource = padding > 0 ? `(?:${WRAP}${Array(padding).fill(group(base64Character('='))).join(WRAP)})?` : '';
		const ending = { elements: base64Elements(core + tail), separator: WRAP, suffix: paddingSource + notAfter };
		if (core.length >= MIN_EMBEDDED_BASE64_CORE) {
			// At the end of a longer text (or alone), then anywhere inside one.
			if (tail !== '') forms.push({ ...ending, length: core.length + tail.length });
			forms.push({ elements: base64Elements(core), separator: WRAP, suffix: '', length: core.length });
		} else if (aligned === 0) {
			// A short secret's own encoding, standing alone: always redacted, whatever its length.
			forms.push({ ...ending, alone: LETTERS, length: core.length + tail.length });
		}
	}
	return forms;
}

function base64Elements(text: string): string[][] {
	return [...text].map(base64Character);
}

/** A standard base64 character, also as URL-safe, URL-encoded (`%2B`, `%2F`, `%3D`) or JSON-escaped (`\\/`). */
function base64Character(character: string): string[] {
	if (character === '+') return [literal('%2') + '[bB]', literal('+'), literal('-')];
	if (character === '/') return [literal('%2') + '[fF]', literal('\\/'), literal('/'), literal('_')];
	if (character === '=') return [literal('%3') + '[dD]', literal('=')];
	return [literal(character)];
}

// ---------------------------------------------------------------------------------------------------------------

/** A regular expression source matching exactly `text`: every UTF-16 unit as `\uXXXX` (the pattern has no `u` flag). */
function literal(text: string): string {
	let source = '';
	for (let index = 0; index < text.length; index++) {
		const unit = text.charCodeAt(index);
		source += /[A-Za-z0-9]/.test(text[index]) ? text[index] : '\\u' + hex4(unit);
	}
	return source;
}

/** Hex digits where each letter matches in either case: `e9` → `[eE]9`. */
function anyCaseHex(hex: string): string {
	return [...hex.toLowerCase()].map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join('');
}

function hex2(value: number): string {
	return value.toString(16).padStart(2, '0');
}

function hex4(value: number): string {
	return value.toString(16).padStart(4, '0');
}

function isLoneSurrogate(character: string): boolean {
	const unit = character.charCodeAt(0);
	return character.length === 1 && unit >= 0xd800 && unit <= 0xdfff;
}
