import fc from 'fast-check';

import { OTP_CODE_PLACEHOLDER, OTP_DEFAULT_TEXT } from '../../../nodes/shared/protocol/agent/otp';
import { checkEmailAddress, checkFormat } from '../../../nodes/shared/validation/email';
import { InputError } from '../../../nodes/shared/validation/input-error';
import {
	checkCodeLength,
	checkMaxAgeMinutes,
	checkOtpText,
	otpSecretOf,
	MAX_CODE_LENGTH,
	MIN_CODE_LENGTH,
} from '../../../nodes/shared/validation/otp';
import { multiLineText } from '../support/arbitraries';
import { inputError } from '../validation/support';

describe('checkEmailAddress', () => {
	it.each([
		['test@targetsms.ru', 'test@targetsms.ru'],
		['info@targetsms.ru', 'info@targetsms.ru'],
		['first.last+tag@mail.example.com', 'first.last+tag@mail.example.com'],
		['user_name-1@sub-domain.example.org', 'user_name-1@sub-domain.example.org'],
		['Name@Example.RU', 'Name@Example.RU'],
		['имя@пример.рф', 'имя@пример.рф'],
		['  shop@example.ru  ', 'shop@example.ru'],
	])('accepts %p as %p', (raw, expected) => {
		expect(checkEmailAddress(raw, 'To')).toBe(expected);
	});

	it.each([
		['a display name', 'Shop <shop@example.ru>'],
		['a quoted display name', '"Shop" <shop@example.ru>'],
		['an address in angle brackets', '<shop@example.ru>'],
		['no @', 'shop.example.ru'],
		['two @', 'shop@@example.ru'],
		['no local part', '@example.ru'],
		['no domain dot', 'shop@example'],
		['a one-letter zone', 'shop@example.r'],
		['an empty domain label before the zone', 'shop@.ru'],
		['a trailing dot', 'shop@example.ru.'],
		['a space inside', 'sh op@example.ru'],
		['two addresses with a comma', 'a@example.ru,b@example.ru'],
		['two addresses with a semicolon', 'a@example.ru;b@example.ru'],
		['a quoted local part', '"shop"@example.ru'],
		['a comment', 'shop(comment)@example.ru'],
		['more than 254 characters', 'a'.repeat(250) + '@example.ru'],
	])('refuses %s, naming the field and the value', (_name, raw) => {
		const error = inputError(() => checkEmailAddress(raw, 'From'));
		expect(error.field).toBe('From');
		expect(error.message).toMatch(/^From: /);
		expect(error.reason).toContain(raw.trim().slice(0, 20));
		expect(error.reason).toMatch(/not a valid email address/);
	});

	it.each([
		['empty', '', /is required/],
		['missing', undefined, /is required/],
		['blank', '   ', /must not be blank/],
		['a line break', 'shop@example.ru\nBcc: x@example.ru', /U\+000A at position 16/],
		['a tab', 'shop@example.ru\t', /U\+0009 at position 16/],
		['a list', ['shop@example.ru'], /expected text, got a list/],
	])('refuses %s with the field\'s name', (_name, raw, reason) => {
		const error = inputError(() => checkEmailAddress(raw, 'To'));
		expect(error).toBeInstanceOf(InputError);
		expect(error.field).toBe('To');
		expect(error.reason).toMatch(reason);
	});

	it('never returns a value holding a character the builders refuse', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (raw) => {
				let checked: string | undefined;
				try {
					checked = checkEmailAddress(raw, 'To');
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					return;
				}
				expect(checked).toMatch(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]{2,}$/u);
				// eslint-disable-next-line no-control-regex -- looking for control characters
				expect(checked).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
			}),
		);
	});
});

describe('checkFormat', () => {
	it('accepts json and xml and refuses anything else', () => {
		expect(checkFormat('json')).toBe('json');
		expect(checkFormat('xml')).toBe('xml');
		expect(inputError(() => checkFormat('JSON')).field).toBe('Format');
		expect(inputError(() => checkFormat(undefined)).reason).toMatch(/json or xml/);
	});
});

