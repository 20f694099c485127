/**
 * Every form a secret can take in a text that echoes it (DESIGN.md, "Passwords"): plain, XML-escaped, JSON-escaped
 * (JSON.stringify's own and the \uXXXX forms), URL-encoded (%XX upper and lower case, + for a space), base64 standard
 * and URL-safe — of the secret alone, and of the secret inside a longer base64 text at each of the three byte
 * alignments, wherever the text breaks its lines (76 columns, MIME style).
 *
 * Written here on purpose, independently of the package's redaction code: the tests must not share a
 * blind spot with what they check.
 */

export interface SecretForm {
	/** What kind of encoding this is, e.g. `base64 url-safe inside a text, alignment 2`. */
	kind: string;
	text: string;
}

export interface SecretFinding {
	kind: string;
	/** Where in the searched text, with a little context either side. */
	excerpt: string;
}

type CharMapper = (char: string) => string;

const hex = (code: number, width: number, upper: boolean): string => {
	const digits = code.toString(16).padStart(width, '0');
	return upper ? digits.toUpperCase() : digits;
};

function mapChars(secret: string, mapper: CharMapper): string {
	return Array.from(secret, mapper).join('');
}

/** UTF-16 code units (what \uXXXX writes), not code points. */
function mapUnits(secret: string, mapper: (unit: number, char: string) => string): string {
	let out = '';
	for (let index = 0; index < secret.length; index += 1) out += mapper(secret.charCodeAt(index), secret[index]);
	return out;
}

function xmlForms(secret: string): SecretForm[] {
	const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
	const decimal = (char: string): string => `&#${char.codePointAt(0) ?? 0};`;
	const hexRef = (char: string): string => `&#x${hex(char.codePointAt(0) ?? 0, 1, false)};`;
	const hexRefUpper = (char: string): string => `&#x${hex(char.codePointAt(0) ?? 0, 1, true)};`;
	const special = (char: string): boolean => char in named;
	const nonAscii = (char: string): boolean => (char.codePointAt(0) ?? 0) > 0x7e;
	const schemes: Array<[string, CharMapper]> = [
		['named entities', (char) => named[char] ?? char],
		['text escaping (& < > only)', (char) => (char === '&' || char === '<' || char === '>' ? named[char] : char)],
		['quotes as decimal references', (char) => (char === '"' || char === "'" ? decimal(char) : named[char] ?? char)],
		['quotes as hex references', (char) => (char === '"' || char === "'" ? hexRef(char) : named[char] ?? char)],
		['specials as decimal references', (char) => (special(char) ? decimal(char) : char)],
		['specials and non-ASCII as decimal references', (char) => (special(char) || nonAscii(char) ? decimal(char) : char)],
		['specials and non-ASCII as hex references', (char) => (special(char) || nonAscii(char) ? hexRef(char) : char)],
		['specials and non-ASCII as upper-case hex references', (char) => (special(char) || nonAscii(char) ? hexRefUpper(char) : char)],
		['named entities, non-ASCII as decimal references', (char) => named[char] ?? (nonAscii(char) ? decimal(char) : char)],
	];
	return schemes.map(([name, mapper]) => ({ kind: `XML-escaped (${name})`, text: mapChars(secret, mapper) }));
}

