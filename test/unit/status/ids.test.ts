import fc from 'fast-check';

import { InputError } from '../../../nodes/shared/validation/input-error';
import { checkNumericId, parseIdList } from '../../../nodes/shared/validation/ids';
import { digits } from '../support/arbitraries';
import { inputError } from '../validation/support';

describe('parseIdList', () => {
	it.each([
		['one id', '124', ['124']],
		['commas', '1,2,3', ['1', '2', '3']],
		['semicolons', '1;2;3', ['1', '2', '3']],
		['spaces', '1 2  3', ['1', '2', '3']],
		['line feeds', '1\n2\n3', ['1', '2', '3']],
		['CR LF line breaks', '1\r\n2\r\n3', ['1', '2', '3']],
		['CR line breaks', '1\r2\r3', ['1', '2', '3']],
		['tabs', '1\t2', ['1', '2']],
		['a mix, with separators around', ' ,1, 2;\n3 ;; 4\r\n', ['1', '2', '3', '4']],
		['leading zeros, kept', '007', ['007']],
		['20 digits', '12345678901234567890', ['12345678901234567890']],
	])('reads %s', (_name, raw, expected) => {
		expect(parseIdList(raw)).toEqual(expected);
	});

	it('keeps ids in order, repeats included', () => {
		expect(parseIdList('3,1,2,1')).toEqual(['3', '1', '2', '1']);
	});

	it('accepts numbers, lists and nested lists', () => {
		expect(parseIdList(124)).toEqual(['124']);
		expect(parseIdList(0)).toEqual(['0']);
		expect(parseIdList([1, 2, 3])).toEqual(['1', '2', '3']);
		expect(parseIdList(['1', 2, '3, 4'])).toEqual(['1', '2', '3', '4']);
		expect(parseIdList([[1, [2]], '3'])).toEqual(['1', '2', '3']);
		expect(parseIdList([1, null, undefined, '', 2])).toEqual(['1', '2']);
	});

	it.each([
		['letters', 'abc', '"abc"'],
		['an id with a letter', '12,3a4,5', '"3a4"'],
		['a negative id as text', '-5', '"-5"'],
		['a decimal id as text', '1.5', '"1.5"'],
		['full-width digits', '１２', '"１２"'],
		['21 digits', '123456789012345678901', '"123456789012345678901"'],
		['a list entry', ['1', 'x'], '"x"'],
	])('refuses %s, naming the value', (_name, raw, quoted) => {
		const error = inputError(() => parseIdList(raw));
		expect(error.field).toBe('IDs');
		expect(error.reason).toContain(quoted);
		expect(error.reason).toMatch(/is not an ID/);
	});

	it('names the field it is given', () => {
		expect(inputError(() => parseIdList('x', 'Message IDs')).field).toBe('Message IDs');
	});

	it('cuts a long value short in the error', () => {
		const error = inputError(() => parseIdList('x'.repeat(500)));
		expect(error.reason.length).toBeLessThan(100);
	});

	it.each([
		['empty text', ''],
		['only separators', ' ,;\n'],
		['an empty list', []],
		['nothing', undefined],
		['null', null],
	])('refuses %s: at least one id is required', (_name, raw) => {
		expect(inputError(() => parseIdList(raw)).reason).toBe('at least one ID is required');
	});

	it.each([
		['a negative number', -1],
		['a fraction', 1.5],
		['an unsafe integer', 2 ** 60],
		['an object', { id: 1 }],
		['a boolean', true],
	])('refuses %s', (_name, raw) => {
		expect(() => parseIdList(raw)).toThrow(InputError);
	});

	it('splits any list of ids joined by any separators back into the ids', () => {
		const separator = fc.string({ unit: fc.constantFrom(',', ';', ' ', '\n', '\r\n', '\r', '\t'), minLength: 1, maxLength: 4 });
		fc.assert(
			fc.property(
				fc.array(fc.tuple(digits(1, 20), separator), { minLength: 1, maxLength: 20 }),
				separator,
				(pairs, leading) => {
					const raw = leading + pairs.map(([id, after]) => id + after).join('');
					expect(parseIdList(raw)).toEqual(pairs.map(([id]) => id));
				},
			),
		);
	});
});

describe('checkNumericId', () => {
	it.each([
		[undefined, undefined],
		[null, undefined],
		['', undefined],
		['42', '42'],
		[' 42 ', '42'],
		[42, '42'],
		[0, '0'],
		['0042', '0042'],
		['12345678901234567890', '12345678901234567890'],
	])('reads %p as %p', (raw, expected) => {
		expect(checkNumericId(raw, 'Message ID')).toBe(expected);
	});

	it.each(['4a', '-1', '1.5', '1e3', '12 34', '123456789012345678901', -1, 1.5, 2 ** 53, true, {}])(
		'refuses %p, naming the field',
		(raw) => {
			const error = inputError(() => checkNumericId(raw, 'Message ID'));
			expect(error.field).toBe('Message ID');
			expect(error.reason).toMatch(/must be a number \(digits only\)/);
		},
	);

	it('accepts exactly 1 to 20 digits', () => {
		fc.assert(
			fc.property(digits(1, 20), (id) => {
				expect(checkNumericId(id, 'Message ID')).toBe(id);
			}),
		);
	});
});
