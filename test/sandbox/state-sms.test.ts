import { XMLParser } from 'fast-xml-parser';

import { formatMoscowDateTime } from './moscow-time';
import { SandboxTexts, TargetSmsSandbox } from './server';

const STATE = '/xml/state.php';
const MESSAGE = '/xml/message.php';
const OTP = '/password_generation/api.php';
const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const SECURITY = '<security><login value="demo"/><password value="demo1234"/></security>';
const EMPTY_RESPONSE_BODY = `${DECLARATION}<response></response>`;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

interface Row {
	id_sms: string;
	time: string;
	'#text': string;
}

const responseParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	alwaysCreateTextNode: true,
	isArray: (_name, jPath) => ['response.state', 'response.message', 'response.message.information'].includes(String(jPath)),
});

interface ParsedResponse {
	error?: { '#text': string };
	state?: Row[];
	message?: Array<{ information: Array<Record<string, string>> }>;
	success?: Record<string, string>;
}

function parseResponse(body: string): ParsedResponse {
	const document = responseParser.parse(body) as { response?: ParsedResponse | { '#text': string } };
	if (document.response === undefined) {
		throw new Error(`Not a <response>: ${body}`);
	}
	return document.response as ParsedResponse;
}

function stateRequest(...ids: Array<number | string>): string {
	const inner = ids.map((id) => `<id_sms>${id}</id_sms>`).join('');
	return `${DECLARATION}<request>${SECURITY}<get_state>${inner}</get_state></request>`;
}

function smsMessage(phone: string): string {
	return `${DECLARATION}<request>${SECURITY}<message><send_sms>1</send_sms><sender_sms>Shop</sender_sms><text_sms>Hello</text_sms><abonent phone="${phone}"/></message></request>`;
}

function viberThenSms(phone: string): string {
	return `${DECLARATION}<request>${SECURITY}<message><send_viber>1</send_viber><send_sms>2</send_sms><sender_viber>Shop</sender_viber><text_viber>Hi</text_viber><sender_sms>Shop</sender_sms><text_sms>Hello</text_sms><abonent phone="${phone}"/></message></request>`;
}

function otpRequest(phone: string): string {
	return `${DECLARATION}<request><security><login>demo</login><password>demo1234</password></security><phone>+${phone}</phone><sender>target</sender></request>`;
}

function at(date: Date, offsetMs = 0): string {
	return formatMoscowDateTime(new Date(date.getTime() + offsetMs));
}

