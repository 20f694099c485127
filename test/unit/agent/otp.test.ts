import fc from 'fast-check';

import type { OtpRequest } from '../../../nodes/shared/protocol/agent/otp';
import { buildOtpRequest, OTP_DEFAULT_TEXT, parseOtpResponse } from '../../../nodes/shared/protocol/agent/otp';
import { ProviderRefusalError, UnexpectedResponseError } from '../../../nodes/shared/protocol/errors';
import { findControlCharacter, findXmlForbiddenCharacter } from '../../../nodes/shared/protocol/text';
import { digits, expectedWireText, stripXmlForbidden } from '../support/arbitraries';
import { childNames, parseDocument } from '../support/strict-xml';
import { agentSingleLine, agentUnit, singleLineForbidden, thrownBy } from './support';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

// The OTP document's replies, as printed there (trailing spaces included).
const DOCUMENT_SUCCESS = `<?xml version="1.0" encoding="utf-8"?>
<response>
  <success code="64653989" id_sms="1712292705" status="send" />
</response>`;

const DOCUMENT_ERROR = `<?xml version="1.0" encoding="utf-8"?>  
<response>  
  <error>Неверный логин или пароль</error>  
</response>`;

const request: OtpRequest = { phone: '79001234567', sender: 'target', codeLength: 4, text: OTP_DEFAULT_TEXT };
const login = { login: 'логин', password: 'пароль' };

/** Any text the multi-line `text` field accepts, markup pieces included. */
const otpText = fc.string({ unit: agentUnit, maxLength: 60 }).map(stripXmlForbidden);

describe('buildOtpRequest', () => {
	it('writes the document\'s request, the phone as +<digits>, apart from whitespace between elements', () => {
		expect(buildOtpRequest(login, request)).toBe(
			DECLARATION +
				'<request><security><login>логин</login><password>пароль</password></security>' +
				'<phone>+79001234567</phone><sender>target</sender><random_string_len>4</random_string_len>' +
				'<text>Временный пароль: {код}</text></request>',
		);
	});

	it('writes the code length as given and line breaks in the text as the two characters \\n', () => {
		expect(
			buildOtpRequest(login, { phone: '84912345678', sender: 'Shop', codeLength: 8, text: 'Код:\r\n{код}\rдля\nвхода\\n' }),
		).toBe(
			DECLARATION +
				'<request><security><login>логин</login><password>пароль</password></security>' +
				'<phone>+84912345678</phone><sender>Shop</sender><random_string_len>8</random_string_len>' +
				'<text>Код:\\n{код}\\nдля\\nвхода\\n</text></request>',
		);
	});

	it('escapes markup in the sender and text', () => {
		expect(
			buildOtpRequest(login, { phone: '79001234567', sender: 'A&B "shop"', codeLength: 4, text: '{код} </text><text>x & <y>' }),
		).toBe(
			DECLARATION +
				'<request><security><login>логин</login><password>пароль</password></security>' +
				'<phone>+79001234567</phone><sender>A&amp;B &quot;shop&quot;</sender><random_string_len>4</random_string_len>' +
				'<text>{код} &lt;/text&gt;&lt;text&gt;x &amp; &lt;y&gt;</text></request>',
		);
	});

	it('round-trips any credentials, sender and text exactly, after the line-break normalisation', () => {
		fc.assert(
			fc.property(
				agentSingleLine(20),
				agentSingleLine(20),
				digits(10, 15),
				agentSingleLine(20),
				fc.integer({ min: 4, max: 8 }),
				otpText,
				(user, password, phone, sender, codeLength, text) => {
					const body = buildOtpRequest({ login: user, password }, { phone, sender, codeLength, text });
					expect(body.startsWith(DECLARATION)).toBe(true);
					expect(body).not.toMatch(/[\r\n]/);
					const root = parseDocument(body);
					expect(root.name).toBe('request');
					expect(root.attributes).toEqual({});
					expect(childNames(root)).toEqual(['security', 'phone', 'sender', 'random_string_len', 'text']);
					for (const child of root.children) expect(child.attributes).toEqual({});
					const [security, ...fields] = root.children;
					expect(security.children.map((child) => [child.name, child.text, child.children.length])).toEqual([
						['login', user, 0],
						['password', password, 0],
					]);
					expect(fields.map((field) => [field.name, field.text, field.children.length])).toEqual([
						['phone', '+' + phone, 0],
						['sender', sender, 0],
						['random_string_len', String(codeLength), 0],
						['text', expectedWireText(text), 0],
					]);
				},
			),
		);
	});

	it('refuses a control character in the sender, phone or credentials, naming the field and position', () => {
		const field = fc.constantFrom('sender', 'phone', 'login', 'password');
		fc.assert(
			fc.property(field, agentSingleLine(8), singleLineForbidden, agentSingleLine(8), (name, before, forbidden, after) => {
				const value = before + forbidden + after;
				fc.pre(findControlCharacter(value) !== undefined);
				const credentials = { ...login };
				const otp = { ...request };
				if (name === 'login' || name === 'password') credentials[name] = value;
				else otp[name as 'sender'] = value;
				expect(thrownBy(() => buildOtpRequest(credentials, otp)).message).toMatch(
					new RegExp(`^${name} has a character U\\+[0-9A-F]{4} at position \\d+`),
				);
			}),
		);
	});

	it('refuses in the text exactly the characters XML 1.0 cannot carry, keeping tabs', () => {
		expect(() => buildOtpRequest(login, { ...request, text: 'a\u0001{код}' })).toThrow(/^text has a character U\+0001 at position 2 /);
		expect(() => buildOtpRequest(login, { ...request, text: '{код}\uFFFF' })).toThrow(/^text has a character U\+FFFF at position 6 /);
		expect(() => buildOtpRequest(login, { ...request, text: '{код}\uD800' })).toThrow(/^text has a character U\+D800/);
		const tabbed = parseDocument(buildOtpRequest(login, { ...request, text: 'Код:\t{код}' }));
		expect(tabbed.children[4].text).toBe('Код:\t{код}');
		fc.assert(
			fc.property(otpText, (text) => {
				expect(findXmlForbiddenCharacter(text)).toBeUndefined();
				expect(() => buildOtpRequest(login, { ...request, text })).not.toThrow();
			}),
		);
	});
});

