import { encode } from 'iconv-lite';
import { createTransport } from 'nodemailer';

import { TargetSmsSandbox } from '../server';
import { readSmtpPort, startSmtpSandboxBeside } from './cli-support';
import { TargetSmsSmtpSandbox, SmtpSandboxTexts } from './server';

const S = TargetSmsSmtpSandbox;

let sandbox: TargetSmsSmtpSandbox;
let address: { host: string; port: number };
const accepted: Array<{ phone: string; sender: string; text: string }> = [];

beforeAll(async () => {
	let id = 100;
	sandbox = new TargetSmsSmtpSandbox({
		onAcceptedSms: (sms) => {
			accepted.push(sms);
			return ++id;
		},
	});
	address = await sandbox.start();
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => {
	sandbox.reset();
	accepted.length = 0;
});

interface RawSend {
	body?: Buffer | string;
	headers?: string[];
	from?: string;
	to?: string;
	user?: string;
	pass?: string;
}

function template(lines: string[]): Buffer {
	return encode(lines.join('\r\n') + '\r\n', 'windows-1251');
}

const GOOD_LINES = ['SmsUser=demo', 'Password=demo1234', 'SourceAddress=MyShop', 'PhoneNumber=79001234567,79001234568', 'Привет!'];

/** Sends a message exactly as given (headers and body), through nodemailer's SMTP client. */
async function sendRaw(options: RawSend = {}) {
	const from = options.from ?? S.DEFAULT_RETURN_ADDRESS;
	const to = options.to ?? S.DEFAULT_GATEWAY_ADDRESS;
	const headers = options.headers ?? [
		`From: ${from}`,
		`To: ${to}`,
		'Subject: SMS',
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=windows-1251',
		'Content-Transfer-Encoding: 8bit',
	];
	const body = options.body ?? template(GOOD_LINES);
	const raw = Buffer.concat([Buffer.from(headers.join('\r\n') + '\r\n\r\n'), Buffer.from(body)]);
	const transport = createTransport({
		host: address.host,
		port: address.port,
		secure: false,
		auth: { user: options.user ?? S.DEFAULT_SMTP_USER, pass: options.pass ?? S.DEFAULT_SMTP_PASSWORD },
	});
	try {
		return await transport.sendMail({ envelope: { from, to: [to] }, raw });
	} finally {
		transport.close();
	}
}

async function refusal(options: RawSend = {}): Promise<string> {
	try {
		await sendRaw(options);
	} catch (error) {
		return String((error as { response?: string }).response ?? (error as Error).message);
	}
	throw new Error('The sandbox accepted the email');
}

describe('SMTP sandbox: accepted emails', () => {
	it('reads the template, records one SMS per phone with its id and answers 250 with the ids', async () => {
		const info = await sendRaw();
		expect(info.response).toBe('250 Принято SMS: 2 (id_sms 101, 102)');
		expect(sandbox.received).toHaveLength(1);
		const [email] = sandbox.received;
		expect(email).toMatchObject({
			accepted: true,
			user: S.DEFAULT_SMTP_USER,
			mailFrom: S.DEFAULT_RETURN_ADDRESS,
			rcptTo: [S.DEFAULT_GATEWAY_ADDRESS],
			contentType: 'text/plain; charset=windows-1251',
			transferEncoding: '8bit',
			connection: 1,
		});
		expect(email.bodyBytes).toEqual(template(GOOD_LINES));
		expect(email.template).toEqual({
			smsUser: 'demo',
			password: 'demo1234',
			sourceAddress: 'MyShop',
			phones: ['79001234567', '79001234568'],
			text: 'Привет!',
		});
		expect(accepted).toEqual([
			{ phone: '79001234567', sender: 'MyShop', text: 'Привет!' },
			{ phone: '79001234568', sender: 'MyShop', text: 'Привет!' },
		]);
		expect(sandbox.sms.map((sms) => sms.idSms)).toEqual([101, 102]);
		expect(sandbox.connections).toBe(1);
		expect(sandbox.logins).toBe(1);
	});

	it.each([
		['quoted-printable', Buffer.from('SmsUser=3Ddemo\r\nPassword=3Ddemo1234\r\nSourceAddress=3DMyShop\r\nPhoneNumber=3D79001234567\r\n=CF=F0=E8=E2=E5=F2 =  \r\n=EC=E8=F0\r\n')],
		['base64', Buffer.from(template(GOOD_LINES.slice(0, 3).concat(['PhoneNumber=79001234567', 'Привет мир'])).toString('base64').replace(/(.{76})/g, '$1\r\n') + '\r\n')],
	])('decodes a %s body', async (encoding, body) => {
		await sendRaw({
			body,
			headers: [`From: <${S.DEFAULT_RETURN_ADDRESS}>`, 'Content-Type: text/plain; charset="Windows-1251"', `Content-Transfer-Encoding: ${encoding}`],
		});
		expect(sandbox.received[0].template?.text).toBe('Привет мир');
	});

	it('keeps the text’s own lines and reads the rest of the body as text', async () => {
		await sendRaw({ body: template([...GOOD_LINES.slice(0, 4), 'Строка 1', '', 'PhoneNumber=1 is text here']) });
		expect(sandbox.received[0].template?.text).toBe('Строка 1\r\n\r\nPhoneNumber=1 is text here');
	});
});

describe('SMTP sandbox: refusals', () => {
	it('refuses a wrong SMTP login with 535 and its Russian text', async () => {
		expect(await refusal({ pass: 'wrong' })).toBe(`535 ${SmtpSandboxTexts.authFailed}`);
		expect(sandbox.received).toHaveLength(0);
		expect(sandbox.logins).toBe(0);
	});

	it('refuses an unregistered envelope sender, another recipient, and a From header that differs', async () => {
		expect(await refusal({ from: 'other@example.ru' })).toBe(`550 ${SmtpSandboxTexts.senderNotRegistered('other@example.ru')}`);
		expect(await refusal({ to: 'someone@example.ru' })).toContain(SmtpSandboxTexts.unknownRecipient('someone@example.ru'));
		expect(
			await refusal({ headers: ['From: other@example.ru', 'Content-Type: text/plain; charset=windows-1251', 'Content-Transfer-Encoding: 8bit'] }),
		).toBe(`550 ${SmtpSandboxTexts.fromHeaderMismatch('other@example.ru')}`);
	});

	it.each([
		['charset utf-8', 'text/plain; charset=utf-8', SmtpSandboxTexts.wrongCharset('utf-8')],
		['no charset', 'text/plain', SmtpSandboxTexts.wrongCharset('')],
		['cp1251 (an alias)', 'text/plain; charset=cp1251', SmtpSandboxTexts.wrongCharset('cp1251')],
		['HTML', 'text/html; charset=windows-1251', SmtpSandboxTexts.notPlainText('text/html')],
	])('refuses %s', async (_label, contentType, text) => {
		const headers = [`From: ${S.DEFAULT_RETURN_ADDRESS}`, `Content-Type: ${contentType}`, 'Content-Transfer-Encoding: 8bit'];
		expect(await refusal({ headers })).toBe(`550 ${text}`);
		expect(sandbox.received[0].accepted).toBe(false);
		expect(sandbox.sms).toHaveLength(0);
	});

	const [user, password, sender, phones, text] = GOOD_LINES;
	it.each([
		['a blank line between template lines', [user, '', password, sender, phones, text], SmtpSandboxTexts.missingLine(2, 'Password')],
		['the document’s markers', ['==|| НАЧАЛО ТЕКСТА ||==', ...GOOD_LINES], SmtpSandboxTexts.missingLine(1, 'SmsUser')],
		['keys in another order', [password, user, sender, phones, text], SmtpSandboxTexts.missingLine(1, 'SmsUser')],
		['a space before "="', ['SmsUser =demo', password, sender, phones, text], SmtpSandboxTexts.missingLine(1, 'SmsUser')],
		['a key in another case', ['smsuser=demo', password, sender, phones, text], SmtpSandboxTexts.missingLine(1, 'SmsUser')],
		['a password of 9 characters', [user, 'Password=demo12345', sender, phones, text], SmtpSandboxTexts.passwordTooLong(8)],
		['the document’s own example password', [user, 'Password=qwerty12345', sender, phones, text], SmtpSandboxTexts.passwordTooLong(8)],
		['a wrong password', [user, 'Password=demo4321', sender, phones, text], SmtpSandboxTexts.wrongLogin],
		['a wrong login', ['SmsUser=other', password, sender, phones, text], SmtpSandboxTexts.wrongLogin],
		['a blank sender', [user, password, 'SourceAddress= ', phones, text], SmtpSandboxTexts.noSender],
		['no phone', [user, password, sender, 'PhoneNumber=', text], SmtpSandboxTexts.noPhones],
		['21 phones', [user, password, sender, 'PhoneNumber=' + Array.from({ length: 21 }, (_, i) => 79000000000 + i).join(','), text], SmtpSandboxTexts.tooManyPhones(20)],
		['a phone with a +', [user, password, sender, 'PhoneNumber=+79001234567', text], SmtpSandboxTexts.wrongPhone('+79001234567')],
		['a space after a comma', [user, password, sender, 'PhoneNumber=79001234567, 79001234568', text], SmtpSandboxTexts.wrongPhone(' 79001234568')],
		['a 9-digit phone', [user, password, sender, 'PhoneNumber=790012345', text], SmtpSandboxTexts.wrongPhone('790012345')],
		['no text', [user, password, sender, phones], SmtpSandboxTexts.noText],
		['a blank text', [user, password, sender, phones, '  '], SmtpSandboxTexts.noText],
	])('refuses a template with %s', async (_label, lines, text) => {
		expect(await refusal({ body: template(lines) })).toBe(`550 ${text}`);
		expect(sandbox.sms).toHaveLength(0);
		expect(accepted).toHaveLength(0);
	});

	it('refuses bare line breaks, the undefined byte 0x98 and control bytes', async () => {
		// SMTP itself carries only CR LF line breaks: a bare one can only arrive encoded.
		const qp = [`From: ${S.DEFAULT_RETURN_ADDRESS}`, 'Content-Type: text/plain; charset=windows-1251', 'Content-Transfer-Encoding: quoted-printable'];
		const lf = 'SmsUser=3Ddemo=0APassword=3Ddemo1234\r\n';
		expect(await refusal({ headers: qp, body: lf })).toBe(`550 ${SmtpSandboxTexts.bareLineBreak}`);
		const undefinedByte = Buffer.concat([template(GOOD_LINES), Buffer.from([0x98, 0x0d, 0x0a])]);
		expect(await refusal({ body: undefinedByte })).toBe(`550 ${SmtpSandboxTexts.notWindows1251(0x98)}`);
		const control = Buffer.concat([template(GOOD_LINES), Buffer.from([0x01, 0x0d, 0x0a])]);
		expect(await refusal({ body: control })).toBe(`550 ${SmtpSandboxTexts.controlCharacter(0x01)}`);
	});

	it('refuses 8-bit bytes declared 7bit and a broken quoted-printable escape', async () => {
		const headers = (encoding: string) => [`From: ${S.DEFAULT_RETURN_ADDRESS}`, 'Content-Type: text/plain; charset=windows-1251', `Content-Transfer-Encoding: ${encoding}`];
		expect(await refusal({ headers: headers('7bit') })).toBe(`550 ${SmtpSandboxTexts.malformedTransferEncoding('7bit')}`);
		expect(await refusal({ headers: headers('quoted-printable'), body: 'SmsUser=zz\r\n' })).toBe(
			`550 ${SmtpSandboxTexts.malformedTransferEncoding('quoted-printable')}`,
		);
	});
});

describe('SMTP sandbox: faults', () => {
	it('refuses the next login, recipient or email on request, then works again', async () => {
		sandbox.failNext({ kind: 'refuseAuth' });
		expect(await refusal()).toBe(`535 ${SmtpSandboxTexts.authFailed}`);
		sandbox.failNext({ kind: 'refuseRecipient', text: 'Превышен лимит' });
		expect(await refusal()).toContain('550 Превышен лимит');
		sandbox.failNext({ kind: 'refuseMessage' });
		expect(await refusal()).toBe(`550 ${SmtpSandboxTexts.messageRefused}`);
		expect(sandbox.sms).toHaveLength(0);
		await sendRaw();
		expect(sandbox.sms).toHaveLength(2);
	});

	it('lets `after` emails through, and drops the connection with or without processing the email', async () => {
		sandbox.failNext({ kind: 'drop', after: 1 });
		await sendRaw();
		await expect(sendRaw()).rejects.toMatchObject({ code: 'ECONNECTION' });
		expect(sandbox.sms).toHaveLength(2);
		sandbox.failNext({ kind: 'dropAfterProcessing' });
		await expect(sendRaw()).rejects.toMatchObject({ code: 'ECONNECTION' });
		expect(sandbox.sms).toHaveLength(4);
		expect(sandbox.received.map((email) => email.reply.slice(0, 3))).toEqual(['250', '', '']);
	});

	it('listens on loopback only', () => {
		expect(() => new TargetSmsSmtpSandbox({ host: '0.0.0.0' })).toThrow(/loopback/);
	});
});

describe('SMTP sandbox beside the HTTP sandbox', () => {
	it('records every accepted SMS in the HTTP sandbox, whose id_sms it answers with', async () => {
		const http = new TargetSmsSandbox();
		await http.start();
		const { sandbox: linked, banner } = await startSmtpSandboxBeside(http, ['--smtp-port', '0'], {});
		try {
			expect(banner).toContain(`smsPassword:    ${S.DEFAULT_SMS_PASSWORD}`);
			const port = Number(/127\.0\.0\.1:(\d+)/.exec(banner)![1]);
			const transport = createTransport({ host: '127.0.0.1', port, secure: false, auth: { user: S.DEFAULT_SMTP_USER, pass: S.DEFAULT_SMTP_PASSWORD } });
			const raw = Buffer.concat([
				Buffer.from(`From: ${S.DEFAULT_RETURN_ADDRESS}\r\nContent-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
				template(GOOD_LINES),
			]);
			const info = await transport.sendMail({ envelope: { from: S.DEFAULT_RETURN_ADDRESS, to: [S.DEFAULT_GATEWAY_ADDRESS] }, raw });
			transport.close();
			expect(http.externalSms.map((sms) => [sms.phone, sms.sender, sms.text])).toEqual([
				['79001234567', 'MyShop', 'Привет!'],
				['79001234568', 'MyShop', 'Привет!'],
			]);
			expect(linked.sms.map((sms) => sms.idSms)).toEqual(http.externalSms.map((sms) => sms.idSms));
			expect(info.response).toContain(`id_sms ${http.externalSms[0].idSms}, ${http.externalSms[1].idSms}`);
		} finally {
			await linked.stop();
			await http.stop();
		}
	});

	it('reads the SMTP port from --smtp-port, --smtp-port=, the environment, or 2525', () => {
		expect(readSmtpPort(['--smtp-port', '2600'], {})).toBe(2600);
		expect(readSmtpPort(['--port', '1', '--smtp-port=2601'], {})).toBe(2601);
		expect(readSmtpPort([], { TARGETSMS_SMTP_SANDBOX_PORT: '2602' })).toBe(2602);
		expect(readSmtpPort([], {})).toBe(2525);
		expect(() => readSmtpPort(['--smtp-port', 'x'], {})).toThrow(/Invalid SMTP port/);
	});
});
