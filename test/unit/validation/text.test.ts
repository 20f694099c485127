import fc from 'fast-check';

import { checkInteger, checkText, checkUrl } from '../../../nodes/shared/validation/text';
import { multiLineText } from '../support/arbitraries';
import { inputError } from './support';

describe('checkText', () => {
	it('returns the text unchanged (no trimming, line breaks kept for the builder)', () => {
		expect(checkText('  Привет,\r\nмир!  ', 'SMS Text')).toBe('  Привет,\r\nмир!  ');
		expect(checkText('a\tb', 'SMS Text')).toBe('a\tb');
	});

	it('reads numbers and booleans as text', () => {
		expect(checkText(42, 'Delivery Name')).toBe('42');
		expect(checkText(false, 'Delivery Name')).toBe('false');
	});

	it('treats an absent or empty optional value as absent', () => {
		expect(checkText(undefined, 'Delivery Name')).toBeUndefined();
		expect(checkText(null, 'Delivery Name')).toBeUndefined();
		expect(checkText('', 'Delivery Name')).toBeUndefined();
	});

	it('refuses an absent, empty or blank required value, naming the field', () => {
		for (const raw of [undefined, null, '']) {
			const error = inputError(() => checkText(raw, 'SMS Text', { required: true }));
			expect(error.field).toBe('SMS Text');
			expect(error.message).toBe('SMS Text: is required');
		}
		for (const raw of ['   ', '\n', '\r\n\t ']) {
			const error = inputError(() => checkText(raw, 'SMS Text', { required: true }));
			expect(error.field).toBe('SMS Text');
			expect(error.message).toContain('blank');
		}
	});

	it('refuses objects and lists', () => {
		expect(inputError(() => checkText({ a: 1 }, 'SMS Text')).field).toBe('SMS Text');
		expect(inputError(() => checkText(['a'], 'SMS Text')).message).toContain('a list');
	});

	it('counts maxLength in characters (code points), a CR LF counting as one', () => {
		expect(checkText('😀'.repeat(10), 'Viber Text', { maxLength: 10 })).toBe('😀'.repeat(10));
		expect(checkText('a\r\n'.repeat(5), 'Viber Text', { maxLength: 10 })).toBe('a\r\n'.repeat(5));
		expect(checkText('я'.repeat(10), 'Viber Text', { maxLength: 10 })).toBe('я'.repeat(10));
		const error = inputError(() => checkText('😀'.repeat(11), 'Viber Text', { maxLength: 10 }));
		expect(error.field).toBe('Viber Text');
		expect(error.message).toContain('11 characters');
		expect(inputError(() => checkText('a\r\n'.repeat(5) + 'b', 'Viber Text', { maxLength: 10 })).field).toBe('Viber Text');
	});

	it('names a character XML cannot carry with its position in characters', () => {
		expect(inputError(() => checkText('ab\u0001', 'SMS Text')).message).toBe(
			'SMS Text: has a character U+0001 at position 3 that cannot be sent',
		);
		expect(inputError(() => checkText('😀😀\u001B[31m', 'SMS Text')).message).toContain('U+001B at position 3');
		expect(inputError(() => checkText('x\uFFFE', 'SMS Text')).message).toContain('U+FFFE at position 2');
		expect(inputError(() => checkText('ok \uD800', 'SMS Text')).message).toContain('U+D800 at position 4');
	});

	it('accepts tab and line breaks in a multi-line text but refuses them in a single-line one', () => {
		expect(checkText('a\tb\nc', 'SMS Text')).toBe('a\tb\nc');
		expect(inputError(() => checkText('Shop\t', 'SMS Sender', { singleLine: true })).message).toContain('U+0009 at position 5');
		expect(inputError(() => checkText('Shop\nX', 'SMS Sender', { singleLine: true })).message).toContain('U+000A at position 5');
		expect(inputError(() => checkText('Shop\r', 'SMS Sender', { singleLine: true })).field).toBe('SMS Sender');
		expect(inputError(() => checkText('Shop\u0085', 'SMS Sender', { singleLine: true })).field).toBe('SMS Sender');
		expect(checkText('Магазин 😀', 'SMS Sender', { singleLine: true })).toBe('Магазин 😀');
	});

	it('accepts any text without forbidden characters exactly as given', () => {
		fc.assert(
			fc.property(multiLineText(60), (text) => {
				expect(checkText(text, 'SMS Text')).toBe(text === '' ? undefined : text);
			}),
		);
	});
});

describe('checkUrl', () => {
	it('accepts http(s) URLs, trimmed', () => {
		expect(checkUrl(' https://shop.example/a?b=1&c=2 ', 'Button URL')).toBe('https://shop.example/a?b=1&c=2');
		expect(checkUrl('http://shop.example', 'Button URL')).toBe('http://shop.example');
		expect(checkUrl('https://пример.рф/путь', 'Button URL')).toBe('https://пример.рф/путь');
	});

	it('treats an empty value as absent', () => {
		expect(checkUrl('', 'Button URL')).toBeUndefined();
		expect(checkUrl(undefined, 'Button URL')).toBeUndefined();
	});

	it.each([
		['not a URL', 'shop.example/promo'],
		['javascript', 'javascript:alert(1)'],
		['ftp', 'ftp://shop.example/file'],
		['a data URL', 'data:text/html,hi'],
		['a line break', 'https://shop.example/\nx'],
		['a tab', 'https://shop.example/\tx'],
	])('refuses %s, naming the field', (_name, raw) => {
		expect(inputError(() => checkUrl(raw, 'Button URL')).field).toBe('Button URL');
	});
});

describe('checkInteger', () => {
	it('accepts whole numbers within bounds, given as numbers or text', () => {
		expect(checkInteger(60, 'Viber Validity (Minutes)', 1, 1440)).toBe(60);
		expect(checkInteger('60', 'Viber Validity (Minutes)', 1, 1440)).toBe(60);
		expect(checkInteger(' 1 ', 'Viber Validity (Minutes)', 1, 1440)).toBe(1);
		expect(checkInteger('1440', 'Viber Validity (Minutes)', 1, 1440)).toBe(1440);
	});

	it('treats an absent or empty value as absent', () => {
		expect(checkInteger(undefined, 'Batch Size', 1, 10)).toBeUndefined();
		expect(checkInteger(null, 'Batch Size', 1, 10)).toBeUndefined();
		expect(checkInteger('', 'Batch Size', 1, 10)).toBeUndefined();
	});

	it.each([
		['zero below the minimum', 0],
		['above the maximum', 1441],
		['a fraction', 1.5],
		['a fraction as text', '2.5'],
		['text', 'sixty'],
		['NaN', Number.NaN],
		['Infinity', Number.POSITIVE_INFINITY],
		['a negative number', -5],
		['a boolean', true],
		['blank text', '   '],
	])('refuses %s, naming the field', (_name, raw) => {
		const error = inputError(() => checkInteger(raw, 'Viber Validity (Minutes)', 1, 1440));
		expect(error.field).toBe('Viber Validity (Minutes)');
		expect(error.message).toContain('from 1 to 1440');
	});

	it('accepts exactly the integers in range', () => {
		fc.assert(
			fc.property(fc.integer({ min: -10_000, max: 10_000 }), (value) => {
				const inRange = value >= 1 && value <= 1440;
				if (inRange) expect(checkInteger(String(value), 'N', 1, 1440)).toBe(value);
				else expect(() => checkInteger(value, 'N', 1, 1440)).toThrow('N: must be a whole number from 1 to 1440');
			}),
		);
	});
});