describe('TargetSmsSandbox POST /xml/state.php', () => {
	const sandbox = new TargetSmsSandbox();
	let url: string;

	async function post(path: string, body: string): Promise<{ status: number; text: string }> {
		const response = await fetch(`${url}${path}`, { method: 'POST', headers: XML_HEADERS, body });
		return { status: response.status, text: await response.text() };
	}

	async function states(...ids: Array<number | string>): Promise<Row[]> {
		const { status, text } = await post(STATE, stateRequest(...ids));
		expect(status).toBe(200);
		const parsed = parseResponse(text);
		expect(parsed.error).toBeUndefined();
		return parsed.state ?? [];
	}

	async function stateOf(idSms: number | string): Promise<Row> {
		return (await states(idSms))[0];
	}

	/** Sends through message.php and returns the recipient's id_sms. */
	async function sendMessage(body: string): Promise<number> {
		const { text } = await post(MESSAGE, body);
		return Number(parseResponse(text).message?.[0].information[0].id_sms);
	}

	/** Sends an OTP and returns its id_sms. */
	async function sendOtp(phone: string): Promise<number> {
		const { text } = await post(OTP, otpRequest(phone));
		return Number(parseResponse(text).success?.id_sms);
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

	describe('SMS of message.php', () => {
		it('is send until the SMS result, then the result, with the time it changed', async () => {
			const idSms = await sendMessage(smsMessage('79001234561'));
			const accepted = sandbox.messages[0].acceptedAt;
			expect(await stateOf(idSms)).toEqual({ id_sms: String(idSms), time: '', '#text': 'send' });
			sandbox.advanceTime(2 * SECOND);
			expect(await stateOf(idSms)).toEqual({ id_sms: String(idSms), time: at(accepted, 2 * SECOND), '#text': 'deliver' });
		});

		it('follows the phone rules of the SMS channel', async () => {
			const failed = await sendMessage(smsMessage('79001234568'));
			const expired = await sendMessage(smsMessage('79001234569'));
			const partly = await sendMessage(smsMessage('79001234566'));
			sandbox.advanceTime(2 * SECOND);
			expect((await states(failed, expired, partly)).map((row) => row['#text'])).toEqual([
				'not_deliver',
				'expired',
				'partly_deliver',
			]);
		});

		it('reports the SMS channel of a cascade: SMS after Viber fails at once (phone ending in 0)', async () => {
			const idSms = await sendMessage(viberThenSms('79001234560'));
			expect((await stateOf(idSms))['#text']).toBe('send');
			sandbox.advanceTime(2 * SECOND);
			expect((await stateOf(idSms))['#text']).toBe('deliver');
		});

		it('keeps send for an SMS the cascade never reaches', async () => {
			const idSms = await sendMessage(viberThenSms('79001234561'));
			sandbox.advanceTime(10 * MINUTE);
			expect(await stateOf(idSms)).toEqual({
				id_sms: String(idSms),
				time: '',
				'#text': 'send',
			});
		});

		it('does not mistake an id_message or id_viber for an id_sms', async () => {
			await sendMessage(viberThenSms('79001234561'));
			const [message] = sandbox.messages;
			const rows = await states(message.idMessage, message.idViber);
			expect(rows.map((row) => row['#text'])).toEqual([SandboxTexts.unknownMessage, SandboxTexts.unknownMessage]);
		});
	});

	describe('OTP SMS', () => {
		it('delivers after 2 s', async () => {
			const idSms = await sendOtp('79001234567');
			const accepted = sandbox.otps[0].acceptedAt;
			expect(await stateOf(idSms)).toEqual({ id_sms: String(idSms), time: '', '#text': 'send' });
			sandbox.advanceTime(2 * SECOND);
			expect(await stateOf(idSms)).toEqual({ id_sms: String(idSms), time: at(accepted, 2 * SECOND), '#text': 'deliver' });
		});

		it('follows the phone rules of SMS', async () => {
			const idSms = await sendOtp('79001234568');
			sandbox.advanceTime(2 * SECOND);
			expect((await stateOf(idSms))['#text']).toBe('not_deliver');
		});
	});

	describe('external SMS (recordExternalSms)', () => {
		it('records the SMS and returns an id_sms that state.php knows', async () => {
			const idSms = sandbox.recordExternalSms({ phone: '79101234567', sender: 'My Bank', text: 'Оплата прошла успешно.' });
			expect(sandbox.externalSms).toEqual([
				{ idSms, phone: '79101234567', sender: 'My Bank', text: 'Оплата прошла успешно.', acceptedAt: expect.any(Date) },
			]);
			expect((await stateOf(idSms))['#text']).toBe('send');
			sandbox.advanceTime(2 * SECOND);
			expect(await stateOf(idSms)).toEqual({
				id_sms: String(idSms),
				time: at(sandbox.externalSms[0].acceptedAt, 2 * SECOND),
				'#text': 'deliver',
			});
		});

		it('follows the phone rules of SMS', async () => {
			const idSms = sandbox.recordExternalSms({ phone: '79101234569', sender: 'Shop', text: 'Hi' });
			sandbox.advanceTime(2 * SECOND);
			expect((await stateOf(idSms))['#text']).toBe('expired');
		});

		it.each(['+79101234567', '791012345', '7910123456789012', '7910 1234567'])('refuses the phone %s', (phone) => {
			expect(() => sandbox.recordExternalSms({ phone, sender: 'Shop', text: 'Hi' })).toThrow(RangeError);
			expect(sandbox.externalSms).toHaveLength(0);
		});
	});

	describe('all sources together', () => {
		it('answers each id in request order, unknown ones with the documented text, leading zeros ignored', async () => {
			const fromMessage = await sendMessage(smsMessage('79001234561'));
			const fromOtp = await sendOtp('79001234568');
			const external = sandbox.recordExternalSms({ phone: '79001234566', sender: 'Shop', text: 'Hi' });
			expect(new Set([fromMessage, fromOtp, external]).size).toBe(3);
			sandbox.advanceTime(2 * SECOND);
			const rows = await states(external, '17', `00${fromOtp}`, fromMessage);
			expect(rows.map((row) => [row.id_sms, row['#text']])).toEqual([
				[String(external), 'partly_deliver'],
				['17', SandboxTexts.unknownMessage],
				[`00${fromOtp}`, 'not_deliver'],
				[String(fromMessage), 'deliver'],
			]);
			expect(rows[1].time).toBe('');
		});

		it('forgets every source on reset, but never reuses an id_sms', async () => {
			const fromOtp = await sendOtp('79001234567');
			const external = sandbox.recordExternalSms({ phone: '79001234567', sender: 'Shop', text: 'Hi' });
			sandbox.reset();
			expect(sandbox.externalSms).toHaveLength(0);
			expect((await states(fromOtp, external)).map((row) => row['#text'])).toEqual([
				SandboxTexts.unknownMessage,
				SandboxTexts.unknownMessage,
			]);
			expect(sandbox.recordExternalSms({ phone: '79001234567', sender: 'Shop', text: 'Hi' })).toBeGreaterThan(external);
		});
	});

	describe('request checks', () => {
		it('refuses a wrong login with the SMS API\'s text', async () => {
			const body = stateRequest(1).replace('demo1234', 'nope');
			expect((await post(STATE, body)).text).toBe(
				`${DECLARATION}<response><error>${SandboxTexts.wrongLogin}</error></response>`,
			);
		});

		it('answers a request without ids with an empty response', async () => {
			expect((await post(STATE, stateRequest())).text).toBe(EMPTY_RESPONSE_BODY);
			expect((await post(STATE, `${DECLARATION}<request>${SECURITY}</request>`)).text).toBe(EMPTY_RESPONSE_BODY);
		});

		it('refuses ids that are not digits and other elements', async () => {
			const error = async (body: string): Promise<string | undefined> =>
				parseResponse((await post(STATE, body)).text).error?.['#text'];
			expect(await error(stateRequest('12a'))).toBe(SandboxTexts.wrongMessageId('12a'));
			expect(await error(stateRequest(1).replace('<id_sms>', '<id_message>1</id_message><id_sms>'))).toBe(
				SandboxTexts.unknownRequestElement('id_message'),
			);
			expect(await error(stateRequest(1).replace('</request>', '<state/></request>'))).toBe(
				SandboxTexts.unknownRequestElement('state'),
			);
		});

		it("keeps the SMS API's rules: line breaks between elements, none inside data", async () => {
			const between = await post(STATE, stateRequest(1).replace('<get_state>', '\n<get_state>'));
			expect(parseResponse(between.text).error).toBeUndefined();
			const inside = await post(STATE, stateRequest(1).replace('<id_sms>1', '<id_sms>1\n'));
			expect(parseResponse(inside.text).error?.['#text']).toBe(SandboxTexts.lineBreakInData('request/get_state/id_sms'));
		});
	});

	describe('faults', () => {
		it('apply to the path of state.php only', async () => {
			sandbox.failNext({ kind: 'http500', path: STATE });
			sandbox.failNext({ kind: 'rejectLogin', path: STATE });
			sandbox.failNext({ kind: 'wrongRoot', path: STATE });
			const idSms = await sendMessage(smsMessage('79001234561'));
			expect((await post(STATE, stateRequest(idSms))).status).toBe(500);
			expect((await post(STATE, stateRequest(idSms))).text).toBe(
				`${DECLARATION}<response><error>${SandboxTexts.wrongLogin}</error></response>`,
			);
			expect(Object.keys(responseParser.parse((await post(STATE, stateRequest(idSms))).text) as object)).toContain('request');
			expect((await stateOf(idSms))['#text']).toBe('send');
		});
	});
});
