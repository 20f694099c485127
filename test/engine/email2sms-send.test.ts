import { resolve } from 'node:path';

import { encode } from 'iconv-lite';
import { createTransport } from 'nodemailer';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { TargetSmsSmtpSandbox, SmtpSandboxTexts } from '../sandbox/smtp/server';
import type { HarnessNode, RunResult } from './harness';
import { loadNodeType, runWorkflow, testCredential } from './harness';

const DIST = resolve(__dirname, '../../dist');
const TYPE = 'n8n-nodes-targetsms.targetSmsEmail2Sms';
const NODE = 'TargetSMS Email2SMS';
const CREDENTIAL = 'targetSmsEmail2SmsApi';
const nodeType = loadNodeType(resolve(DIST, 'nodes/TargetSmsEmail2Sms/TargetSmsEmail2Sms.node.js'), 'TargetSmsEmail2Sms');
const S = TargetSmsSmtpSandbox;

const sandbox = new TargetSmsSmtpSandbox();
let server: { host: string; port: number };
beforeAll(async () => {
	server = await sandbox.start();
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

function credentialData(overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		host: server.host,
		port: server.port,
		secure: false,
		user: S.DEFAULT_SMTP_USER,
		password: S.DEFAULT_SMTP_PASSWORD,
		from: S.DEFAULT_RETURN_ADDRESS,
		smsLogin: S.DEFAULT_SMS_LOGIN,
		smsPassword: S.DEFAULT_SMS_PASSWORD,
		gatewayAddress: S.DEFAULT_GATEWAY_ADDRESS,
		...overrides,
	};
}

interface Run {
	items: IDataObject[];
	parameters?: INodeParameters;
	settings?: Partial<HarnessNode>;
	credential?: ICredentialDataDecryptedObject;
}

const fromItems: INodeParameters = {
	operation: 'send',
	phones: '={{ $json.phones }}',
	sender: 'MyShop',
	text: '={{ $json.text }}',
};

function run({ items, parameters = fromItems, settings, credential }: Run): Promise<RunResult> {
	return runWorkflow({
		nodeTypes: { [TYPE]: nodeType },
		items,
		nodes: [{ name: NODE, type: TYPE, parameters, ...settings }],
		credentials: { [CREDENTIAL]: { data: credentialData(credential) } },
	});
}

function expectedBody(sender: string, phones: string[], text: string): Buffer {
	const lines = [`SmsUser=${S.DEFAULT_SMS_LOGIN}`, `Password=${S.DEFAULT_SMS_PASSWORD}`, `SourceAddress=${sender}`, `PhoneNumber=${phones.join(',')}`, text];
	return encode(lines.join('\r\n') + '\r\n', 'windows-1251');
}

/** The bytes after the header block, as they went over the wire. */
function rawBody(raw: Buffer): Buffer {
	return raw.subarray(raw.indexOf('\r\n\r\n') + 4);
}

function header(index: number, key: string): string[] {
	return sandbox.received[index].headerLines.filter((entry) => entry.key === key).map((entry) => entry.line);
}

const phoneRange = (count: number, start = 79000000000) => Array.from({ length: count }, (_, i) => String(start + i));

describe('TargetSMS Email2SMS node: sending in n8n’s engine against the SMTP sandbox', () => {
	it('sends each item as a windows-1251 email whose body is exactly the template, and pairs the outputs', async () => {
		const items = [
			{ phones: '+7 (900) 123-45-67', text: 'Ваш заказ №15 принят.\nСпасибо, что вы с нами — «МойМагазин»!' },
			{ phones: '8 900 123-45-68; 9001234569', text: 'Line one\r\nLine two\rLine three' },
		];
		const result = await run({ items });
		expect(result.error).toBeUndefined();

		expect(sandbox.received).toHaveLength(2);
		expect(sandbox.received[0].bodyBytes).toEqual(
			expectedBody('MyShop', ['79001234567'], 'Ваш заказ №15 принят.\r\nСпасибо, что вы с нами — «МойМагазин»!'),
		);
		expect(sandbox.received[1].bodyBytes).toEqual(
			expectedBody('MyShop', ['79001234568', '79001234569'], 'Line one\r\nLine two\r\nLine three'),
		);
		for (const [index, email] of sandbox.received.entries()) {
			expect(header(index, 'content-type')).toEqual(['Content-Type: text/plain; charset=windows-1251']);
			expect(header(index, 'content-transfer-encoding')).toEqual(['Content-Transfer-Encoding: 8bit']);
			expect(email.mailFromBody).toBe('8BITMIME');
			// 8bit: the raw body is the template's windows-1251 bytes themselves, `=` as `=`.
			expect(rawBody(email.raw)).toEqual(email.bodyBytes);
			expect(header(index, 'from')).toEqual([`From: ${S.DEFAULT_RETURN_ADDRESS}`]);
			expect(header(index, 'to')).toEqual([`To: ${S.DEFAULT_GATEWAY_ADDRESS}`]);
			expect(header(index, 'subject')).toEqual(['Subject: SMS']);
			expect(email.mailFrom).toBe(S.DEFAULT_RETURN_ADDRESS);
			expect(email.rcptTo).toEqual([S.DEFAULT_GATEWAY_ADDRESS]);
			expect(email.accepted).toBe(true);
		}
		expect(sandbox.sms.map((sms) => [sms.phone, sms.text])).toEqual([
			['79001234567', items[0].text.replace('\n', '\r\n')],
			['79001234568', 'Line one\r\nLine two\r\nLine three'],
			['79001234569', 'Line one\r\nLine two\r\nLine three'],
		]);

		const output = result.output(NODE);
		expect(output).toHaveLength(2);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const messageId = header(index, 'message-id')[0].replace(/^Message-ID:\s*/i, '');
			expect(item.json).toEqual({
				phones: sandbox.received[index].template!.phones,
				accepted: true,
				smtpMessageId: messageId,
				smtpResponse: sandbox.received[index].reply,
			});
		});
		expect(sandbox.connections).toBe(1);
	});

	it('splits 45 phones into emails of 20, 20 and 5, each paired to its item, over one SMTP connection', async () => {
		const many = phoneRange(45);
		const result = await run({
			items: [{ phones: many.join(', '), text: 'Акция' }, { phones: '79990000001', text: 'Одно' }],
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.received.map((email) => email.template!.phones)).toEqual([
			many.slice(0, 20),
			many.slice(20, 40),
			many.slice(40),
			['79990000001'],
		]);
		expect(sandbox.received[1].bodyBytes).toEqual(expectedBody('MyShop', many.slice(20, 40), 'Акция'));
		const output = result.output(NODE);
		expect(output.map((item) => [(item.json.phones as string[]).length, (item.pairedItem as { item: number }).item])).toEqual([
			[20, 0],
			[20, 0],
			[5, 0],
			[1, 1],
		]);
		expect(new Set(output.map((item) => item.json.smtpMessageId)).size).toBe(4);
		expect(sandbox.connections).toBe(1);
		expect(sandbox.logins).toBe(1);
		expect(new Set(sandbox.received.map((email) => email.connection))).toEqual(new Set([1]));
		expect(sandbox.sms).toHaveLength(46);
	});

	it('carries every Cyrillic letter and windows-1251 punctuation intact', async () => {
		const text = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдеёжзийклмнопрстуфхцчшщъыьэюя ЄєІіЇїЎўҐґ №«»—–…€™§©°±„“”‘’•';
		const result = await run({ items: [{ phones: '79001234567', text }] });
		expect(result.error).toBeUndefined();
		expect(sandbox.received[0].template!.text).toBe(text);
		expect(sandbox.received[0].bodyBytes).toEqual(expectedBody('MyShop', ['79001234567'], text));
	});

	it('with Replace Unsupported Characters, sends "?" for each character windows-1251 cannot carry', async () => {
		const result = await run({
			items: [{ phones: '79001234567', text: 'Скидка 😀 50% 中' }],
			parameters: { ...fromItems, options: { replaceUnsupported: true } },
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.received[0].template!.text).toBe('Скидка ? 50% ?');
	});

	it('with Group Items, 45 one-phone items with the same sender and text go out as 3 emails, each item with its own output', async () => {
		const phones = phoneRange(45);
		const items = [...phones.map((phone) => ({ phones: phone, text: 'Акция' })), { phones: '79990000001', text: 'Другое' }];
		const result = await run({ items, parameters: { ...fromItems, options: { groupItems: true } } });
		expect(result.error).toBeUndefined();
		expect(sandbox.received.map((email) => email.template!.phones)).toEqual([phones.slice(0, 20), phones.slice(20, 40), phones.slice(40), ['79990000001']]);
		expect(sandbox.received[1].bodyBytes).toEqual(expectedBody('MyShop', phones.slice(20, 40), 'Акция'));
		const messageIds = sandbox.received.map((_email, index) => header(index, 'message-id')[0].replace(/^Message-ID:\s*/i, ''));
		const output = result.output(NODE);
		expect(output).toHaveLength(46);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual({
				phones: [items[index].phones],
				accepted: true,
				smtpMessageId: messageIds[index === 45 ? 3 : Math.floor(index / 20)],
				smtpResponse: sandbox.received[index === 45 ? 3 : Math.floor(index / 20)].reply,
			});
		});
		expect(sandbox.connections).toBe(1);
		expect(sandbox.sms).toHaveLength(46);
	});

	it('with Group Items and continueOnFail, a refused shared email is an error item of each item it carried', async () => {
		sandbox.failNext({ kind: 'refuseMessage', after: 1 });
		const items = phoneRange(25).map((phone) => ({ phones: phone, text: 'x' }));
		const result = await run({ items, parameters: { ...fromItems, options: { groupItems: true } }, settings: { continueOnFail: true } });
		const output = result.output(NODE);
		expect(output.map((item) => item.json.accepted)).toEqual([...Array(20).fill(true), ...Array(5).fill(false)]);
		expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual(items.map((_item, index) => index));
		expect(output[24].json).toMatchObject({ phones: [items[24].phones], error: `The SMTP server refused the email: 550 ${SmtpSandboxTexts.messageRefused}` });
		expect(sandbox.sms).toHaveLength(20);
	});

	it('opens no connection when there is nothing to send', async () => {
		const result = await run({ items: [{ phones: 'nope', text: 'x' }], settings: { continueOnFail: true } });
		expect(result.output(NODE)).toHaveLength(1);
		expect(sandbox.connections).toBe(0);
	});
});

