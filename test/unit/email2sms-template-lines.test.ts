import fc from 'fast-check';

import {
	buildEmail2SmsBody,
	EMAIL2SMS_TEMPLATE_KEYS,
	Email2SmsTemplateError,
	findTemplateLikeLine,
	templateKeyAtLineStart,
} from '../../nodes/shared/protocol/email2sms';
import { checkEmail2Sms } from '../../nodes/shared/validation/email2sms';
import { InputError } from '../../nodes/shared/validation/input-error';

const RUNS = { numRuns: 300 };

function refusal(text: string): InputError {
	try {
		checkEmail2Sms({ phones: '79001234567', sender: 'Shop', text });
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error(`Not refused: ${JSON.stringify(text)}`);
}

describe('Email2SMS text: lines the gateway could read as template lines', () => {
	it.each([
		['PhoneNumber =79990000000', 1, 'PhoneNumber', '"PhoneNumber ="'],
		['phonenumber=79990000000', 1, 'PhoneNumber', '"phonenumber="'],
		['\tPassword\t=x', 1, 'Password', '"\\tPassword\\t="'],
		['Hello\n  SMSUSER  = root', 2, 'SmsUser', '"  SMSUSER  ="'],
		['a\r\nb\rSourceAddress=Bank', 3, 'SourceAddress', '"SourceAddress="'],
		['ok\n\u00A0password =1', 2, 'Password', '"\\u00A0password ="'],
		['x\nsOuRcEaDdReSs\t \t=', 2, 'SourceAddress', '"sOuRcEaDdReSs\\t \\t="'],
	])('refuses %j, naming line %i and the %s field', (text, line, key, written) => {
		const error = refusal(text);
		expect(error.field).toBe('Text');
		expect(error.message).toBe(
			`Text: line ${line} starts with ${written}, which the gateway could read as the ${key} line of the Email2SMS template; reword that line`,
		);
		expect(findTemplateLikeLine(text)).toMatchObject({ line, key });
		expect(templateKeyAtLineStart(text)).toEqual({ line, key });
		expect(() => buildEmail2SmsBody({ login: 'demo', password: 'demo1234' }, { sender: 'S', phones: ['79001234567'], text })).toThrow(
			Email2SmsTemplateError,
		);
	});

	it.each([
		'Your Password= is not here',
		'SmsUserX=1',
		'Phone Number=7999',
		'PhoneNumber: 7999',
		'Пароль=1234',
		'My password is = 1',
		'PhoneNumbers=1',
		'-Password=1',
	])('passes %j', (text) => {
		expect(templateKeyAtLineStart(text)).toBeUndefined();
		expect(checkEmail2Sms({ phones: '79001234567', sender: 'Shop', text }).text).toBe(text);
	});

	const blank = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 4 });
	const anyCase = (word: string) =>
		fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) =>
			[...word].map((character, index) => (upper[index] ? character.toUpperCase() : character.toLowerCase())).join(''),
		);
	const lineBreak = fc.constantFrom('\n', '\r\n', '\r');
	const ordinaryLine = fc.string({ unit: fc.constantFrom(...'abc XYZ 123 ,.!?Привет'), maxLength: 20 });

	it('refuses any letter case and spacing of every key on any line, naming that line and key', () => {
		fc.assert(
			fc.property(
				fc.array(ordinaryLine, { maxLength: 4 }),
				fc.constantFrom(...EMAIL2SMS_TEMPLATE_KEYS).chain((key) => fc.tuple(fc.constant(key), anyCase(key))),
				blank,
				blank,
				ordinaryLine,
				lineBreak,
				(before, [key, written], leading, trailing, value, lineBreakUsed) => {
					const text = [...before, `${leading}${written}${trailing}=${value}`].join(lineBreakUsed);
					fc.pre(before.every((line) => templateKeyAtLineStart(line) === undefined));
					const error = refusal(text);
					expect(error.message).toContain(`line ${before.length + 1} starts with`);
					expect(error.message).toContain(`as the ${key} line`);
				},
			),
			RUNS,
		);
	});

	it('passes texts without such lines unchanged', () => {
		fc.assert(
			fc.property(fc.array(ordinaryLine, { minLength: 1, maxLength: 5 }), lineBreak, (lines, lineBreakUsed) => {
				const text = lines.join(lineBreakUsed);
				fc.pre(text.trim() !== '');
				expect(templateKeyAtLineStart(text)).toBeUndefined();
				expect(checkEmail2Sms({ phones: '79001234567', sender: 'Shop', text }).text).toBe(text);
			}),
			RUNS,
		);
	});

	it('passes a key that is only part of a longer word or not followed by "="', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...EMAIL2SMS_TEMPLATE_KEYS).chain(anyCase),
				blank,
				fc.constantFrom('x=', ':', ' is', '_1=', '-'),
				(written, leading, after) => {
					expect(templateKeyAtLineStart(`${leading}${written}${after}1`)).toBeUndefined();
				},
			),
			RUNS,
		);
	});
});
