import fc from 'fast-check';
import { decode, encode } from 'iconv-lite';

import {
	buildEmail2SmsBody,
	EMAIL2SMS_MAX_PHONES,
	EMAIL2SMS_TEMPLATE_KEYS,
	Email2SmsTemplateError,
	encodeEmail2SmsBody,
	findUnsupportedCharacter,
	isWindows1251Character,
	normaliseLineBreaks,
	replaceUnsupportedCharacters,
	splitPhones,
} from '../../nodes/shared/protocol/email2sms';
import { checkEmail2Sms } from '../../nodes/shared/validation/email2sms';
import { InputError } from '../../nodes/shared/validation/input-error';
import { anyText, digits } from './support/arbitraries';

const RUNS = { numRuns: 300 };

/** Every character windows-1251 carries, as the codec decodes its bytes (0x98 is undefined). */
const WINDOWS_1251 = [...decode(Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), 'windows-1251')].filter(
	(character) => character !== '\uFFFD',
);
const printable1251 = WINDOWS_1251.filter((character) => !/[\u0000-\u001F\u007F]/.test(character));
const lineBreak = fc.constantFrom('\n', '\r\n', '\r');

/** Texts of windows-1251 characters with line breaks of every kind. */
const text1251 = fc.string({
	unit: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...printable1251) }, { weight: 1, arbitrary: lineBreak }, { weight: 1, arbitrary: fc.constant('\t') }),
	minLength: 1,
	maxLength: 60,
});
const line1251 = fc.string({ unit: fc.constantFrom(...printable1251), minLength: 1, maxLength: 20 });
const phone = digits(10, 15);
const phones = fc.array(phone, { minLength: 1, maxLength: EMAIL2SMS_MAX_PHONES });
const account = fc.record({ login: line1251, password: fc.string({ unit: fc.constantFrom(...printable1251), minLength: 1, maxLength: 8 }) });

/** An arbitrary value that may try to break a template line: line breaks, controls, other keys. */
const hostile = fc.oneof(
	anyText(30),
	fc.constantFrom('\r\nPhoneNumber=79990000000', '\nPassword=x', '\rSmsUser=root', 'a\u2028b', 'x\u0085y', '\u000BSourceAddress=x'),
	fc.tuple(anyText(10), fc.constantFrom('\r', '\n', '\r\n'), anyText(10)).map((parts) => parts.join('')),
);

