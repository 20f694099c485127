import { XMLParser } from 'fast-xml-parser';

import { SandboxTexts, TargetSmsSandbox } from './server';

const OTP = '/password_generation/api.php';
const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const SECURITY = '<security><login>demo</login><password>demo1234</password></security>';
const OTP_WRONG_LOGIN_BODY = `${DECLARATION}<response><error>Неверный логин или пароль</error></response>`;

type Attributes = Record<string, string>;

interface OtpFields {
	phone?: string;
	sender?: string;
	random_string_len?: string;
	text?: string;
}

const replyParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
});

/** An OTP request; the phone and sender default to the document's, other fields are left out unless given. */
function otpRequest(fields: OtpFields = {}, security = SECURITY): string {
	const values: OtpFields = { phone: '+79001234567', sender: 'target', ...fields };
	const elements = (Object.keys(values) as Array<keyof OtpFields>)
		.filter((name) => values[name] !== undefined)
		.map((name) => `<${name}>${values[name]}</${name}>`)
		.join('');
	return `${DECLARATION}<request>${security}${elements}</request>`;
}

function parseReply(body: string): { success?: Attributes; error?: string } {
	const document = replyParser.parse(body) as { response?: { success?: Attributes; error?: string } | '' };
	if (document.response === undefined) {
		throw new Error(`Not a <response>: ${body}`);
	}
	return document.response === '' ? {} : document.response;
}