describe('checkCodeLength', () => {
	it('is 4 to 8, as the node describes', () => {
		expect([MIN_CODE_LENGTH, MAX_CODE_LENGTH]).toEqual([4, 8]);
	});

	it.each([
		[4, 4],
		[5, 5],
		[8, 8],
		['6', 6],
		[' 7 ', 7],
		[undefined, 4],
		[null, 4],
		['', 4],
	])('reads %p as %p', (raw, expected) => {
		expect(checkCodeLength(raw)).toBe(expected);
	});

	it.each([3, 9, 0, -4, 4.5, '4.5', 'four', '1e1', Number.NaN])('refuses %p, naming the field', (raw) => {
		const error = inputError(() => checkCodeLength(raw));
		expect(error.field).toBe('Code Length');
		expect(error.reason).toMatch(/from 4 to 8/);
	});

	it('accepts exactly the whole numbers 4 to 8', () => {
		fc.assert(
			fc.property(fc.integer({ min: -100, max: 100 }), (length) => {
				if (length >= 4 && length <= 8) expect(checkCodeLength(length)).toBe(length);
				else expect(() => checkCodeLength(length)).toThrow(InputError);
			}),
		);
	});
});

describe('checkOtpText', () => {
	it('accepts the document\'s default text and any text holding {код}', () => {
		expect(checkOtpText(OTP_DEFAULT_TEXT)).toBe('Временный пароль: {код}');
		expect(checkOtpText('{код}')).toBe('{код}');
		expect(checkOtpText('Ваш код\r\n\t{код}\nне сообщайте его никому')).toBe('Ваш код\r\n\t{код}\nне сообщайте его никому');
		fc.assert(
			fc.property(multiLineText(20), multiLineText(20), (before, after) => {
				const text = before + OTP_CODE_PLACEHOLDER + after;
				expect(checkOtpText(text)).toBe(text);
			}),
		);
	});

	it.each([
		['no placeholder', 'Ваш код: 1234'],
		['another case', 'Ваш код: {КОД}'],
		['Latin letters', 'Your code: {kod}'],
		['no braces', 'Ваш код: код'],
		['a broken placeholder', 'Ваш код: {ко д}'],
	])('refuses a text with %s, saying it must contain {код}', (_name, raw) => {
		const error = inputError(() => checkOtpText(raw));
		expect(error.field).toBe('Text');
		expect(error.reason).toContain('{код}');
	});

	it.each([
		['empty', '', /is required/],
		['missing', undefined, /is required/],
		['blank', ' \n ', /must not be blank/],
		['a control character', '{код}\u0001', /U\+0001 at position 6/],
		['U+FFFF', '\uFFFF{код}', /U\+FFFF at position 1/],
		['a lone surrogate', '{код}\uDC00', /U\+DC00 at position 6/],
	])('refuses a text that is %s, naming the field', (_name, raw, reason) => {
		const error = inputError(() => checkOtpText(raw));
		expect(error.field).toBe('Text');
		expect(error.reason).toMatch(reason);
	});
});

describe('checkMaxAgeMinutes', () => {
	it.each([
		[undefined, undefined],
		[null, undefined],
		['', undefined],
		[1, 1],
		[5, 5],
		['10', 10],
		[525_600, 525_600],
	])('reads %p as %p', (raw, expected) => {
		expect(checkMaxAgeMinutes(raw)).toBe(expected);
	});

	it.each([0, -5, 2.5, 525_601, 'soon', '5 minutes'])('refuses %p, naming the field', (raw) => {
		const error = inputError(() => checkMaxAgeMinutes(raw));
		expect(error.field).toBe('Max Age (Minutes)');
		expect(error.reason).toMatch(/from 1 to 525600/);
	});
});

describe('otpSecretOf', () => {
	it("takes the node's Secret option first, then the credential's OTP Secret", () => {
		expect(otpSecretOf('s3cret', 'from-credential', 'with Hide Code')).toBe('s3cret');
		expect(otpSecretOf('', 'from-credential', 'with Hide Code')).toBe('from-credential');
		expect(otpSecretOf(undefined, 'from-credential', 'with Hide Code')).toBe('from-credential');
	});

	it('refuses when neither holds a key, saying why it is needed and where to set it', () => {
		const error = inputError(() => otpSecretOf('', '', 'with Hide Code'));
		expect(error.field).toBe('Secret');
		expect(error.reason).toBe(
			'is required with Hide Code: set OTP Secret in the TargetSMS API credential (or the Secret option)',
		);
	});
});
