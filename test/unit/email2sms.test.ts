import { decode } from 'iconv-lite';

import {
	buildEmail2SmsBody,
	Email2SmsTemplateError,
	encodeEmail2SmsBody,
	splitPhones,
	templateKeyAtLineStart,
} from '../../nodes/shared/protocol/email2sms';
import { isLoopback } from '../../nodes/shared/smtp';
import { checkEmail2Sms } from '../../nodes/shared/validation/email2sms';
import { readEmail2SmsCredentials } from '../../nodes/shared/validation/email2sms-credentials';
import { checkWindows1251 } from '../../nodes/shared/validation/windows-1251';

const account = { login: 'test_user', password: 'qwerty12' };

describe('Email2SMS body', () => {
	it('is the document’s example, line by line, CR LF, without its markers or blank lines', () => {
		const body = buildEmail2SmsBody(account, { sender: 'My Bank', phones: ['79101234567'], text: 'Оплата прошла успешно.' });
		expect(body).toBe('SmsUser=test_user\r\nPassword=qwerty12\r\nSourceAddress=My Bank\r\nPhoneNumber=79101234567\r\nОплата прошла успешно.\r\n');
		const bytes = encodeEmail2SmsBody(body);
		expect(bytes.subarray(-24)).toEqual(Buffer.from([0xce, 0xef, 0xeb, 0xe0, 0xf2, 0xe0, 0x20, 0xef, 0xf0, 0xee, 0xf8, 0xeb, 0xe0, 0x20, 0xf3, 0xf1, 0xef, 0xe5, 0xf8, 0xed, 0xee, 0x2e, 0x0d, 0x0a]));
		expect(decode(bytes, 'windows-1251')).toBe(body);
	});

	it('joins several phones with commas and normalises every line break of the text to CR LF', () => {
		const body = buildEmail2SmsBody(account, { sender: 'S', phones: ['79101234567', '79102345678', '79103456789'], text: 'a\nb\r\nc\rd' });
		expect(body.split('\r\n').slice(3)).toEqual(['PhoneNumber=79101234567,79102345678,79103456789', 'a', 'b', 'c', 'd', '']);
	});

	it.each([
		['a line break in the sender', { sender: 'A\r\nPhoneNumber=1', phones: ['79101234567'] }],
		['a vertical tab in the sender', { sender: 'A\u000BB', phones: ['79101234567'] }],
		['no phone', { sender: 'S', phones: [] }],
		['21 phones', { sender: 'S', phones: splitPhones(Array.from({ length: 21 }, (_, i) => String(79000000000 + i)), 21)[0] }],
		['a phone that is not digits', { sender: 'S', phones: ['7910123456\n7'] }],
	])('refuses %s', (_label, sms) => {
		expect(() => buildEmail2SmsBody(account, { text: 't', ...sms })).toThrow(Email2SmsTemplateError);
	});

	it('refuses a login or password that would split a line', () => {
		expect(() => buildEmail2SmsBody({ login: 'a\nb', password: 'p' }, { sender: 'S', phones: ['79101234567'], text: 't' })).toThrow(/SmsUser/);
		expect(() => buildEmail2SmsBody({ login: 'a', password: 'p\r' }, { sender: 'S', phones: ['79101234567'], text: 't' })).toThrow(/Password/);
	});

	it('will not encode a character windows-1251 cannot carry', () => {
		expect(() => encodeEmail2SmsBody('a😀')).toThrow(/U\+1F600 at position 2/);
	});

	it('finds text lines that start like a template line', () => {
		expect(templateKeyAtLineStart('ok\n  password=1')).toEqual({ line: 2, key: 'Password' });
		expect(templateKeyAtLineStart('Your Password= is not here')).toBeUndefined();
		expect(templateKeyAtLineStart('SmsUserX=1')).toBeUndefined();
	});
});