describe('parseOtpResponse', () => {
	it('reads the document\'s success reply', () => {
		expect(parseOtpResponse(DOCUMENT_SUCCESS)).toEqual({ code: '64653989', smsId: 1712292705, status: 'send' });
	});

	it('keeps a code\'s leading zeros: the code is a string', () => {
		expect(parseOtpResponse('<?xml version="1.0" encoding="utf-8"?><response><success code="0042" id_sms="7" status="send"/></response>')).toEqual({
			code: '0042',
			smsId: 7,
			status: 'send',
		});
	});

	it('reads a not_valid_phone status as a status, for the caller to treat as that item\'s error', () => {
		expect(parseOtpResponse('<response><success code="1234" id_sms="1712292706" status="not_valid_phone"/></response>')).toEqual({
			code: '1234',
			smsId: 1712292706,
			status: 'not_valid_phone',
		});
	});

	it('refuses on the document\'s error reply, with the provider\'s text', () => {
		const error = thrownBy(() => parseOtpResponse(DOCUMENT_ERROR));
		expect(error).toBeInstanceOf(ProviderRefusalError);
		expect((error as ProviderRefusalError).providerText).toBe('Неверный логин или пароль');
	});

	it.each([
		['a reply without <success>', '<?xml version="1.0" encoding="utf-8"?><response></response>'],
		['a reply with an empty <error> and no <success>', '<response><error></error></response>'],
		['an email-style <request> root', '<request><error/><success code="1234" id_sms="1" status="send"/></request>'],
		['an HTML page', '<html><body>Service Unavailable</body></html>'],
		['a truncated reply', '<response><success code="1234" id_sms="1" status="send">'],
		['JSON', '{"code":"1234"}'],
		['an empty body', ''],
	])('treats %s as an unexpected reply', (_name, body) => {
		expect(() => parseOtpResponse(body)).toThrow(UnexpectedResponseError);
	});
});
