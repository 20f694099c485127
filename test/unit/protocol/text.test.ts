import fc from 'fast-check';

import {
	describeForbiddenCharacter,
	encodeLineBreaks,
	findControlCharacter,
	findXmlForbiddenCharacter,
} from '../../../nodes/shared/protocol/text';

/** XML 1.0 `Char`, less nothing: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function isXmlChar(point: number): boolean {
	return (
		point === 0x9 ||
		point === 0xa ||
		point === 0xd ||
		(point >= 0x20 && point <= 0xd7ff) ||
		(point >= 0xe000 && point <= 0xfffd) ||
		(point >= 0x10000 && point <= 0x10ffff)
	);
}

const hex = (unit: number) => 'U+' + unit.toString(16).toUpperCase().padStart(4, '0');

describe('findXmlForbiddenCharacter', () => {
	it('refuses exactly the BMP code units that XML 1.0 cannot carry on their own', () => {
		const wrong: string[] = [];
		for (let unit = 0; unit <= 0xffff; unit++) {
			const found = findXmlForbiddenCharacter(String.fromCharCode(unit));
			const expected = isXmlChar(unit) ? undefined : `1 ${hex(unit)}`;
			if ((found && `${found.position} ${found.codePoint}`) !== expected) wrong.push(hex(unit));
		}
		expect(wrong).toEqual([]);
	});

	it('accepts surrogate pairs and refuses lone halves', () => {
		expect(findXmlForbiddenCharacter('a😀b\u{10FFFF}')).toBeUndefined();
		expect(findXmlForbiddenCharacter('a\uD83Db')).toEqual({ position: 2, codePoint: 'U+D83D' });
		expect(findXmlForbiddenCharacter('ab\uDE00')).toEqual({ position: 3, codePoint: 'U+DE00' });
		expect(findXmlForbiddenCharacter('\uDE00\uD83D')).toEqual({ position: 1, codePoint: 'U+DE00' });
	});

	it('counts the position in characters (code points), so emoji before it count once', () => {
		expect(findXmlForbiddenCharacter('ab\u0001')).toEqual({ position: 3, codePoint: 'U+0001' });
		expect(findXmlForbiddenCharacter('😀😀\u0008x')).toEqual({ position: 3, codePoint: 'U+0008' });
		expect(describeForbiddenCharacter({ position: 3, codePoint: 'U+0001' })).toBe('character U+0001 at position 3');
	});

	it('agrees with the XML 1.0 definition on any string', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 0x10ffff })), (points) => {
				const text = points.map((point) => String.fromCodePoint(point)).join('');
				// Re-read the string: adjacent lone halves may have joined into a pair.
				const actual = [...text].map((char) => char.codePointAt(0) as number);
				const firstBad = actual.findIndex((point) => !isXmlChar(point));
				const found = findXmlForbiddenCharacter(text);
				if (firstBad === -1) expect(found).toBeUndefined();
				else expect(found).toEqual({ position: firstBad + 1, codePoint: hex(actual[firstBad]) });
			}),
		);
	});
});

describe('findControlCharacter', () => {
	it('refuses every C0 and C1 control, tab and line breaks included, and the non-characters', () => {
		const wrong: string[] = [];
		for (let unit = 0; unit <= 0xffff; unit++) {
			if (unit >= 0xd800 && unit <= 0xdfff) continue;
			const control = unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f) || unit === 0xfffe || unit === 0xffff;
			const found = findControlCharacter('x' + String.fromCharCode(unit));
			const expected = control ? `2 ${hex(unit)}` : undefined;
			if ((found && `${found.position} ${found.codePoint}`) !== expected) wrong.push(hex(unit));
		}
		expect(wrong).toEqual([]);
		expect(findControlCharacter('a\uD800')).toEqual({ position: 2, codePoint: 'U+D800' });
		expect(findControlCharacter('Shop 😀')).toBeUndefined();
	});
});

describe('encodeLineBreaks', () => {
	it('writes LF, CR LF and CR each as the two characters \\n', () => {
		expect(encodeLineBreaks('a\nb\r\nc\rd')).toBe('a\\nb\\nc\\nd');
		expect(encodeLineBreaks('\r\r\n\n')).toBe('\\n\\n\\n');
		expect(encodeLineBreaks('\n\r')).toBe('\\n\\n');
		expect(encodeLineBreaks('already \\n')).toBe('already \\n');
		expect(encodeLineBreaks('tab\tstays')).toBe('tab\tstays');
	});

	it('leaves no CR or LF and keeps the lines between them unchanged', () => {
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom('a', 'я', '\r', '\n', '\t', 'n', '😀', ' ') }), (text) => {
				const encoded = encodeLineBreaks(text);
				expect(encoded).not.toMatch(/[\r\n]/);
				expect(encoded.split('\\n')).toEqual(text.split(/\r\n|\r|\n/));
			}),
		);
	});
});
