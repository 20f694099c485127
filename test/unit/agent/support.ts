import fc from 'fast-check';

import { anyUnit, stripControl } from '../support/arbitraries';

/** Pieces aimed at the email and OTP requests' own markup and at JSON. */
export const AGENT_PIECES: readonly string[] = [
	'"/><email to="x',
	'</letter>',
	'<letter>x</letter>',
	'</email><email to="y" subject="z" id_message="1">',
	'</login><password>x</password>',
	'</security>',
	'</text><text>',
	'</sender>',
	'<random_string_len>9</random_string_len>',
	'{код}',
	'"},"email":{"to":"x',
	'\\"',
	'\\u0022',
	'&amp;',
	'&quot;',
	'&apos;',
	'&#34;',
	']]>',
	'<![CDATA[',
	'=',
	' ',
];

/** One piece of any text, the email/OTP markup pieces included. */
export const agentUnit: fc.Arbitrary<string> = fc.oneof(
	{ weight: 3, arbitrary: anyUnit },
	{ weight: 1, arbitrary: fc.constantFrom(...AGENT_PIECES) },
);

/** Removes surrogate halves that are not part of a pair: what remains is text UTF-8 can carry exactly. */
export function withoutLoneSurrogates(text: string): string {
	return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** Any text a single-line value (subject, address, sender, credential) accepts, markup pieces included. */
export const agentSingleLine = (maxLength = 30): fc.Arbitrary<string> =>
	fc.string({ unit: agentUnit, maxLength }).map(stripControl);

/** Any well-formed text at all: control characters, markup and astral characters included. */
export const anyWellFormedText = (maxLength = 60): fc.Arbitrary<string> =>
	fc.string({ unit: agentUnit, maxLength }).map(withoutLoneSurrogates);

/** Characters no single-line value may hold: C0 and C1 controls, DEL, U+FFFE/U+FFFF and lone surrogates. */
export const singleLineForbidden: fc.Arbitrary<string> = fc.oneof(
	fc.integer({ min: 0x00, max: 0x1f }),
	fc.integer({ min: 0x7f, max: 0x9f }),
	fc.constantFrom(0xfffe, 0xffff),
	fc.integer({ min: 0xd800, max: 0xdfff }),
).map((unit) => String.fromCharCode(unit));

/** The text an error thrown by `run` carries, or fails the test when nothing is thrown. */
export function thrownBy(run: () => unknown): Error {
	try {
		run();
	} catch (error) {
		if (error instanceof Error) return error;
		throw error;
	}
	throw new Error('expected an error, nothing was thrown');
}