describe('TargetSMS Email2SMS node: the body’s transfer encoding follows the server’s 8BITMIME', () => {
	const text = 'Скидка = 10%\n.Код: A=B\n.';
	const template = () => expectedBody('MyShop', ['79001234567'], 'Скидка = 10%\r\n.Код: A=B\r\n.');

	it('where the server offers 8BITMIME, sends the exact windows-1251 bytes as 8bit with BODY=8BITMIME', async () => {
		const result = await run({ items: [{ phones: '79001234567', text }] });
		expect(result.error).toBeUndefined();
		const [email] = sandbox.received;
		expect(email.transferEncoding).toBe('8bit');
		expect(email.mailFromBody).toBe('8BITMIME');
		expect(rawBody(email.raw)).toEqual(template());
		expect(rawBody(email.raw).toString('latin1')).toContain('SmsUser=demo\r\nPassword=demo1234\r\nSourceAddress=MyShop\r\nPhoneNumber=79001234567\r\n');
		expect(rawBody(email.raw).includes('=3D')).toBe(false);
		expect(email.accepted).toBe(true);
	});

	it('where it does not, sends quoted-printable (7-bit, `=` as =3D) that decodes to the same bytes', async () => {
		const sevenBit = new TargetSmsSmtpSandbox({ offer8BitMime: false });
		const address = await sevenBit.start();
		try {
			const result = await run({ items: [{ phones: '79001234567', text }], credential: { port: address.port } });
			expect(result.error).toBeUndefined();
			expect(result.output(NODE)[0].json.accepted).toBe(true);
			const [email] = sevenBit.received;
			expect(email.transferEncoding).toBe('quoted-printable');
			expect(email.mailFromBody).toBe('');
			const wire = rawBody(email.raw);
			expect(wire.every((byte) => byte < 0x80)).toBe(true);
			expect(wire.toString('latin1')).toMatch(/^SmsUser=3Ddemo\r\nPassword=3Ddemo1234\r\nSourceAddress=3DMyShop\r\nPhoneNumber=3D79001234567\r\n/);
			expect(email.bodyBytes).toEqual(template());
		} finally {
			await sevenBit.stop();
		}
	});

	it('a server without 8BITMIME refuses 8-bit bytes (the sandbox checks what the node relies on)', async () => {
		const sevenBit = new TargetSmsSmtpSandbox({ offer8BitMime: false });
		const address = await sevenBit.start();
		try {
			const transport = createTransport({ host: address.host, port: address.port, secure: false, auth: { user: S.DEFAULT_SMTP_USER, pass: S.DEFAULT_SMTP_PASSWORD } });
			const raw = Buffer.concat([Buffer.from(`From: ${S.DEFAULT_RETURN_ADDRESS}\r\nContent-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`), template()]);
			await expect(transport.sendMail({ envelope: { from: S.DEFAULT_RETURN_ADDRESS, to: [S.DEFAULT_GATEWAY_ADDRESS] }, raw })).rejects.toMatchObject({
				responseCode: 554,
				response: `554 ${SmtpSandboxTexts.eightBitNotOffered}`,
			});
			transport.close();
		} finally {
			await sevenBit.stop();
		}
	});

	it('a line longer than SMTP allows (998 bytes) goes out quoted-printable even where 8BITMIME is offered', async () => {
		const long = 'Ж'.repeat(1000);
		const result = await run({ items: [{ phones: '79001234567', text: long }] });
		expect(result.error).toBeUndefined();
		const [email] = sandbox.received;
		expect(email.transferEncoding).toBe('quoted-printable');
		expect(email.mailFromBody).toBe('');
		expect(email.bodyBytes).toEqual(expectedBody('MyShop', ['79001234567'], long));
	});
});

