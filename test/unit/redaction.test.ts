import fc from 'fast-check';

import { MIN_EMBEDDED_BASE64_CORE, redactor } from '../../nodes/shared/redaction';

const PASSWORD = 'Zq7&"Xv9!Lm<42>';
const ESCAPED_PASSWORD = 'Zq7&amp;&quot;Xv9!Lm&lt;42&gt;';

// Carried over from transport.test.ts, whose redactor this module replaces.
describe('redactor', () => {
	it('hides the secret, plain and XML-escaped, everywhere in a text', () => {
		const redact = redactor([PASSWORD]);
		expect(redact(`a ${PASSWORD} b ${ESCAPED_PASSWORD} c ${PASSWORD}`)).toBe('a *** b *** c ***');
	});

	it('hides the escaped form of a password with an apostrophe', () => {
		expect(redactor(["it's"])('<password value="it&apos;s"/>')).toBe('<password value="***"/>');
	});

	it('leaves a text without secrets alone and ignores empty secrets', () => {
		const redact = redactor(['', PASSWORD]);
		expect(redact('nothing to hide')).toBe('nothing to hide');
		expect(redactor([])('nothing to hide')).toBe('nothing to hide');
	});

	it('hides the longer of two overlapping secrets whole', () => {
		expect(redactor(['abc', 'abcdef'])('xx abcdef yy abc')).toBe('xx *** yy ***');
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Encoders as the other side writes them.

/** Attribute escaping (all five) and element-text escaping (`&`, `<`, `>` only). */
const xmlAttribute = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Every character as a decimal, hex or hex-upper numeric reference, or PHP htmlspecialchars' `&#039;`. */
const xmlDecimal = (text: string) => [...text].map((c) => `&#${c.codePointAt(0)};`).join('');
const xmlHex = (text: string) => [...text].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');
const xmlHexUpper = (text: string) => [...text].map((c) => `&#X${c.codePointAt(0)!.toString(16).toUpperCase()};`).join('');
const phpSpecialChars = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#039;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** JSON.stringify's inner text. */
const jsonInner = (text: string) => JSON.stringify(text).slice(1, -1);
/** PHP json_encode's default: non-ASCII as lower-case \uXXXX (surrogate pairs), `/` as `\/`. */
const phpJson = (text: string) =>
	jsonInner(text)
		.replace(/\//g, '\\/')
		.replace(/[\u0080-\uFFFF]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
/** Every UTF-16 unit as \uXXXX with upper-case hex. */
const jsonAllEscaped = (text: string) =>
	[...Array(text.length).keys()].map((i) => '\\u' + text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')).join('');
const form = (text: string) => new URLSearchParams({ p: text }).toString().slice(2);
const lowerPercent = (text: string) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
/** PHP urlencode: everything but alphanumerics and `-_.` as %XX, space as `+`. rawurlencode: space as %20, `~` kept. */
const phpUrlencode = (text: string) =>
	[...Buffer.from(text, 'utf8')]
		.map((byte) => {
			const c = String.fromCharCode(byte);
			if (/[A-Za-z0-9\-_.]/.test(c)) return c;
			if (c === ' ') return '+';
			return '%' + byte.toString(16).toUpperCase().padStart(2, '0');
		})
		.join('');
const phpRawurlencode = (text: string) => phpUrlencode(text).replace(/\+/g, '%20').replace(/%7E/g, '~');
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const base64Url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The encodings a reply may echo a secret in; `true`: base64, which stands alone only between non-base64 characters. */
const ENCODINGS: ReadonlyArray<[string, (text: string) => string, boolean]> = [
	['plain', (text) => text, false],
	['XML attribute escaping', xmlAttribute, false],
	['XML element-text escaping', xmlText, false],
	['decimal references', xmlDecimal, false],
	['hex references', xmlHex, false],
	['upper-case hex references', xmlHexUpper, false],
	['PHP htmlspecialchars', phpSpecialChars, false],
	['JSON.stringify', jsonInner, false],
	['PHP json_encode', phpJson, false],
	['JSON \\uXXXX for every unit', jsonAllEscaped, false],
	['encodeURIComponent', encodeURIComponent, false],
	['lower-case percent escapes', lowerPercent, false],
	['URLSearchParams', form, false],
	['PHP urlencode', phpUrlencode, false],
	['PHP rawurlencode', phpRawurlencode, false],
	['base64', base64, true],
	['base64 without padding', (text) => base64(text).replace(/=+$/, ''), true],
	['URL-safe base64', base64Url, true],
	['base64 wrapped at 76 columns', (text) => wrap(base64(text), '\r\n'), true],
];

function wrap(text: string, lineBreak: string, columns = 76): string {
	return text.replace(new RegExp(`.{${columns}}(?!$)`, 'g'), (line) => line + lineBreak);
}

/** The base64 characters fully determined by the secret's bytes, placed after `aligned` (0–2) other bytes. */
function core(secret: string, aligned: number): string {
	const bytes = Buffer.from(secret, 'utf8');
	const encoded = Buffer.concat([Buffer.alloc(aligned), bytes]).toString('base64');
	return encoded.slice([0, 2, 3][aligned], Math.floor((8 * (aligned + bytes.length)) / 6));
}

const unwrapped = (text: string) => text.replace(/\r?\n/g, '');

describe('redactor: every encoding a reply may echo a secret in', () => {
	const secret = 'Pa ss/wörd+"&\'<>\\€😀';
	const redact = redactor([secret]);

	it.each(ENCODINGS)('hides the secret in %s', (_name, encoding) => {
		const encoded = encoding(secret);
		expect(redact(`before ${encoded} after`)).toBe('before *** after');
		expect(redact(`<x a="${encoded}">${encoded}</x>`)).toBe('<x a="***">***</x>');
	});

	it('hides the XML-escaped forms of each special character', () => {
		const redact1 = redactor(["a'b"]);
		for (const escaped of ['a&apos;b', 'a&#39;b', 'a&#039;b', 'a&#x27;b', 'a&#X27;b', 'a&#x0027;b']) {
			expect(redact1(`[${escaped}]`)).toBe('[***]');
		}
		const redact2 = redactor(['a"b']);
		for (const escaped of ['a&quot;b', 'a&#34;b', 'a&#x22;b', 'a\\"b', 'a\\u0022b', 'a%22b']) {
			expect(redact2(`[${escaped}]`)).toBe('[***]');
		}
	});

	it('hides JSON short escapes and both hex cases', () => {
		const redact1 = redactor(['a/b\\c\nd\te']);
		expect(redact1('"a\\/b\\\\c\\nd\\te"')).toBe('"***"');
		expect(redact1('"a\\u002Fb\\u005cc\\u000Ad\\u0009e"')).toBe('"***"');
		expect(redactor(['é'])('"\\u00e9" "\\u00E9"')).toBe('"***" "***"');
	});

	it('hides URL-encoded forms with either hex case and either space form', () => {
		const redact1 = redactor(['a b&é']);
		for (const encoded of ['a%20b%26%C3%A9', 'a+b%26%c3%a9', 'a%20b&%C3%a9']) {
			expect(redact1(`p=${encoded}&q=1`)).toBe('p=***&q=1');
		}
	});

	it('hides the base64 of a short secret standing alone, padded or not, and leaves it inside other base64 text', () => {
		const short = redactor(['abc1']); // 4 bytes: cores of at most 5 characters
		expect(redact(`x`)).toBe('x');
		expect(short(`AUTH ${base64('abc1')}`)).toBe('AUTH ***');
		expect(short(`token=${base64('abc1').replace(/=+$/, '')};`)).toBe('token=***;');
		const longer = 'QQ' + base64('abc1');
		expect(short(longer)).toBe(longer);
		// The plain secret is redacted whatever its length.
		expect(short('xabc1x')).toBe('x***x');
	});

	it('hides the core of a secret inside a longer base64 text at each byte alignment, across line wraps', () => {
		const long = 'demo1234'; // 8 bytes: cores of 9–10 characters at every alignment
		const redact1 = redactor([long]);
		for (const aligned of [0, 1, 2]) {
			for (const lineBreak of ['\r\n', '\n']) {
				const payload = Buffer.concat([Buffer.alloc(aligned, 0x41), Buffer.from(long), Buffer.from(' and then some more text')]);
				for (const columns of [76, 5, 3]) {
					const text = wrap(payload.toString('base64'), lineBreak, columns);
					const result = redact1(text);
					expect(result).toContain('***');
					expect(unwrapped(result)).not.toContain(core(long, aligned));
				}
			}
		}
	});

	it('hides the password inside SMTP AUTH PLAIN (\\0user\\0password) and a base64 email body', () => {
		const redact1 = redactor(['smtp-secret']);
		expect(redact1(Buffer.from('\u0000smtp-user\u0000smtp-secret').toString('base64'))).toMatch(/^AHNtdHAtdXNlcgBz?\*\*\*$/);
		const body = wrap(Buffer.from(`<p>Ваш пароль: smtp-secret</p>`.repeat(5)).toString('base64'), '\r\n');
		expect(unwrapped(redact1(body))).not.toMatch(new RegExp([0, 1, 2].map((a) => core('smtp-secret', a)).join('|')));
	});

	it('chooses the minimum core length so that a 7-byte secret is found at every alignment', () => {
		expect(MIN_EMBEDDED_BASE64_CORE).toBe(8);
		for (const aligned of [0, 1, 2]) expect(core('1234567', aligned).length).toBeGreaterThanOrEqual(MIN_EMBEDDED_BASE64_CORE);
		expect(core('123456', 1).length).toBeLessThan(MIN_EMBEDDED_BASE64_CORE);
	});

	it('merges overlapping occurrences into one mark and keeps adjacent ones apart', () => {
		expect(redactor(['aXa'])('aXaXa!')).toBe('***!');
		expect(redactor(['ab'])('abab')).toBe('******');
		expect(redactor(['abc', 'cde'])('abcde')).toBe('***');
	});

	it('leaves no part of an escaped secret behind (longest form first)', () => {
		expect(redactor(['a&'])('a&amp;')).toBe('***');
		expect(redactor(['a&amp'])('a&amp;amp')).toBe('***');
		expect(redactor(['a&amp'])('a&amp;amp;')).toBe('***;');
	});

	it('redacts a multi-megabyte text in linear time', () => {
		const redact1 = redactor([PASSWORD, 'demo1234', 'smtp-secret', 'Пароль-секрет']);
		const text = (`lorem ipsum <x a="1">&amp; \\u0041 %20 ${base64('noise and more noise')}\r\n`).repeat(60_000);
		const started = Date.now();
		const once = redact1(text + PASSWORD);
		const elapsed = Date.now() - started;
		expect(once.endsWith('***')).toBe(true);
		expect(once.length).toBe(text.length + 3);
		expect(elapsed).toBeLessThan(3_000);
	});
});

// ---------------------------------------------------------------------------------------------------------------

const RUNS = { numRuns: 300 };
/** Any code points, astral ones included; `*` is left out, since the mark itself would then contain it. */
const secrets = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((secret) => !secret.includes('*'));
const surroundings = fc.string({ unit: 'binary', maxLength: 60 });

describe('redactor: properties', () => {
	it('a secret embedded in any text in any encoding is gone after redaction', () => {
		fc.assert(
			fc.property(secrets, surroundings, surroundings, fc.constantFrom(...ENCODINGS), (secret, before, after, [, encoding, isBase64]) => {
				const encoded = encoding(secret);
				const glue = isBase64 ? ' ' : '';
				const result = redactor([secret])(before + glue + encoded + glue + after);
				expect(result).not.toContain(encoded);
				expect(result).not.toContain(secret);
				expect(result).toContain('***');
			}),
			RUNS,
		);
	});

	it('with several secrets at once, each is gone in each encoding', () => {
		fc.assert(
			fc.property(fc.array(secrets, { minLength: 1, maxLength: 4 }), surroundings, fc.constantFrom(...ENCODINGS), (list, between, [, encoding, isBase64]) => {
				const glue = isBase64 ? ` ${between} ` : between;
				const result = redactor(list)(list.map(encoding).join(glue) + glue);
				for (const secret of list) expect(result).not.toContain(encoding(secret));
			}),
			{ numRuns: 100 },
		);
	});

	it('the core of a secret inside a longer base64 text wrapped at 76 columns is gone, at every alignment', () => {
		const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((array) => Buffer.from(array));
		fc.assert(
			fc.property(
				secrets,
				bytes(2),
				bytes(120),
				fc.constantFrom('\r\n', '\n'),
				fc.boolean(),
				(secret, prefix, suffix, lineBreak, urlSafe) => {
					const payload = Buffer.concat([prefix, Buffer.from(secret, 'utf8'), suffix]);
					const encoded = urlSafe ? payload.toString('base64url') : payload.toString('base64');
					const result = unwrapped(redactor([secret])(wrap(encoded, lineBreak)));
					const secretCore = core(secret, prefix.length);
					const asWritten = urlSafe ? secretCore.replace(/\+/g, '-').replace(/\//g, '_') : secretCore;
					if (secretCore.length >= MIN_EMBEDDED_BASE64_CORE) expect(result).not.toContain(asWritten);
					if (prefix.length === 0 && suffix.length === 0) expect(result).toBe('***');
				},
			),
			RUNS,
		);
	});

	it('a text without the secret is unchanged', () => {
		fc.assert(
			fc.property(secrets, fc.string({ unit: 'binary', maxLength: 300 }), (secret, text) => {
				const forms = ENCODINGS.map(([, encoding]) => encoding(secret));
				fc.pre(forms.every((encoded) => !text.includes(encoded)));
				expect(redactor([secret])(text)).toBe(text);
			}),
			RUNS,
		);
	});

	it('an ordinary text is unchanged by realistic passwords', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[A-Za-z0-9!@#$%^&]{8,16}$/), fc.lorem({ maxCount: 50 }), (secret, text) => {
				fc.pre(!text.includes(secret));
				const base64Text = wrap(Buffer.from(text).toString('base64'), '\r\n');
				const redact = redactor([secret]);
				expect(redact(text)).toBe(text);
				expect(redact(base64Text)).toBe(base64Text);
			}),
			RUNS,
		);
	});
});
