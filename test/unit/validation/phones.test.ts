import fc from 'fast-check';

import { InputError } from '../../../nodes/shared/validation/input-error';
import { normalisePhone, parsePhoneList } from '../../../nodes/shared/validation/phones';
import { digits } from '../support/arbitraries';
import { inputError } from './support';

describe('normalisePhone', () => {
	it.each([
		['+7 (900) 123-45-67', '79001234567'],
		['+79001234567', '79001234567'],
		['79001234567', '79001234567'],
		['7 900 123 45 67', '79001234567'],
		['8 900 123-45-67', '79001234567'],
		['8(900)1234567', '79001234567'],
		['89001234567', '79001234567'],
		['9001234567', '79001234567'],
		['900 123 45 67', '79001234567'],
		['+84 912 345 678', '84912345678'],
		['+380 44 258 9632', '380442589632'],
		['380442589632', '380442589632'],
		['+1 (212) 555-0100', '12125550100'],
		['  +7 900 123 45 67  ', '79001234567'],
		['7\u00A0900\u00A0123\u00A04567', '79001234567'],
		['123456789012345', '123456789012345'],
	])('%s → %s', (raw, expected) => {
		expect(normalisePhone(raw)).toBe(expected);
	});

	it('keeps the digits as given after a +, even an 11-digit 8… or a 10-digit 9…', () => {
		expect(normalisePhone('+8 900 123 45 67')).toBe('89001234567');
		expect(normalisePhone('+9001234567')).toBe('9001234567');
	});

	it.each([
		['too short', '123456789'],
		['too short after +', '+7 900 123'],
		['too long', '1234567890123456'],
		['too long after +', '+7 900 123 45 67 89012'],
		['letters', '+7 900 CALL-NOW'],
		['a letter in the middle', '7900123a4567'],
		['empty', ''],
		['just a plus', '+'],
		['two pluses', '++79001234567'],
		['full-width digits', '７９００１２３４５６７'],
		['an e-mail address', 'user@example.com'],
		['two numbers joined by a space', '79001234567 79001234568'],
	])('refuses %s, naming the field', (_name, raw) => {
		const error = inputError(() => normalisePhone(raw, 'Phone'));
		expect(error.field).toBe('Phone');
		expect(error.message.startsWith('Phone: ')).toBe(true);
	});

	it('names the offending value, with control characters shown escaped', () => {
		const error = inputError(() => normalisePhone('7900\u0001123', 'Phones'));
		expect(error.message).toContain('\\u0001');
		expect(error.message).not.toContain('\u0001');
	});

	it('always yields 10 to 15 ASCII digits, or refuses', () => {
		const formatting = fc.constantFrom(' ', '-', '(', ')', '.', '\u00A0', '');
		const raw = fc
			.tuple(fc.boolean(), fc.array(fc.tuple(digits(1, 3), formatting), { maxLength: 8 }))
			.map(([plus, parts]) => (plus ? '+' : '') + parts.map(([d, f]) => d + f).join(''));
		fc.assert(
			fc.property(raw, (value) => {
				const plain = value.replace(/\D/g, '');
				let result: string | undefined;
				try {
					result = normalisePhone(value);
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
				}
				const local =
					!value.startsWith('+') && plain.length === 11 && plain.startsWith('8')
						? '7' + plain.slice(1)
						: !value.startsWith('+') && plain.length === 10 && plain.startsWith('9')
							? '7' + plain
							: plain;
				if (local.length >= 10 && local.length <= 15) expect(result).toBe(local);
				else expect(result).toBeUndefined();
			}),
		);
	});
});

describe('parsePhoneList', () => {
	it('splits on commas, semicolons and line breaks; spaces are formatting', () => {
		expect(parsePhoneList('+7 900 123-45-67, 8 900 123 45 68;9001234569\n+84 912 345 678\r\n380442589632\r79001234570')).toEqual([
			'79001234567',
			'79001234568',
			'79001234569',
			'84912345678',
			'380442589632',
			'79001234570',
		]);
	});

	it('ignores empty entries between separators', () => {
		expect(parsePhoneList(',;79001234567,,\n\n;79001234568;')).toEqual(['79001234567', '79001234568']);
	});

	it('accepts a list of strings, numbers and nested lists', () => {
		expect(parsePhoneList(['79001234567', 79001234568, ['+7 900 123 45 69', '89001234570; 9001234571']])).toEqual([
			'79001234567',
			'79001234568',
			'79001234569',
			'79001234570',
			'79001234571',
		]);
	});

	it('collapses the same number written twice', () => {
		expect(parsePhoneList('+7 900 123-45-67, 89001234567, 9001234567')).toEqual(['79001234567']);
	});

	it('refuses a list with no number at all, naming the field', () => {
		for (const raw of ['', ' , ; \n', [], undefined, null]) {
			const error = inputError(() => parsePhoneList(raw, 'Phones'));
			expect(error.field).toBe('Phones');
		}
	});

	it('refuses the whole list when one entry is not a phone, naming the field', () => {
		const error = inputError(() => parsePhoneList('79001234567, hello, 79001234568', 'Recipients'));
		expect(error.field).toBe('Recipients');
		expect(error.message).toContain('hello');
	});

	it('refuses two numbers separated only by a space (spaces are formatting)', () => {
		expect(inputError(() => parsePhoneList('79001234567 79001234568')).field).toBe('Phones');
	});

	it('refuses values that are neither text nor numbers', () => {
		expect(inputError(() => parsePhoneList({ phone: '79001234567' })).field).toBe('Phones');
		expect(inputError(() => parsePhoneList(true)).field).toBe('Phones');
	});

	it('keeps the order of first appearance for any list of valid numbers', () => {
		const phone = digits(9, 9).map((rest) => '79' + rest);
		const separator = fc.constantFrom(',', ';', '\n', '\r\n', ', ', ' ;\n');
		fc.assert(
			fc.property(fc.array(fc.tuple(phone, separator), { minLength: 1, maxLength: 20 }), (entries) => {
				const raw = entries.map(([p, s]) => p + s).join('');
				expect(parsePhoneList(raw)).toEqual([...new Set(entries.map(([p]) => p))]);
			}),
		);
	});
});