describe('TargetSmsSandbox OTP API', () => {
	const sandbox = new TargetSmsSandbox();
	let url: string;

	async function post(
		body: string | Uint8Array,
		headers: Record<string, string> = XML_HEADERS,
	): Promise<{ status: number; text: string }> {
		const response = await fetch(`${url}${OTP}`, { method: 'POST', headers, body });
		return { status: response.status, text: await response.text() };
	}

	async function success(fields: OtpFields = {}): Promise<Attributes> {
		const { status, text } = await post(otpRequest(fields));
		expect(status).toBe(200);
		const reply = parseReply(text);
		expect(reply.error).toBeUndefined();
		return reply.success as Attributes;
	}

	async function error(body: string, headers?: Record<string, string>): Promise<string | undefined> {
		const { status, text } = await post(body, headers);
		expect(status).toBe(200);
		expect(sandbox.otps).toHaveLength(0);
		return parseReply(text).error;
	}

	beforeAll(async () => {
		url = await sandbox.start();
	});

	afterAll(async () => {
		await sandbox.stop();
	});

	beforeEach(() => {
		sandbox.reset();
	});

	describe('POST /password_generation/api.php', () => {
		it('answers the documented request (indented, as in the document) and records the SMS', async () => {
			const body = [
				'<?xml version="1.0" encoding="utf-8"?>',
				'<request>',
				'  <security>',
				'    <login>demo</login>',
				'    <password>demo1234</password>',
				'  </security>',
				'  <phone>+79001234567</phone>',
				'  <sender>target</sender>',
				'  <random_string_len>4</random_string_len>',
				'  <text>Временный пароль: {код}</text>',
				'</request>',
			].join('\n');
			const { text } = await post(body);
			const [otp] = sandbox.otps;
			expect(text).toBe(`${DECLARATION}<response><success code="${otp.code}" id_sms="${otp.idSms}" status="send"/></response>`);
			expect(otp).toEqual({
				phone: '79001234567',
				sender: 'target',
				code: expect.stringMatching(/^[0-9]{4}$/),
				text: `Временный пароль: ${otp.code}`,
				idSms: expect.any(Number),
				acceptedAt: expect.any(Date),
				requestIndex: 0,
			});
		});

		it('uses the defaults: 4 digits and «Временный пароль: {код}»', async () => {
			const reply = await success();
			expect(reply.code).toMatch(/^[0-9]{4}$/);
			expect(sandbox.otps[0].text).toBe(`Временный пароль: ${reply.code}`);
		});

		it('counts empty optional elements as absent', async () => {
			const reply = await success({ random_string_len: '', text: '' });
			expect(reply.code).toHaveLength(4);
			expect(sandbox.otps[0].text).toBe(`Временный пароль: ${reply.code}`);
		});

		it.each(['4', '5', '6', '7', '8', '04'])('generates a code of random_string_len %s digits', async (length) => {
			const reply = await success({ random_string_len: length });
			expect(reply.code).toMatch(new RegExp(`^[0-9]{${Number(length)}}$`));
			expect(sandbox.otps[0].code).toBe(reply.code);
		});

		it('generates random codes, some starting with 0', async () => {
			// With 10 equally likely first digits, 300 codes all missing a leading 0 has odds below 1e-13.
			const codes: string[] = [];
			while (codes.length < 20 || (codes.length < 300 && !codes.some((code) => code.startsWith('0')))) {
				codes.push((await success()).code);
			}
			expect(codes.some((code) => code.startsWith('0'))).toBe(true);
			expect(new Set(codes).size).toBeGreaterThan(1);
			expect(sandbox.otps.map((otp) => otp.code)).toEqual(codes);
		});

		it('puts the code in place of every {код} and keeps the rest of the text as written', async () => {
			const text = 'Код {код} для входа.\nНикому не сообщайте {код} &amp; «спасибо»';
			const reply = await success({ text });
			expect(sandbox.otps[0].text).toBe(`Код ${reply.code} для входа.\nНикому не сообщайте ${reply.code} & «спасибо»`);
		});

		it('gives each OTP its own id_sms', async () => {
			const first = await success();
			const second = await success();
			expect(Number(second.id_sms)).toBeGreaterThan(Number(first.id_sms));
			expect(sandbox.otps.map((otp) => otp.idSms)).toEqual([Number(first.id_sms), Number(second.id_sms)]);
		});

		it('answers not_valid_phone for a number ending in 000000, and sends nothing', async () => {
			const { text } = await post(otpRequest({ phone: '+79001000000' }));
			expect(text).toBe(`${DECLARATION}<response><success code="" id_sms="0" status="not_valid_phone"/></response>`);
			expect(sandbox.otps).toHaveLength(0);
		});

		it('accepts a text/xml Content-Type without a charset', async () => {
			const { text } = await post(otpRequest(), { 'Content-Type': 'text/xml' });
			expect(parseReply(text).success?.status).toBe('send');
		});
	});

	describe('checks', () => {
		it.each([
			['a wrong password', '<security><login>demo</login><password>nope</password></security>'],
			['no security', ''],
			['credentials as attributes', '<security><login value="demo"/><password value="demo1234"/></security>'],
		])('refuses %s with the document\'s wording', async (_case, security) => {
			const { text } = await post(otpRequest({}, security));
			expect(text).toBe(OTP_WRONG_LOGIN_BODY);
			expect(sandbox.otps).toHaveLength(0);
		});

		it.each<[string, OtpFields, string]>([
			['no phone', { phone: undefined }, SandboxTexts.otpNoPhone],
			['an empty phone', { phone: '' }, SandboxTexts.otpNoPhone],
			['a phone with spaces', { phone: '+7 900 123 45 67' }, SandboxTexts.otpWrongPhone],
			['a phone of 9 digits', { phone: '+790012345' }, SandboxTexts.otpWrongPhone],
			['a phone of 16 digits', { phone: '+7900123456789012' }, SandboxTexts.otpWrongPhone],
			['a phone with letters', { phone: '+7900123456a' }, SandboxTexts.otpWrongPhone],
			['no sender', { sender: undefined }, SandboxTexts.otpNoSender],
			['a blank sender', { sender: '  ' }, SandboxTexts.otpNoSender],
			['a code length of 0', { random_string_len: '0' }, SandboxTexts.otpWrongCodeLength],
			['a negative code length', { random_string_len: '-4' }, SandboxTexts.otpWrongCodeLength],
			['a code length past the sandbox\'s guard', { random_string_len: '1001' }, SandboxTexts.otpWrongCodeLength],
			['a code length with a space', { random_string_len: ' 4' }, SandboxTexts.otpWrongCodeLength],
			['a code length that is not a number', { random_string_len: 'four' }, SandboxTexts.otpWrongCodeLength],
			['a text without {код}', { text: 'Ваш пароль' }, SandboxTexts.otpNoCodeVariable],
			['a text with {code} instead of {код}', { text: 'Ваш пароль: {code}' }, SandboxTexts.otpNoCodeVariable],
		])('refuses %s', async (_case, fields, expected) => {
			expect(await error(otpRequest(fields))).toBe(expected);
		});

		it('refuses unknown and repeated elements and elements that are not plain text', async () => {
			expect(await error(otpRequest().replace('</request>', '<code>1234</code></request>'))).toBe(
				SandboxTexts.unknownRequestElement('code'),
			);
			expect(await error(otpRequest().replace('</request>', '<phone>+79001234568</phone></request>'))).toBe(
				SandboxTexts.repeatedRequestElement('phone'),
			);
			expect(await error(otpRequest({ sender: '<b>target</b>' }))).toBe(SandboxTexts.textOnlyElement('sender'));
			expect(await error(otpRequest().replace('<phone>', '<phone type="mobile">'))).toBe(
				SandboxTexts.textOnlyElement('phone'),
			);
		});

		it('refuses another Content-Type, malformed XML, another root and other methods', async () => {
			expect(await error(otpRequest(), { 'Content-Type': 'application/json' })).toBe(SandboxTexts.wrongContentType);
			expect(await error(`${DECLARATION}<request>${SECURITY}<phone>`)).toMatch(/^Ошибка в XML-документе: /);
			expect(await error(`${DECLARATION}<response>${SECURITY}</response>`)).toBe(SandboxTexts.wrongRootElement('response'));
			const get = await fetch(`${url}${OTP}`);
			expect(get.status).toBe(405);
			expect(parseReply(await get.text()).error).toBe(SandboxTexts.postOnly);
		});
	});

	describe('faults', () => {
		it('rejectLogin answers with the OTP document\'s wording, without sending', async () => {
			sandbox.failNext({ kind: 'rejectLogin', path: OTP });
			expect((await post(otpRequest())).text).toBe(OTP_WRONG_LOGIN_BODY);
			expect(sandbox.otps).toHaveLength(0);
		});

		it('wrongRoot answers well-formed XML whose root is not <response>', async () => {
			sandbox.failNext({ kind: 'wrongRoot', path: OTP });
			const { text } = await post(otpRequest());
			expect(Object.keys(replyParser.parse(text) as object)).toContain('request');
			expect(sandbox.otps).toHaveLength(0);
		});

		it('dropAfterProcessing sends the SMS and closes the connection without an answer', async () => {
			sandbox.failNext({ kind: 'dropAfterProcessing', path: OTP });
			await expect(post(otpRequest())).rejects.toThrow();
			expect(sandbox.otps).toHaveLength(1);
			expect(sandbox.requests[0]).toMatchObject({ path: OTP, status: 0 });
		});

		it('http500 and malformed replace the answer; faults for other paths do not apply', async () => {
			sandbox.failNext({ kind: 'http500', path: '/clients/api.php' });
			sandbox.failNext({ kind: 'malformed', path: OTP });
			const malformed = await post(otpRequest());
			expect(malformed.status).toBe(200);
			expect(() => replyParser.parse(malformed.text, true) as unknown).toThrow();
			expect(parseReply((await post(otpRequest())).text).success?.status).toBe('send');
			expect(sandbox.otps).toHaveLength(1);
		});
	});

	it('reset forgets the OTP SMS', async () => {
		await success();
		sandbox.reset();
		expect(sandbox.otps).toHaveLength(0);
	});
});