function jsonForms(secret: string): SecretForm[] {
	const stringified = JSON.stringify(secret).slice(1, -1);
	const forms: SecretForm[] = [
		{ kind: 'JSON-escaped (JSON.stringify)', text: stringified },
		{ kind: 'JSON-escaped (JSON.stringify, / as \\/)', text: stringified.replace(/\//g, '\\/') },
		{ kind: 'JSON-escaped twice (a JSON text inside a JSON string)', text: JSON.stringify(stringified).slice(1, -1) },
	];
	const shortEscapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
	for (const upper of [false, true]) {
		const caseName = upper ? 'upper-case' : 'lower-case';
		const unicode = (unit: number): string => `\\u${hex(unit, 4, upper)}`;
		forms.push(
			{
				kind: `JSON-escaped (non-ASCII as \\uXXXX, ${caseName})`,
				text: mapUnits(secret, (unit, char) => (unit > 0x7e || unit < 0x20 ? unicode(unit) : shortEscapes[char] ?? char)),
			},
			{
				kind: `JSON-escaped (non-ASCII and HTML specials as \\uXXXX, ${caseName})`,
				text: mapUnits(secret, (unit, char) =>
					unit > 0x7e || unit < 0x20 || '<>&\'"'.includes(char) ? unicode(unit) : shortEscapes[char] ?? char,
				),
			},
			{
				kind: `JSON-escaped (non-ASCII as \\uXXXX, / as \\/, ${caseName})`,
				text: mapUnits(secret, (unit, char) =>
					unit > 0x7e || unit < 0x20 ? unicode(unit) : char === '/' ? '\\/' : shortEscapes[char] ?? char,
				),
			},
			{ kind: `JSON-escaped (every character as \\uXXXX, ${caseName})`, text: mapUnits(secret, (unit) => unicode(unit)) },
		);
	}
	return forms;
}

function percentEncode(secret: string, keep: RegExp, upper: boolean, spaceAsPlus: boolean): string {
	let out = '';
	for (const char of secret) {
		if (spaceAsPlus && char === ' ') out += '+';
		else if (keep.test(char)) out += char;
		else for (const byte of Buffer.from(char, 'utf8')) out += `%${hex(byte, 2, upper)}`;
	}
	return out;
}

function urlForms(secret: string): SecretForm[] {
	const schemes: Array<[string, RegExp]> = [
		// encodeURIComponent's unreserved set.
		['encodeURIComponent', /^[A-Za-z0-9\-_.!~*'()]$/],
		// application/x-www-form-urlencoded (URLSearchParams, PHP's urlencode keeps only these).
		['form encoding', /^[A-Za-z0-9\-_.*]$/],
		// RFC 3986 unreserved only.
		['RFC 3986', /^[A-Za-z0-9\-_.~]$/],
		// encodeURI's set (keeps reserved characters such as / = +).
		['encodeURI', /^[A-Za-z0-9\-_.!~*'();/?:@&=+$,#]$/],
		// every byte.
		['every byte', /^$/],
	];
	const forms: SecretForm[] = [];
	for (const [name, keep] of schemes) {
		for (const upper of [true, false]) {
			for (const plus of [false, true]) {
				const text = percentEncode(secret, keep, upper, plus);
				forms.push({ kind: `URL-encoded (${name}, %XX ${upper ? 'upper' : 'lower'} case${plus ? ', + for space' : ''})`, text });
			}
		}
	}
	return forms;
}

const toUrlSafe = (base64: string): string => base64.replace(/\+/g, '-').replace(/\//g, '_');

/**
 * The base64 characters that encode only the secret's own bytes when the secret starts at byte `alignment` of a
 * 3-byte group: whatever comes before or after it in a longer text, these characters appear unchanged.
 */
export function base64Core(secret: string, alignment: 0 | 1 | 2): string {
	const bytes = Buffer.from(secret, 'utf8');
	const skip = (3 - alignment) % 3;
	const whole = Math.floor((bytes.length - skip) / 3) * 3;
	return bytes.subarray(skip, skip + whole).toString('base64');
}

function base64Forms(secret: string, label = 'the secret'): SecretForm[] {
	const forms: SecretForm[] = [];
	const alone = Buffer.from(secret, 'utf8').toString('base64');
	for (const [alphabet, convert] of [
		['standard', (text: string): string => text],
		['URL-safe', toUrlSafe],
	] as const) {
		forms.push({ kind: `base64 ${alphabet} of ${label} alone`, text: convert(alone) });
		forms.push({ kind: `base64 ${alphabet} of ${label} alone, unpadded`, text: convert(alone.replace(/=+$/, '')) });
		for (const alignment of [0, 1, 2] as const) {
			forms.push({ kind: `base64 ${alphabet} of ${label} inside a longer text, alignment ${alignment}`, text: convert(base64Core(secret, alignment)) });
		}
	}
	return forms;
}

/**
 * Every form listed in DESIGN.md's Passwords rule. Base64 also of the secret as a request carries it (XML-escaped in
 * the SMS, email-XML and OTP requests, JSON-escaped in the email-JSON request): a reply that base64-encodes the whole
 * request holds those bytes, not the plain secret's. (XML, JSON or URL encodings of an already escaped secret are found
 * by searching decoded views of each text: see `searchVariants`.)
 */
export function secretForms(secret: string): SecretForm[] {
	const escaped = [...xmlForms(secret), ...jsonForms(secret)];
	const forms = [
		{ kind: 'plain', text: secret },
		...escaped,
		...urlForms(secret),
		...base64Forms(secret),
		...escaped.flatMap((form) => base64Forms(form.text, `the secret ${form.kind}`)),
	];
	const seen = new Set<string>();
	return forms.filter(({ text }) => text !== '' && !seen.has(text) && (seen.add(text), true));
}

const XML_REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text with XML's references decoded once (so an XML-escaped JSON or XML form shows as that form). */
function xmlDecoded(text: string): string {
	return text.replace(XML_REFERENCE, (match, hexDigits?: string, decimal?: string, name?: string) => {
		const code = hexDigits !== undefined ? parseInt(hexDigits, 16) : decimal !== undefined ? parseInt(decimal, 10) : undefined;
		if (code === undefined) return NAMED[name ?? ''] ?? match;
		return code <= 0x10ffff ? String.fromCodePoint(code) : match;
	});
}

/** The text with %XX runs decoded (where they are valid UTF-8) and + read as a space. */
function percentDecoded(text: string): string {
	return text.replace(/\+/g, ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
		try {
			return decodeURIComponent(run);
		} catch {
			return run;
		}
	});
}

const JSON_ESCAPE = /\\(?:u([0-9A-Fa-f]{4})|(["\\/bfnrt]))/g;
const JSON_SHORT: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** The text with JSON's string escapes decoded once (so a JSON-escaped form inside a JSON string shows as that form). */
function jsonDecoded(text: string): string {
	return text.replace(JSON_ESCAPE, (_match, unit?: string, short?: string) =>
		unit !== undefined ? String.fromCharCode(parseInt(unit, 16)) : JSON_SHORT[short ?? ''] ?? '',
	);
}

/**
 * The texts to search, derived from one: as it is, and decoded once by XML, by %XX, by JSON, by JSON twice, and by
 * JSON then XML or %XX (an encoding of an already escaped secret, a JSON text stored inside a JSON string); each also
 * with line breaks removed (base64 wrapped at 76 columns, raw or as the escapes `\r\n` inside a JSON string, once or
 * twice escaped) and with `\/` read as `/`.
 */
function searchVariants(text: string): string[] {
	const json = jsonDecoded(text);
	const views = [text, xmlDecoded(text), percentDecoded(text), json, jsonDecoded(json), xmlDecoded(json), percentDecoded(json)];
	const variants = new Set<string>();
	for (const view of views) {
		const unwrapped = view.replace(/\r|\n/g, '');
		const unwrappedEscapes = unwrapped.replace(/(\\+)[rn]/g, '');
		for (const variant of [view, unwrapped, unwrappedEscapes, unwrappedEscapes.replace(/\\+\//g, '/')]) variants.add(variant);
	}
	return [...variants];
}

/** Finds the secret in any of its forms; every distinct form found once. */
export function findSecret(text: string, forms: readonly SecretForm[]): SecretFinding[] {
	const findings: SecretFinding[] = [];
	const variants = searchVariants(text);
	for (const form of forms) {
		for (const variant of variants) {
			const at = variant.indexOf(form.text);
			if (at < 0) continue;
			findings.push({ kind: form.kind, excerpt: JSON.stringify(variant.slice(Math.max(0, at - 60), at + form.text.length + 60)) });
			break;
		}
	}
	return findings;
}

/** Which families of forms (plain, XML, JSON, URL, base64) occur in a text: to prove an echo really carried them. */
export function familiesFound(text: string, forms: readonly SecretForm[]): Set<string> {
	return new Set(findSecret(text, forms).map(({ kind }) => kind.split(/[ (]/)[0]));
}