describe('Email2SMS body builder (properties)', () => {
	it('any text of windows-1251 characters round-trips through the encoded bytes, line breaks as CR LF', () => {
		fc.assert(
			fc.property(account, line1251, phones, text1251, (acc, sender, list, text) => {
				const body = buildEmail2SmsBody(acc, { sender, phones: list, text });
				const bytes = encodeEmail2SmsBody(body);
				expect(bytes).toEqual(encode(body, 'windows-1251'));
				const decoded = decode(bytes, 'windows-1251');
				expect(decoded).toBe(body);
				const lines = decoded.slice(0, -2).split('\r\n');
				expect(lines.slice(0, 4)).toEqual([
					`SmsUser=${acc.login}`,
					`Password=${acc.password}`,
					`SourceAddress=${sender}`,
					`PhoneNumber=${list.join(',')}`,
				]);
				expect(lines.slice(4).join('\r\n')).toBe(normaliseLineBreaks(text));
				expect(decoded.endsWith('\r\n')).toBe(true);
				expect(decoded.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
			}),
			RUNS,
		);
	});

	it('no sender, login, password or phone can add, drop or split a template line', () => {
		fc.assert(
			fc.property(
				fc.record({ login: fc.oneof(line1251, hostile), password: fc.oneof(line1251, hostile) }),
				fc.oneof(line1251, hostile),
				fc.array(fc.oneof(phone, hostile), { minLength: 0, maxLength: 22 }),
				fc.oneof(text1251, hostile),
				(acc, sender, list, text) => {
					let body: string;
					try {
						body = buildEmail2SmsBody(acc, { sender, phones: list, text });
					} catch (error) {
						expect(error).toBeInstanceOf(Email2SmsTemplateError);
						return;
					}
					const lines = body.slice(0, -2).split('\r\n');
					expect(lines.slice(0, 4).map((line) => line.slice(0, line.indexOf('=')))).toEqual([...EMAIL2SMS_TEMPLATE_KEYS]);
					expect(lines[0]).toBe(`SmsUser=${acc.login}`);
					expect(lines[1]).toBe(`Password=${acc.password}`);
					expect(lines[2]).toBe(`SourceAddress=${sender}`);
					expect(lines[3]).toBe(`PhoneNumber=${list.join(',')}`);
					expect(list.length).toBeGreaterThan(0);
					expect(list.length).toBeLessThanOrEqual(EMAIL2SMS_MAX_PHONES);
					expect(list.every((entry) => /^\d{10,15}$/.test(entry))).toBe(true);
					expect(lines.length).toBe(4 + normaliseLineBreaks(text).split('\r\n').length);
				},
			),
			RUNS,
		);
	});

	it('through the node’s validation, any sender and phones either are refused or leave the template’s four lines intact', () => {
		fc.assert(
			fc.property(fc.oneof(line1251, hostile), fc.oneof(phone, hostile, fc.array(fc.oneof(phone, hostile)).map((list) => list.join(','))), fc.oneof(text1251, hostile), fc.boolean(), (sender, rawPhones, text, replaceUnsupported) => {
				let checked;
				try {
					checked = checkEmail2Sms({ phones: rawPhones, sender, text, replaceUnsupported });
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					return;
				}
				for (const group of splitPhones(checked.phones)) {
					const body = decode(
						encodeEmail2SmsBody(buildEmail2SmsBody({ login: 'demo', password: 'demo1234' }, { ...checked, phones: group })),
						'windows-1251',
					);
					const lines = body.split('\r\n');
					expect(lines[2]).toBe(`SourceAddress=${sender}`);
					expect(lines[3]).toBe(`PhoneNumber=${group.join(',')}`);
					const textLines = lines.slice(4);
					for (const line of textLines) {
						expect(EMAIL2SMS_TEMPLATE_KEYS.some((key) => line.trimStart().toLowerCase().startsWith(key.toLowerCase() + '='))).toBe(false);
					}
				}
			}),
			RUNS,
		);
	});

	it('splits any phone list into groups of at most 20, all full but the last, in order', () => {
		fc.assert(
			fc.property(fc.array(phone, { maxLength: 130 }), (list) => {
				const groups = splitPhones(list);
				expect(groups.flat()).toEqual(list);
				expect(groups.length).toBe(Math.ceil(list.length / 20));
				groups.slice(0, -1).forEach((group) => expect(group).toHaveLength(20));
				if (groups.length > 0) expect(groups[groups.length - 1].length).toBeGreaterThan(0);
			}),
			RUNS,
		);
	});

	it('replacing unsupported characters leaves only windows-1251 characters, one "?" per code point', () => {
		fc.assert(
			fc.property(anyText(50), (text) => {
				const { text: replaced, replaced: count } = replaceUnsupportedCharacters(text);
				expect(findUnsupportedCharacter(replaced)).toBeUndefined();
				expect([...replaced]).toHaveLength([...text].length);
				expect(count).toBe([...text].filter((character) => !isWindows1251Character(character)).length);
				expect(decode(encode(replaced, 'windows-1251'), 'windows-1251')).toBe(replaced);
				if (count === 0) expect(replaced).toBe(text);
			}),
			RUNS,
		);
	});

	it('finds the first unsupported character at its 1-based code point position', () => {
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom(...printable1251), maxLength: 10 }), fc.constantFrom('😀', '中', '\u0301', 'ā', '\uD800'), anyText(10), (prefix, bad, rest) => {
				// 'x' keeps a lone surrogate lone: `rest` could start with its other half.
				const found = findUnsupportedCharacter(prefix + bad + 'x' + rest);
				expect(found).toEqual({
					position: [...prefix].length + 1,
					character: [...bad][0],
					codePoint: 'U+' + bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'),
				});
			}),
			RUNS,
		);
	});
});