describe('Email2SMS validation', () => {
	it('names the field, the character and its position', () => {
		expect(() => checkWindows1251('ab😀', 'Text')).toThrow('Text: has the character U+1F600 "😀" at position 3, which the windows-1251 charset cannot carry');
		expect(() => checkWindows1251('a\u0301', 'Text')).toThrow(/^Text: has the character U\+0301 at position 2/);
		expect(checkWindows1251('ab😀中', 'Text', { replace: true })).toBe('ab??');
		expect(() => checkWindows1251('pass中', 'SMS Password', { secret: true })).toThrow(/^SMS Password: has a character that the windows-1251 charset cannot carry$/);
	});

	it('normalises and dedupes phones with the shared phone rules', () => {
		expect(checkEmail2Sms({ phones: '+7 900 123-45-67; 89001234567\n9001234568', sender: 'S', text: 't' }).phones).toEqual([
			'79001234567',
			'79001234568',
		]);
	});

	it('keeps the text as typed unless replacing', () => {
		expect(checkEmail2Sms({ phones: '79001234567', sender: 'S', text: 'a\nb 😀' , replaceUnsupported: true }).text).toBe('a\nb ?');
		expect(() => checkEmail2Sms({ phones: '79001234567', sender: 'S😀', text: 'x', replaceUnsupported: true })).toThrow(/^Sender: has the character U\+1F600/);
	});
});

describe('Email2SMS credential', () => {
	const valid = {
		host: ' smtp.example.ru ',
		port: 465,
		secure: true,
		user: 'shop@example.ru',
		password: 'smtp pass',
		from: 'shop@example.ru',
		smsLogin: 'demo',
		smsPassword: 'абвгдеёж',
		gatewayAddress: 'emailtosms@email2smsapi.ru',
	};

	it('reads valid values (an 8-character Cyrillic password included)', () => {
		expect(readEmail2SmsCredentials(valid)).toEqual({ ...valid, host: 'smtp.example.ru' });
		expect(readEmail2SmsCredentials({ ...valid, port: '587', secure: false, gatewayAddress: undefined })).toMatchObject({
			port: 587,
			secure: false,
			gatewayAddress: 'emailtosms@email2smsapi.ru',
		});
	});

	it.each([
		[{ smsPassword: 'qwerty12345' }, 'SMS Password: is 11 characters long; Email2SMS accepts a password of at most 8 characters (ask TargetSMS for a shorter one)'],
		[{ smsPassword: '' }, 'SMS Password: is required'],
		[{ smsPassword: 'ab\ncd' }, 'SMS Password: has a line break or another control character'],
		[{ smsPassword: 'ab😀' }, 'SMS Password: has a character that the windows-1251 charset cannot carry'],
		[{ password: 'a\r\nb' }, 'SMTP Password: has a line break or another control character'],
		[{ from: 'a@b' }, 'From Address: "a@b" is not a plain email address such as name@example.ru'],
		[{ from: 'a@b.ru, c@d.ru' }, 'From Address: "a@b.ru, c@d.ru" is not a plain email address such as name@example.ru'],
		[{ gatewayAddress: '<x@y.ru>' }, 'Gateway Address: "<x@y.ru>" is not a plain email address such as name@example.ru'],
		[{ host: '' }, 'SMTP Host: is required'],
		[{ port: 70000 }, 'SMTP Port: must be a whole number from 1 to 65535, got "70000"'],
		[{ smsLogin: 'demo\r\n' }, 'SMS Login: has a character U+000D at position 5; it must be a single line'],
	])('refuses %j', (override, message) => {
		expect(() => readEmail2SmsCredentials({ ...valid, ...override })).toThrow(message);
	});
});

describe('SMTP transport', () => {
	it.each([
		['localhost', true],
		['127.0.0.1', true],
		['127.1.2.3', true],
		['::1', true],
		['[::1]', true],
		['smtp.yandex.ru', false],
		['10.0.0.1', false],
		['127.example.com', false],
	])('treats %s as loopback: %s', (host, expected) => {
		expect(isLoopback(host)).toBe(expected);
	});
});
