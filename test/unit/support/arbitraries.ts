import fc from 'fast-check';

import { findControlCharacter, findXmlForbiddenCharacter } from '../../../nodes/shared/protocol/text';

/** Values that have broken XML builders before: markup, quotes, entities, line breaks, surrogates. */
export const ADVERSARIAL_PIECES: readonly string[] = [
	'</text_sms><abonent phone="1"/>',
	'</message><message><abonent phone="79990000000" client_id_message="1"/>',
	'"',
	"'",
	'&',
	'<',
	'>',
	']]>',
	'<![CDATA[x]]>',
	'<!-- x -->',
	'<?xml version="1.0"?>',
	'\n',
	'\r\n',
	'\r',
	'\t',
	'\\n',
	'&amp;',
	'&#10;',
	'&#x41F;',
	'&nbsp;',
	'&lt;',
	' ',
	'\u00A0',
	'\u2028',
	'\u0085',
	'\uFEFF',
	'😀',
	'👨‍👩‍👧',
	'\uD83D',
	'\uDE00',
	'Привет',
	'é',
	'\u0000',
	'\u0001',
	'\u001F',
	'\uFFFE',
	'\uFFFF',
];

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((point) => String.fromCodePoint(point));
const lowCodePoint = fc.integer({ min: 0, max: 0x7f }).map((point) => String.fromCodePoint(point));
const cyrillic = fc.integer({ min: 0x400, max: 0x4ff }).map((point) => String.fromCodePoint(point));

/** One piece of any unicode text, adversarial pieces included (lone surrogates and control characters too). */
export const anyUnit: fc.Arbitrary<string> = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom(...ADVERSARIAL_PIECES) },
	{ weight: 3, arbitrary: lowCodePoint },
	{ weight: 2, arbitrary: cyrillic },
	{ weight: 2, arbitrary: anyCodePoint },
	{ weight: 1, arbitrary: anyCodeUnit },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
);

export function anyText(maxLength = 40): fc.Arbitrary<string> {
	return fc.string({ unit: anyUnit, maxLength });
}

/** Removes, one by one, the characters the rules refuse according to `find`. */
function strip(text: string, find: (text: string) => { position: number } | undefined): string {
	let current = text;
	for (let found = find(current); found; found = find(current)) {
		const points = [...current];
		points.splice(found.position - 1, 1);
		current = points.join('');
	}
	return current;
}

/** What a multi-line data field may hold: everything but the characters XML 1.0 cannot carry. */
export function stripXmlForbidden(text: string): string {
	return strip(text, findXmlForbiddenCharacter);
}

/** What a single-line value (sender, name, URL, id) may hold: no control characters at all. */
export function stripControl(text: string): string {
	return strip(text, findControlCharacter);
}

/** Any text a multi-line field accepts. */
export const multiLineText = (maxLength = 40): fc.Arbitrary<string> => anyText(maxLength).map(stripXmlForbidden);

/** Any text a single-line field accepts. */
export const singleLineText = (maxLength = 20): fc.Arbitrary<string> => anyText(maxLength).map(stripControl);

/** The documented normalisation: CR LF, CR and LF each become the two characters `\n`. */
export function expectedWireText(text: string): string {
	return text.replace(/\r\n|\r|\n/g, '\\n');
}

export const digits = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
	fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength, maxLength });