describe('TargetSMS Email2SMS node: bad input', () => {
	it.each([
		['an invalid phone', { phones: '12345', text: 'x' }, {}, /^Item 0: Phones: "12345" must have 10 to 15 digits/],
		['a line break inside a phone', { phones: '7900123\n4567', text: 'x' }, {}, /^Item 0: Phones: "7900123" must have 10 to 15 digits/],
		['no phone', { phones: '', text: 'x' }, {}, /^Item 0: Phones: at least one phone number is required/],
		['a line break in the sender', { phones: '79001234567', text: 'x' }, { sender: 'Shop\r\nPhoneNumber=79990000000' }, /^Item 0: Sender: has a character U\+000D at position 5/],
		['an empty text', { phones: '79001234567', text: '' }, {}, /^Item 0: Text: is required/],
		['a control character in the text', { phones: '79001234567', text: 'a\u0007b' }, {}, /^Item 0: Text: has a character U\+0007 at position 2/],
		[
			'an emoji in the text',
			{ phones: '79001234567', text: 'Привет 😀' },
			{},
			/^Item 0: Text: has the character U\+1F600 "😀" at position 8, which the windows-1251 charset cannot carry\. Turn on the option "Replace Unsupported Characters"/,
		],
		['a Chinese character in the sender', { phones: '79001234567', text: 'x' }, { sender: 'Shop中' }, /^Item 0: Sender: has the character U\+4E2D "中" at position 5/],
		[
			'a text line that looks like a template line',
			{ phones: '79001234567', text: 'Hello\n  phonenumber=79990000000' },
			{},
			/^Item 0: Text: line 2 starts with "  phonenumber=", which the gateway could read as the PhoneNumber line/,
		],
		[
			'a text line that looks like a template line with spaces before "="',
			{ phones: '79001234567', text: 'Hello\n\tPassword\t =x' },
			{},
			/^Item 0: Text: line 2 starts with "\\tPassword\\t =", which the gateway could read as the Password line/,
		],
	])('refuses %s before sending anything', async (_label, item, parameters, message) => {
		const result = await run({ items: [item], parameters: { ...fromItems, ...parameters } });
		const error = result.nodeError(NODE)!;
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toMatch(message);
		expect(sandbox.connections).toBe(0);
		expect(sandbox.received).toHaveLength(0);
	});

	it('without continueOnFail, one bad item stops the run before any email', async () => {
		const result = await run({ items: [{ phones: '79001234567', text: 'ok' }, { phones: '79001234568', text: '😀' }] });
		expect(result.nodeError(NODE)?.message).toMatch(/^Item 1: Text: has the character U\+1F600/);
		expect(sandbox.received).toHaveLength(0);
	});

	it('with continueOnFail, a bad item gets an error item and the valid items are sent', async () => {
		const result = await run({
			items: [{ phones: '79001234567', text: 'ok' }, { phones: '79001234568', text: 'bad 😀' }, { phones: 'x', text: 'ok' }, { phones: '79001234569', text: 'ok' }],
			settings: { continueOnFail: true },
		});
		const output = result.output(NODE);
		expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3]);
		expect(output[1].json).toEqual({ error: expect.stringMatching(/^Item 1: Text: has the character U\+1F600/) });
		expect(output[2].json.error).toMatch(/^Item 2: Phones:/);
		expect(output[0].json.accepted).toBe(true);
		expect(output[3].json.accepted).toBe(true);
		expect(sandbox.sms.map((sms) => sms.phone)).toEqual(['79001234567', '79001234569']);
	});

	it.each([
		['an SMS password of 9 characters', { smsPassword: 'abcdefghi' }, /SMS Password: is 9 characters long; Email2SMS accepts a password of at most 8/],
		['a From address with a line break', { from: 'shop@example.ru\r\nBcc: x@example.ru' }, /From Address: has a character U\+000D/],
		['a display name in the From address', { from: 'Shop <shop@example.ru>' }, /From Address: "Shop <shop@example.ru>" is not a plain email address/],
		['a line break in the SMS login', { smsLogin: 'demo\nPassword=1' }, /SMS Login: has a character U\+000A/],
	])('refuses a credential with %s, with or without continueOnFail', async (_label, credential, message) => {
		for (const continueOnFail of [false, true]) {
			const result = await run({ items: [{ phones: '79001234567', text: 'x' }], credential, settings: { continueOnFail } });
			const error = result.nodeError(NODE)!;
			expect(error.name).toBe('NodeOperationError');
			expect(error.message).toMatch(/^Credential "TargetSMS Email2SMS API": /);
			expect(error.message).toMatch(message);
			expect(error.message).not.toContain('abcdefghi');
		}
		expect(sandbox.connections).toBe(0);
	});
});

describe('TargetSMS Email2SMS node: SMTP failures', () => {
	it('without continueOnFail, a refused email fails the node with the server’s words and lists what was accepted', async () => {
		sandbox.failNext({ kind: 'refuseMessage', after: 1, text: 'Недостаточно средств на счёте' });
		const result = await run({ items: [{ phones: phoneRange(25).join(','), text: 'x' }, { phones: '79990000001', text: 'y' }] });
		const error = result.nodeError(NODE) as Error & { description?: string };
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe('The SMTP server refused the email: 550 Недостаточно средств на счёте');
		const firstId = header(0, 'message-id')[0].replace(/^Message-ID:\s*/i, '');
		expect(error.description).toContain(`Already accepted by the SMTP server (1 email):\n${firstId}: ${phoneRange(20).join(', ')}`);
		expect(error.description).toContain('sends the accepted emails again');
		expect(sandbox.received).toHaveLength(2);
		expect(sandbox.sms).toHaveLength(20);
	});

	it('with continueOnFail, a refused email becomes that email’s error item and the others go out', async () => {
		sandbox.failNext({ kind: 'refuseMessage', after: 1 });
		const result = await run({
			items: [{ phones: phoneRange(25).join(','), text: 'x' }, { phones: '79990000001', text: 'y' }],
			settings: { continueOnFail: true },
		});
		const output = result.output(NODE);
		expect(output.map((item) => [item.json.accepted, (item.json.phones as string[]).length, (item.pairedItem as { item: number }).item])).toEqual([
			[true, 20, 0],
			[false, 5, 0],
			[true, 1, 1],
		]);
		expect(output[1].json.error).toBe(`The SMTP server refused the email: 550 ${SmtpSandboxTexts.messageRefused}`);
		expect(sandbox.sms).toHaveLength(21);
		expect(sandbox.connections).toBe(1);
	});

	it('shows the server’s refusal of an address (a wrong Gateway Address) and keeps the session for the next email', async () => {
		sandbox.failNext({ kind: 'refuseRecipient', text: 'Превышен лимит писем' });
		const result = await run({
			items: [{ phones: '79001234567', text: 'x' }, { phones: '79001234568', text: 'y' }],
			settings: { continueOnFail: true },
		});
		const output = result.output(NODE);
		expect(output[0].json).toMatchObject({
			phones: ['79001234567'],
			accepted: false,
			error: 'The SMTP server refused the sender or recipient address: 550 Превышен лимит писем',
		});
		expect(output[1].json.accepted).toBe(true);
		expect(sandbox.connections).toBe(1);

		const wrongGateway = await run({ items: [{ phones: '79001234567', text: 'x' }], credential: { gatewayAddress: 'sms@example.org' } });
		expect(wrongGateway.nodeError(NODE)?.message).toBe(
			`The SMTP server refused the sender or recipient address: 550 ${SmtpSandboxTexts.unknownRecipient('sms@example.org')}`,
		);
	});

	it('shows the gateway’s refusal of the template (a wrong SMS password) as the server’s words', async () => {
		const result = await run({ items: [{ phones: '79001234567', text: 'x' }], credential: { smsPassword: 'wrong123' } });
		const error = result.nodeError(NODE)!;
		expect(error.message).toBe(`The SMTP server refused the email: 550 ${SmtpSandboxTexts.wrongLogin}`);
		expect(JSON.stringify(result.run)).not.toContain('wrong123');
	});

	it('a refused SMTP login fails the node with the server’s words and never the password', async () => {
		const password = 'not-the-smtp-secret';
		const result = await run({ items: [{ phones: '79001234567', text: 'x' }], credential: { password } });
		const error = result.nodeError(NODE) as Error & { description?: string };
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(`The SMTP server refused the login: 535 ${SmtpSandboxTexts.authFailed}`);
		const everything = JSON.stringify(result.run) + error.message + String(error.description);
		expect(everything).not.toContain(password);
		expect(everything).not.toContain(Buffer.from(password).toString('base64'));
		expect(everything).not.toContain(S.DEFAULT_SMS_PASSWORD);
		expect(sandbox.received).toHaveLength(0);
	});

	it('with continueOnFail, a refused login gives every email an error item after one attempt', async () => {
		const result = await run({
			items: [{ phones: phoneRange(21).join(','), text: 'x' }, { phones: '79990000001', text: 'y' }],
			credential: { password: 'wrong' },
			settings: { continueOnFail: true },
		});
		const output = result.output(NODE);
		expect(output.map((item) => [item.json.accepted, (item.pairedItem as { item: number }).item])).toEqual([
			[false, 0],
			[false, 0],
			[false, 1],
		]);
		for (const item of output) expect(item.json.error).toBe(`The SMTP server refused the login: 535 ${SmtpSandboxTexts.authFailed}`);
		expect(output[1].json.description).toMatch(/^Not sent: the SMTP session failed on an earlier email/);
		expect(sandbox.connections).toBe(1);
	});

	it('a connection dropped during an email says it may or may not have reached the gateway', async () => {
		sandbox.failNext({ kind: 'dropAfterProcessing' });
		const result = await run({ items: [{ phones: '79001234567', text: 'x' }] });
		const error = result.nodeError(NODE) as Error & { description?: string };
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(`Could not get an answer from the SMTP server at ${server.host}:${server.port}`);
		expect(error.description).toMatch(/may or may not have reached the gateway/);
		expect(sandbox.sms).toHaveLength(1);
	});

	it('a server that refuses connections fails the node without hanging', async () => {
		const closed = new TargetSmsSmtpSandbox();
		const { port } = await closed.start();
		await closed.stop();
		const result = await run({ items: [{ phones: '79001234567', text: 'x' }], credential: { port } });
		const error = result.nodeError(NODE) as Error & { description?: string };
		expect(error.message).toBe(`Could not get an answer from the SMTP server at ${server.host}:${port}`);
		expect(error.description).toMatch(/ECONNREFUSED/);
		expect(error.description).not.toMatch(/may or may not/);
	});
});

describe('TargetSMS Email2SMS credential test', () => {
	it('logs in to the SMTP server and sends nothing', async () => {
		const ok = await testCredential(nodeType, 'targetSmsEmail2SmsApiTest', CREDENTIAL, credentialData());
		expect(ok.status).toBe('OK');
		expect(sandbox.logins).toBe(1);
		expect(sandbox.received).toHaveLength(0);
	});

	it('shows the server’s refusal of a wrong SMTP password, without the password', async () => {
		const wrong = await testCredential(nodeType, 'targetSmsEmail2SmsApiTest', CREDENTIAL, credentialData({ password: 'wrong-pass' }));
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toContain(`535 ${SmtpSandboxTexts.authFailed}`);
		expect(wrong.message).not.toContain('wrong-pass');
	});

	it('refuses an SMS password over 8 characters without connecting', async () => {
		const result = await testCredential(nodeType, 'targetSmsEmail2SmsApiTest', CREDENTIAL, credentialData({ smsPassword: 'qwerty12345' }));
		expect(result).toEqual({
			status: 'Error',
			message: 'SMS Password: is 11 characters long; Email2SMS accepts a password of at most 8 characters (ask TargetSMS for a shorter one)',
		});
		expect(sandbox.connections).toBe(0);
	});
});
