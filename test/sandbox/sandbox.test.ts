import { XMLParser } from 'fast-xml-parser';

import { formatMoscowDateTime } from './moscow-time';
import { SandboxTexts, TargetSmsSandbox } from './server';

const MESSAGE = '/xml/message.php';
const STATE = '/xml/state_message.php';
const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const SECURITY = '<security><login value="demo"/><password value="demo1234"/></security>';
const WRONG_LOGIN_BODY = `${DECLARATION}<response><error>${SandboxTexts.wrongLogin}</error></response>`;
const EMPTY_RESPONSE_BODY = `${DECLARATION}<response></response>`;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

type Attributes = Record<string, string>;
interface Row extends Attributes {
	'#text': string;
}
interface ParsedResponse {
	error?: string;
	message?: Array<{ information?: Row[]; error?: string }>;
	state?: Row[];
}

const responseParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	alwaysCreateTextNode: true,
	isArray: (_name, jPath) =>
		['response.message', 'response.message.information', 'response.state'].includes(String(jPath)),
});

function unwrapText(value: unknown): unknown {
	return typeof value === 'object' && value !== null && Object.keys(value).join() === '#text'
		? (value as Row)['#text']
		: value;
}

function parseResponse(body: string): ParsedResponse {
	const document = responseParser.parse(body) as { response?: unknown };
	if (document.response === undefined) {
		throw new Error(`Not a <response>: ${body}`);
	}
	const response = (typeof document.response === 'object' ? document.response : {}) as Record<string, unknown>;
	const messages = response.message as Array<Record<string, unknown>> | undefined;
	return {
		error: unwrapText(response.error) as string | undefined,
		message: messages?.map((message) => ({
			information: message.information as Row[] | undefined,
			error: unwrapText(message.error) as string | undefined,
		})),
		state: response.state as Row[] | undefined,
	};
}

function request(...inner: string[]): string {
	return `${DECLARATION}<request>${SECURITY}${inner.join('')}</request>`;
}

function stateRequest(...ids: Array<number | string>): string {
	return request(`<state>${ids.map((id) => `<id_message>${id}</id_message>`).join('')}</state>`);
}

function smsMessage(phone: string, extra = '', clientId = ''): string {
	return `<message><send_sms>1</send_sms><sender_sms>Shop</sender_sms><text_sms>Hello</text_sms>${extra}<abonent phone="${phone}" client_id_message="${clientId}"/></message>`;
}

function viberThenSms(phone: string, extra = ''): string {
	return `<message><send_viber>1</send_viber><send_sms>2</send_sms><sender_viber>Shop</sender_viber><text_viber>Hi</text_viber><sender_sms>Shop</sender_sms><text_sms>Hello</text_sms>${extra}<abonent phone="${phone}"/></message>`;
}

/** Moscow `YYYY-MM-DD hh:mm` of a moment. */
function moscowMinute(date: Date): string {
	return formatMoscowDateTime(date).slice(0, 16);
}

describe('TargetSmsSandbox', () => {
	const sandbox = new TargetSmsSandbox();
	let url: string;

	async function post(
		path: string,
		body: string | Uint8Array,
		headers: Record<string, string> = XML_HEADERS,
	): Promise<{ status: number; text: string; headers: Headers }> {
		const response = await fetch(`${url}${path}`, { method: 'POST', headers, body });
		return { status: response.status, text: await response.text(), headers: response.headers };
	}

	async function send(...messages: string[]): Promise<ParsedResponse> {
		const { status, text } = await post(MESSAGE, request(...messages));
		expect(status).toBe(200);
		return parseResponse(text);
	}

	async function states(...ids: Array<number | string>): Promise<Row[]> {
		const { text } = await post(STATE, stateRequest(...ids));
		const parsed = parseResponse(text);
		expect(parsed.error).toBeUndefined();
		return parsed.state ?? [];
	}

	async function stateOf(idMessage: string): Promise<Row> {
		return (await states(idMessage))[0];
	}

	async function sendOne(message: string): Promise<Row> {
		const reply = await send(message);
		return reply.message?.[0].information?.[0] as Row;
	}

	async function messageError(message: string): Promise<string | undefined> {
		const reply = await send(message);
		expect(reply.message?.[0].information).toBeUndefined();
		return reply.message?.[0].error;
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

	describe('lifecycle', () => {
		it('listens on 127.0.0.1 and reports its base URL without a trailing slash', () => {
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(sandbox.url).toBe(url);
		});

		it('records every request with what it answered', async () => {
			await post(`${MESSAGE}?x=1`, request());
			expect(sandbox.requests).toHaveLength(1);
			const [recorded] = sandbox.requests;
			expect(recorded).toMatchObject({ method: 'POST', path: MESSAGE, query: 'x=1', body: request(), status: 200 });
			expect(recorded.headers['content-type']).toBe('text/xml; charset=utf-8');
			expect(recorded.responseBody).toBe(EMPTY_RESPONSE_BODY);
			expect(recorded.receivedAt).toBeInstanceOf(Date);
		});

		it('answers unknown paths with a 404 page', async () => {
			const { status } = await post('/xml/nothing.php', request());
			expect(status).toBe(404);
		});

		it('closes open keep-alive sockets on stop', async () => {
			const other = new TargetSmsSandbox({ login: 'a', password: 'b' });
			const otherUrl = await other.start();
			const response = await fetch(`${otherUrl}${STATE}`, {
				method: 'POST',
				headers: XML_HEADERS,
				body: `${DECLARATION}<request><security><login value="a"/><password value="b"/></security></request>`,
			});
			expect(await response.text()).toBe(EMPTY_RESPONSE_BODY);
			await other.stop();
			expect(() => other.url).toThrow();
		});
	});

	describe('authentication', () => {
		it.each([
			['a wrong password', '<security><login value="demo"/><password value="nope"/></security>'],
			['a wrong login', '<security><login value="Demo"/><password value="demo1234"/></security>'],
			['no password', '<security><login value="demo"/></security>'],
			['no security', ''],
			['credentials as element text', '<security><login>demo</login><password>demo1234</password></security>'],
		])('refuses %s on both endpoints', async (_case, security) => {
			for (const path of [MESSAGE, STATE]) {
				const { status, text } = await post(path, `${DECLARATION}<request>${security}${smsMessage('79001234561')}</request>`);
				expect(status).toBe(200);
				expect(text).toBe(WRONG_LOGIN_BODY);
			}
			expect(sandbox.messages).toHaveLength(0);
		});

		it('uses the login and password given to the constructor', async () => {
			const other = new TargetSmsSandbox({ login: 'shop', password: 'p&ss"<' });
			const otherUrl = await other.start();
			try {
				const body = `${DECLARATION}<request><security><login value="shop"/><password value="p&amp;ss&quot;&lt;"/></security></request>`;
				const response = await fetch(`${otherUrl}${STATE}`, { method: 'POST', headers: XML_HEADERS, body });
				expect(await response.text()).toBe(EMPTY_RESPONSE_BODY);
			} finally {
				await other.stop();
			}
		});
	});

	describe('request checks shared by the XML endpoints', () => {
		it('accepts text/xml without a charset and with a quoted one', async () => {
			expect((await post(STATE, request(), { 'Content-Type': 'text/xml' })).text).toBe(EMPTY_RESPONSE_BODY);
			expect((await post(STATE, request(), { 'Content-Type': 'text/xml; charset="UTF-8"' })).text).toBe(
				EMPTY_RESPONSE_BODY,
			);
		});

		it.each([
			['application/xml', { 'Content-Type': 'application/xml' }],
			['a windows-1251 charset', { 'Content-Type': 'text/xml; charset=windows-1251' }],
			['application/json', { 'Content-Type': 'application/json' }],
		])('refuses %s', async (_case, headers) => {
			const { status, text } = await post(STATE, request(), headers);
			expect(status).toBe(200);
			expect(parseResponse(text).error).toBe(SandboxTexts.wrongContentType);
		});

		it('refuses other methods than POST', async () => {
			const response = await fetch(`${url}${STATE}`);
			expect(response.status).toBe(405);
			expect(response.headers.get('allow')).toBe('POST');
			expect(parseResponse(await response.text()).error).toBe(SandboxTexts.postOnly);
		});

		it.each([
			['a line feed between elements', request(smsMessage('79001234561')).replace('<security>', '\n<security>')],
			['a carriage return between elements', request(smsMessage('79001234561')).replace('<security>', '\r<security>')],
			['CR LF and indentation between elements', request(smsMessage('79001234561')).replaceAll('><', '>\r\n  <')],
			['a line break after the declaration and at the end', `${request(smsMessage('79001234561')).replace('?>', '?>\n')}\n`],
			['a line break between attributes', request(smsMessage('79001234561')).replace('<abonent phone=', '<abonent\n  phone=')],
		])('accepts %s (whitespace, not data)', async (_case, body) => {
			const { text } = await post(MESSAGE, body);
			expect(parseResponse(text).error).toBeUndefined();
			expect(sandbox.messages).toHaveLength(1);
			expect(sandbox.messages[0].textSms).toBe('Hello');
		});

		it.each([
			['a line feed inside a text', request(smsMessage('79001234561').replace('Hello', 'Hel\nlo')), 'request/message/text_sms'],
			['a carriage return inside a text', request(smsMessage('79001234561').replace('Hello', 'Hel\rlo')), 'request/message/text_sms'],
			['a line break that is a whole text', request(smsMessage('79001234561').replace('Hello', '\n')), 'request/message/text_sms'],
			['a line feed inside an attribute value', request(smsMessage('79001234561')).replace('phone="', 'phone="\n'), 'request/message/abonent/@phone'],
			['a line feed inside the login', request().replace('value="demo"', 'value="de\nmo"'), 'request/security/login/@value'],
		])('refuses %s', async (_case, body, where) => {
			const { text } = await post(MESSAGE, body);
			expect(parseResponse(text).error).toBe(SandboxTexts.lineBreakInData(where));
			expect(sandbox.messages).toHaveLength(0);
		});

		it('refuses a body that is not UTF-8', async () => {
			const body = Buffer.concat([Buffer.from(request().slice(0, -10)), Buffer.from([0xcf, 0xf0]), Buffer.from('</request>')]);
			const { text } = await post(STATE, body);
			expect(parseResponse(text).error).toBe(SandboxTexts.notUtf8);
		});

		it('accepts a UTF-8 byte order mark', async () => {
			const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(request())]);
			expect((await post(STATE, body)).text).toBe(EMPTY_RESPONSE_BODY);
		});

		it('refuses characters XML cannot carry', async () => {
			const body = request(smsMessage('79001234561').replace('Hello', 'Hel\u0001lo'));
			const { text } = await post(MESSAGE, body);
			expect(parseResponse(text).error).toBe(SandboxTexts.forbiddenCharacter(body.indexOf('\u0001')));
		});

		it.each([
			['an unclosed element', `${DECLARATION}<request>${SECURITY}<state>`],
			['mismatched tags', `${DECLARATION}<request>${SECURITY}</response>`],
			['a bare ampersand', request(smsMessage('79001234561').replace('Hello', 'Fish & chips'))],
			['an unknown entity', request(smsMessage('79001234561').replace('Hello', '&nbsp;'))],
			['a reference to a line feed', request(smsMessage('79001234561').replace('Hello', 'a&#10;b'))],
			['a reference to a control character', request(smsMessage('79001234561').replace('Hello', 'a&#1;b'))],
			['an entity declared in a DOCTYPE', `${DECLARATION}<!DOCTYPE request [<!ENTITY e "x">]><request>${SECURITY}</request>`],
			['text after the root element', `${request()}trailing`],
			['two root elements', `${request()}<request/>`],
			['a duplicated attribute', request().replace('<login value="demo"/>', '<login value="demo" value="demo"/>')],
			['plain text', 'login=demo&password=demo1234'],
			['an empty body', ''],
			['a non-UTF-8 encoding declaration', request().replace('utf-8', 'windows-1251')],
		])('refuses %s as malformed XML', async (_case, body) => {
			const { status, text } = await post(MESSAGE, body);
			expect(status).toBe(200);
			expect(parseResponse(text).error).toMatch(/^Ошибка в XML-документе: /);
			expect(sandbox.messages).toHaveLength(0);
		});

		it('refuses a root element other than <request>', async () => {
			const { text } = await post(STATE, `${DECLARATION}<response>${SECURITY}</response>`);
			expect(parseResponse(text).error).toBe(SandboxTexts.wrongRootElement('response'));
		});

		it('refuses unknown and repeated request elements', async () => {
			expect(parseResponse((await post(MESSAGE, request('<state/>'))).text).error).toBe(
				SandboxTexts.unknownRequestElement('state'),
			);
			expect(parseResponse((await post(STATE, request('<state/><state/>'))).text).error).toBe(
				SandboxTexts.repeatedRequestElement('state'),
			);
			expect(parseResponse((await post(STATE, request('oops'))).text).error).toBe(
				SandboxTexts.unexpectedText('request'),
			);
		});
	});

	describe('POST /xml/message.php', () => {
		it('answers the documented multi-message request in order, one row per recipient', async () => {
			const reply = await send(
				'<message><send_viber>1</send_viber><send_sms>2</send_sms><name_delivery>Рассылка</name_delivery>' +
					'<time_send></time_send><sender_viber>Shop</sender_viber><text_viber>Скидка 10%</text_viber>' +
					'<button_text>Открыть</button_text><button_url>https://example.com/a?b=1&amp;c=2</button_url>' +
					'<image_url>https://example.com/i.png</image_url><validity_period_viber>120</validity_period_viber>' +
					'<finale_viber_read>1</finale_viber_read><sender_sms>Shop</sender_sms><text_sms>Скидка 10%</text_sms>' +
					'<abonent phone="79801234567" client_id_message="111"/><abonent phone="79800000001" client_id_message="112"/></message>',
				'<message>  <send_viber>1</send_viber><name_delivery>Рассылка 2</name_delivery><sender_viber>Shop</sender_viber>' +
					'<text_viber>Привет</text_viber><abonent phone="79800000002" client_id_message="113"/></message>',
				'<message>  <name_delivery>Рассылка 3</name_delivery><sender_viber>Shop</sender_viber>' +
					'<text_viber>Привет</text_viber><abonent phone="79800000003"/></message>',
				smsMessage('123', '', '114'),
			);
			expect(reply.error).toBeUndefined();
			expect(reply.message).toHaveLength(4);
			const [first, second, third, fourth] = reply.message ?? [];

			expect(first.information).toHaveLength(2);
			const [a, b] = first.information ?? [];
			expect(a).toEqual({
				id_message: expect.stringMatching(/^[1-9]\d*$/),
				client_id_message: '111',
				id_sms: expect.stringMatching(/^[1-9]\d*$/),
				id_viber: expect.stringMatching(/^[1-9]\d*$/),
				phone: '79801234567',
				count_message: '1',
				'#text': 'send',
			});
			expect(b).toMatchObject({ client_id_message: '112', phone: '79800000001', '#text': 'send' });
			expect(Number(b.id_message)).toBeGreaterThan(Number(a.id_message));
			expect(Number(b.id_sms)).toBeGreaterThan(Number(a.id_sms));

			const [c] = second.information ?? [];
			expect(c).toMatchObject({ client_id_message: '113', id_sms: '0', phone: '79800000002', count_message: '1' });
			expect(c.id_viber).not.toBe('0');

			expect(third).toEqual({ information: undefined, error: SandboxTexts.noChannel });
			expect(fourth.information).toEqual([
				{ client_id_message: '114', phone: '123', '#text': SandboxTexts.wrongPhone },
			]);

			expect(sandbox.messages).toHaveLength(3);
			const [stored] = sandbox.messages;
			expect(stored).toMatchObject({
				idMessage: Number(a.id_message),
				idSms: Number(a.id_sms),
				idViber: Number(a.id_viber),
				clientIdMessage: '111',
				phone: '79801234567',
				viberOrder: 1,
				smsOrder: 2,
				nameDelivery: 'Рассылка',
				senderViber: 'Shop',
				textViber: 'Скидка 10%',
				buttonText: 'Открыть',
				buttonUrl: 'https://example.com/a?b=1&c=2',
				imageUrl: 'https://example.com/i.png',
				validityPeriodViber: 120,
				finaleViberRead: true,
				senderSms: 'Shop',
				textSms: 'Скидка 10%',
				parts: 1,
				requestIndex: 0,
			});
			expect(stored.timeSend).toBeUndefined();
			expect(sandbox.messages[2]).toMatchObject({ idSms: 0, viberOrder: 1, smsOrder: 0, validityPeriodViber: 60, finaleViberRead: false });
		});

		it('always writes client_id_message, empty when none was given', async () => {
			const row = await sendOne(smsMessage('79001234561'));
			expect(row.client_id_message).toBe('');
			expect(sandbox.messages[0].clientIdMessage).toBeNull();
		});

		it('decodes entities and character references exactly once, and "\\n" to a line break', async () => {
			const text = ' &amp;&lt;&gt;&quot;&apos; &#1055;&#x440;&#x438;&#1074;&#x435;&#x442; &amp;#65; &#x1F600; a\\nb ';
			await sendOne(smsMessage('79001234561').replace('<text_sms>Hello</text_sms>', `<text_sms>${text}</text_sms>`));
			expect(sandbox.messages[0].textSms).toBe(' &<>"\' Привет &#65; 😀 a\nb ');
		});

		it('keeps leading and trailing spaces and reads CDATA', async () => {
			await sendOne(smsMessage('79001234561').replace('Hello', '<![CDATA[ <b>&amp; ]]>'));
			expect(sandbox.messages[0].textSms).toBe(' <b>&amp; ');
		});

		it.each([
			['send_sms is not a digit', smsMessage('79001234561').replace('<send_sms>1</send_sms>', '<send_sms>10</send_sms>'), SandboxTexts.wrongChannelOrder('send_sms')],
			['send_viber is not a digit', smsMessage('79001234561', '<send_viber>x</send_viber>'), SandboxTexts.wrongChannelOrder('send_viber')],
			['both orders are 0', smsMessage('79001234561').replace('<send_sms>1</send_sms>', '<send_sms>0</send_sms>'), SandboxTexts.noChannel],
			['SMS without a sender', smsMessage('79001234561').replace('<sender_sms>Shop</sender_sms>', ''), SandboxTexts.noSmsSender],
			['SMS with a blank text', smsMessage('79001234561').replace('Hello', '   '), SandboxTexts.noSmsText],
			['Viber without a sender', viberThenSms('79001234561').replace('<sender_viber>Shop</sender_viber>', ''), SandboxTexts.noViberSender],
			['Viber without a text', viberThenSms('79001234561').replace('<text_viber>Hi</text_viber>', '<text_viber></text_viber>'), SandboxTexts.noViberText],
			['a Viber text over 1000 characters', viberThenSms('79001234561').replace('Hi', 'я'.repeat(1001)), SandboxTexts.viberTextTooLong],
			['a button text over 19 characters', viberThenSms('79001234561', `<button_text>${'b'.repeat(20)}</button_text><button_url>https://e.com</button_url>`), SandboxTexts.buttonTextTooLong],
			['a button text without a URL', viberThenSms('79001234561', '<button_text>Open</button_text>'), SandboxTexts.buttonTextWithoutUrl],
			['a button URL without a text', viberThenSms('79001234561', '<button_url>https://e.com</button_url>'), SandboxTexts.buttonUrlWithoutText],
			['an image without a button', viberThenSms('79001234561', '<image_url>https://e.com/i.png</image_url>'), SandboxTexts.imageWithoutButton],
			['a zero validity period', viberThenSms('79001234561', '<validity_period_viber>0</validity_period_viber>'), SandboxTexts.wrongValidityPeriod],
			['a fractional validity period', viberThenSms('79001234561', '<validity_period_viber>1.5</validity_period_viber>'), SandboxTexts.wrongValidityPeriod],
			['finale_viber_read other than 0 or 1', viberThenSms('79001234561', '<finale_viber_read>yes</finale_viber_read>'), SandboxTexts.wrongFinaleViberRead],
			['a time_send in another format', smsMessage('79001234561', '<time_send>2030-01-01T10:00</time_send>'), SandboxTexts.wrongTimeSend],
			['a time_send that is no date', smsMessage('79001234561', '<time_send>2030-02-30 10:00</time_send>'), SandboxTexts.wrongTimeSend],
			['a time_send in the past', smsMessage('79001234561', '<time_send>2020-01-01 10:00</time_send>'), SandboxTexts.timeSendInPast],
			['an unknown element', smsMessage('79001234561', '<priority>1</priority>'), SandboxTexts.unknownMessageElement('priority')],
			['a repeated element', smsMessage('79001234561', '<text_sms>Again</text_sms>'), SandboxTexts.repeatedMessageElement('text_sms')],
			['a field with an attribute', smsMessage('79001234561').replace('<text_sms>', '<text_sms lang="ru">'), SandboxTexts.textOnlyElement('text_sms')],
			['no recipients', '<message><send_sms>1</send_sms><sender_sms>Shop</sender_sms><text_sms>Hello</text_sms></message>', SandboxTexts.noAbonents],
			['text between the fields', smsMessage('79001234561', 'stray'), SandboxTexts.unexpectedText('message')],
		])('refuses a message with %s', async (_case, message, error) => {
			expect(await messageError(message)).toBe(error);
			expect(sandbox.messages).toHaveLength(0);
		});

		it('refuses only the faulty message of a request', async () => {
			const reply = await send(smsMessage('79001234561'), smsMessage('79001234562', '<bogus/>'), smsMessage('79001234563'));
			expect(reply.message?.map((message) => message.error)).toEqual([
				undefined,
				SandboxTexts.unknownMessageElement('bogus'),
				undefined,
			]);
			expect(sandbox.messages.map((message) => message.phone)).toEqual(['79001234561', '79001234563']);
		});

		it('accepts a time_send in the current minute and counts an empty one as absent', async () => {
			const msIntoMinute = sandbox.now().getTime() % MINUTE;
			if (msIntoMinute > MINUTE - 5 * SECOND) {
				sandbox.advanceTime(MINUTE - msIntoMinute + SECOND);
			}
			await sendOne(smsMessage('79001234561', `<time_send>${moscowMinute(sandbox.now())}</time_send>`));
			await sendOne(smsMessage('79001234562', '<time_send></time_send><validity_period_viber></validity_period_viber>'));
			expect(sandbox.messages).toHaveLength(2);
		});

		it('refuses recipients one by one', async () => {
			sandbox.refusePhone('79001234562');
			sandbox.refusePhone('79001234563', 'Абонент отписался');
			const reply = await send(
				'<message><send_sms>1</send_sms><sender_sms>Shop</sender_sms><text_sms>Hello</text_sms>' +
					'<abonent phone="79001234561" client_id_message="1"/>' +
					'<abonent phone="79001234562" client_id_message="2"/>' +
					'<abonent phone="79001234563"/>' +
					'<abonent phone="+79001234564" client_id_message="4"/>' +
					'<abonent phone="123456789" client_id_message="5"/>' +
					'<abonent phone="1234567890123456"/>' +
					'<abonent phone="79001234567" client_id_message="x7"/>' +
					'<abonent client_id_message="8"/>' +
					'<abonent phone="79001234569" group="vip"/>' +
					'</message>',
			);
			const rows = reply.message?.[0].information ?? [];
			expect(rows.map((row) => row['#text'])).toEqual([
				'send',
				SandboxTexts.stopListed,
				'Абонент отписался',
				SandboxTexts.wrongPhone,
				SandboxTexts.wrongPhone,
				SandboxTexts.wrongPhone,
				SandboxTexts.wrongClientIdMessage,
				SandboxTexts.wrongPhone,
				SandboxTexts.unknownAbonentAttribute('group'),
			]);
			expect(rows.slice(1)).toEqual(rows.slice(1).map((row) => ({ client_id_message: row.client_id_message, phone: row.phone, '#text': row['#text'] })));
			expect(rows[3]).toEqual({ client_id_message: '4', phone: '+79001234564', '#text': SandboxTexts.wrongPhone });
			expect(rows[7]).toEqual({ client_id_message: '8', phone: '', '#text': SandboxTexts.wrongPhone });
			expect(sandbox.messages).toHaveLength(1);
		});

		it('answers a repeated client_id_message with the original row and stores nothing new', async () => {
			const first = await send(smsMessage('79001234561', '', '777'));
			const original = first.message?.[0].information?.[0];
			sandbox.refusePhone('79001234561');
			sandbox.advanceTime(10 * MINUTE);
			const again = await send(smsMessage('79001234561', '', '777'), smsMessage('79001234599', '', '0777'));
			expect(again.message?.[0].information?.[0]).toEqual(original);
			expect(again.message?.[1].information?.[0]).toEqual(original);
			expect(sandbox.messages).toHaveLength(1);
			expect(sandbox.messages[0].requestIndex).toBe(0);
		});

		it('counts parts in the first channel of the cascade', async () => {
			const sms = (text: string): string => smsMessage('79001234561').replace('Hello', text);
			const cases: Array<[string, string]> = [
				[sms('a'.repeat(160)), '1'],
				[sms('a'.repeat(161)), '2'],
				[sms('a'.repeat(306)), '2'],
				[sms('a'.repeat(307)), '3'],
				[sms('{'.repeat(80)), '1'],
				[sms('{'.repeat(81)), '2'],
				[sms('я'.repeat(70)), '1'],
				[sms('я'.repeat(71)), '2'],
				[sms('я'.repeat(134)), '2'],
				[sms('я'.repeat(135)), '3'],
				[sms(`${'a'.repeat(159)}\\n`), '1'],
				[viberThenSms('79001234561').replace('Hello', 'я'.repeat(200)), '1'],
				[viberThenSms('79001234561').replace('<send_viber>1', '<send_viber>3').replace('Hello', 'я'.repeat(200)), '3'],
			];
			for (const [message, parts] of cases) {
				expect((await sendOne(message)).count_message).toBe(parts);
			}
		});
	});

	describe('POST /xml/state_message.php', () => {
		it('answers an authenticated request without ids with an empty response', async () => {
			expect((await post(STATE, request())).text).toBe(EMPTY_RESPONSE_BODY);
			expect((await post(STATE, request('<state></state>'))).text).toBe(EMPTY_RESPONSE_BODY);
			expect((await post(STATE, request('<state> </state>'))).text).toBe(EMPTY_RESPONSE_BODY);
		});

		it.each([['abc'], [''], [' 1'], ['-1'], ['1.0']])('refuses the id "%s"', async (id) => {
			const { text } = await post(STATE, stateRequest(1, id));
			expect(parseResponse(text).error).toBe(SandboxTexts.wrongMessageId(id));
		});

		it('refuses other elements inside <state>', async () => {
			const { text } = await post(STATE, request('<state><id_sms>1</id_sms></state>'));
			expect(parseResponse(text).error).toBe(SandboxTexts.unknownRequestElement('id_sms'));
		});

		it('answers each id in request order, unknown ones with the documented text', async () => {
			const idMessage = (await sendOne(smsMessage('79001234561'))).id_message;
			const rows = await states(999, idMessage, `00${idMessage}`);
			expect(rows).toHaveLength(3);
			expect(rows[0]).toEqual({
				id_message: '999',
				time_change_state: '',
				state_sms: '',
				state_viber: '',
				num_parts_sms: '',
				price_sms: '',
				price_viber: '',
				'#text': SandboxTexts.unknownMessage,
			});
			expect(rows[1]).toEqual({
				id_message: idMessage,
				time_change_state: formatMoscowDateTime(sandbox.messages[0].acceptedAt),
				state_sms: 'send',
				state_viber: 'send',
				num_parts_sms: '1',
				price_sms: '2.50',
				price_viber: '0.00',
				'#text': 'send',
			});
			expect(rows[2]).toMatchObject({ id_message: `00${idMessage}`, '#text': 'send' });
		});

		it('writes times in Moscow time', async () => {
			const idMessage = (await sendOne(smsMessage('79001234561'))).id_message;
			sandbox.advanceTime(5 * SECOND);
			const { time_change_state: changed } = await stateOf(idMessage);
			const deliveredAt = new Date(sandbox.messages[0].acceptedAt.getTime() + 2 * SECOND);
			expect(new Date(`${changed.replace(' ', 'T')}+03:00`).getTime()).toBe(Math.floor(deliveredAt.getTime() / SECOND) * SECOND);
		});
	});

	describe('status model', () => {
		async function timeline(message: string, checkpoints: number[]): Promise<Array<Partial<Row>>> {
			const idMessage = (await sendOne(message)).id_message;
			const seen: Array<Partial<Row>> = [];
			let elapsed = 0;
			for (const at of checkpoints) {
				sandbox.advanceTime(at - elapsed);
				elapsed = at;
				const { '#text': status, state_viber, state_sms, num_parts_sms, price_sms, price_viber } = await stateOf(idMessage);
				seen.push({ '#text': status, state_viber, state_sms, num_parts_sms, price_sms, price_viber });
			}
			return seen;
		}

		it('delivers an SMS after two seconds', async () => {
			const sms = smsMessage('79001234561').replace('Hello', 'я'.repeat(71));
			expect(await timeline(sms, [SECOND, 3 * SECOND])).toEqual([
				{ '#text': 'send', state_viber: 'send', state_sms: 'send', num_parts_sms: '2', price_sms: '5.00', price_viber: '0.00' },
				{ '#text': 'deliver', state_viber: 'send', state_sms: 'deliver', num_parts_sms: '2', price_sms: '5.00', price_viber: '0.00' },
			]);
		});

		it('stops the cascade when Viber delivers', async () => {
			expect(await timeline(viberThenSms('79001234561'), [SECOND, 3 * SECOND, 10 * MINUTE])).toEqual([
				{ '#text': 'send', state_viber: 'send', state_sms: 'send', num_parts_sms: '0', price_sms: '0.00', price_viber: '1.20' },
				{ '#text': 'deliver', state_viber: 'deliver', state_sms: 'send', num_parts_sms: '0', price_sms: '0.00', price_viber: '1.20' },
				{ '#text': 'deliver', state_viber: 'deliver', state_sms: 'send', num_parts_sms: '0', price_sms: '0.00', price_viber: '1.20' },
			]);
		});

		it('falls back to SMS at once for a phone ending in 0 (not a Viber user)', async () => {
			expect(await timeline(viberThenSms('79001234560'), [SECOND, 3 * SECOND])).toEqual([
				{ '#text': 'send', state_viber: 'not_deliver', state_sms: 'send', num_parts_sms: '1', price_sms: '2.50', price_viber: '1.20' },
				{ '#text': 'deliver', state_viber: 'not_deliver', state_sms: 'deliver', num_parts_sms: '1', price_sms: '2.50', price_viber: '1.20' },
			]);
		});

		it('fails every channel for a phone ending in 8', async () => {
			const rows = await timeline(viberThenSms('79001234568'), [SECOND, 3 * SECOND, 5 * SECOND]);
			expect(rows.map((row) => [row['#text'], row.state_viber, row.state_sms])).toEqual([
				['send', 'send', 'send'],
				['send', 'not_deliver', 'send'],
				['not_deliver', 'not_deliver', 'not_deliver'],
			]);
		});

		it('expires Viber after its validity period, then SMS, for a phone ending in 9', async () => {
			const message = viberThenSms('79001234569', '<validity_period_viber>5</validity_period_viber>');
			const rows = await timeline(message, [4 * MINUTE, 5 * MINUTE + SECOND, 5 * MINUTE + 3 * SECOND]);
			expect(rows.map((row) => [row['#text'], row.state_viber, row.state_sms])).toEqual([
				['send', 'send', 'send'],
				['send', 'expired', 'send'],
				['expired', 'expired', 'expired'],
			]);
		});

		it('ends partly delivered without falling back for a phone ending in 6', async () => {
			const rows = await timeline(viberThenSms('79001234566'), [3 * SECOND, 2 * MINUTE]);
			expect(rows.map((row) => [row['#text'], row.state_viber, row.state_sms])).toEqual([
				['partly_deliver', 'partly_deliver', 'send'],
				['partly_deliver', 'partly_deliver', 'send'],
			]);
		});

		it('falls back after the validity period when a read Viber message is final but never read (phone ending in 7)', async () => {
			const message = viberThenSms('79001234567', '<validity_period_viber>5</validity_period_viber><finale_viber_read>1</finale_viber_read>');
			const rows = await timeline(message, [3 * SECOND, 5 * MINUTE + SECOND, 5 * MINUTE + 3 * SECOND]);
			expect(rows.map((row) => [row['#text'], row.state_viber, row.state_sms])).toEqual([
				['send', 'deliver', 'send'],
				['send', 'deliver', 'send'],
				['deliver', 'deliver', 'deliver'],
			]);
			const unread = viberThenSms('79001234577', '<finale_viber_read>0</finale_viber_read>');
			const [delivered] = await timeline(unread, [3 * SECOND]);
			expect([delivered['#text'], delivered.state_sms]).toEqual(['deliver', 'send']);
		});

		it('tries SMS first when its order is lower', async () => {
			const message = viberThenSms('79001234568').replace('<send_viber>1', '<send_viber>2').replace('<send_sms>2', '<send_sms>1');
			const rows = await timeline(message, [3 * SECOND, 5 * SECOND]);
			expect(rows.map((row) => [row['#text'], row.state_viber, row.state_sms])).toEqual([
				['send', 'send', 'not_deliver'],
				['not_deliver', 'not_deliver', 'not_deliver'],
			]);
		});

		it('waits for time_send', async () => {
			const at = new Date(sandbox.now().getTime() + 2 * 60 * MINUTE);
			const message = smsMessage('79001234561', `<time_send>${moscowMinute(at)}</time_send>`);
			const idMessage = (await sendOne(message)).id_message;
			expect(sandbox.messages[0].timeSend).toBe(moscowMinute(at));
			sandbox.advanceTime(60 * MINUTE);
			expect(await stateOf(idMessage)).toMatchObject({ '#text': 'send', state_sms: 'send', num_parts_sms: '0' });
			sandbox.advanceTime(61 * MINUTE);
			const row = await stateOf(idMessage);
			expect(row).toMatchObject({ '#text': 'deliver', state_sms: 'deliver', num_parts_sms: '1' });
			expect(row.time_change_state).toBe(`${moscowMinute(at)}:02`);
		});
	});

	describe('faults', () => {
		it('rejectLogin refuses the next request without processing it', async () => {
			sandbox.failNext({ kind: 'rejectLogin' });
			expect((await post(MESSAGE, request(smsMessage('79001234561')))).text).toBe(WRONG_LOGIN_BODY);
			expect(sandbox.messages).toHaveLength(0);
			expect((await sendOne(smsMessage('79001234561')))['#text']).toBe('send');
		});

		it('http500 answers a server error, with a custom body if given', async () => {
			sandbox.failNext({ kind: 'http500' });
			sandbox.failNext({ kind: 'http500', body: 'upstream down' });
			const first = await post(MESSAGE, request(smsMessage('79001234561')));
			const second = await post(MESSAGE, request(smsMessage('79001234561')));
			expect(first.status).toBe(500);
			expect(second).toMatchObject({ status: 500, text: 'upstream down' });
			expect(sandbox.messages).toHaveLength(0);
			expect(sandbox.requests.map((recorded) => recorded.status)).toEqual([500, 500]);
		});

		it('malformed answers 200 with a body that is not XML', async () => {
			sandbox.failNext({ kind: 'malformed' });
			const { status, text, headers } = await post(STATE, request());
			expect(status).toBe(200);
			expect(headers.get('content-type')).toMatch(/^text\/html/);
			expect(() => new XMLParser().parse(text, true)).toThrow();
		});

		it('wrongRoot answers well-formed XML whose root is not <response>', async () => {
			sandbox.failNext({ kind: 'wrongRoot' });
			const { status, text } = await post(STATE, request());
			expect(status).toBe(200);
			const document = new XMLParser().parse(text, true) as Record<string, unknown>;
			expect(Object.keys(document)).not.toContain('response');
			expect(Object.keys(document)).toContain('request');
		});

		it('slow answers normally after the delay', async () => {
			sandbox.failNext({ kind: 'slow', delayMs: 300 });
			const started = Date.now();
			const row = await sendOne(smsMessage('79001234561'));
			expect(Date.now() - started).toBeGreaterThanOrEqual(290);
			expect(row['#text']).toBe('send');
		});

		it('dropAfterProcessing stores the messages and closes the connection without an answer', async () => {
			sandbox.failNext({ kind: 'dropAfterProcessing' });
			await expect(post(MESSAGE, request(smsMessage('79001234561', '', '42')))).rejects.toThrow();
			expect(sandbox.messages).toHaveLength(1);
			expect(sandbox.requests[0]).toMatchObject({ status: 0, responseBody: '' });
			const retried = await sendOne(smsMessage('79001234561', '', '42'));
			expect(Number(retried.id_message)).toBe(sandbox.messages[0].idMessage);
			expect(sandbox.messages).toHaveLength(1);
		});

		it('cutReply stores the messages and sends the headers and half the body before closing the connection', async () => {
			sandbox.failNext({ kind: 'cutReply' });
			await expect(post(MESSAGE, request(smsMessage('79001234561', '', '42')))).rejects.toThrow();
			expect(sandbox.messages).toHaveLength(1);
			const [cut] = sandbox.requests;
			expect(cut.status).toBe(200);
			expect(cut.bytesWritten).toBe(Math.floor(Buffer.byteLength(cut.responseBody) / 2));
			const retried = await sendOne(smsMessage('79001234561', '', '42'));
			expect(Number(retried.id_message)).toBe(sandbox.messages[0].idMessage);
			expect(sandbox.messages).toHaveLength(1);
		});

		it('matches the path and counts times', async () => {
			sandbox.failNext({ kind: 'http500', path: STATE, times: 2 });
			expect((await post(MESSAGE, request())).status).toBe(200);
			expect((await post(STATE, request())).status).toBe(500);
			expect((await post(STATE, request())).status).toBe(500);
			expect((await post(STATE, request())).status).toBe(200);
		});

		it('applies queued faults in order, one per request', async () => {
			sandbox.failNext({ kind: 'http500' });
			sandbox.failNext({ kind: 'rejectLogin' });
			expect((await post(STATE, request())).status).toBe(500);
			expect((await post(STATE, request())).text).toBe(WRONG_LOGIN_BODY);
			expect((await post(STATE, request())).text).toBe(EMPTY_RESPONSE_BODY);
		});

		it('refuses invalid fault settings', () => {
			expect(() => sandbox.failNext({ kind: 'http500', times: 0 })).toThrow(RangeError);
			expect(() => sandbox.failNext({ kind: 'slow', delayMs: -1 })).toThrow(RangeError);
		});
	});

	describe('reset and clock', () => {
		it('clears requests, messages, faults, the stop list and the clock offset, but never reuses ids', async () => {
			const before = Number((await sendOne(smsMessage('79001234561', '', '5'))).id_message);
			sandbox.refusePhone('79001234562');
			sandbox.failNext({ kind: 'http500' });
			sandbox.advanceTime(60 * MINUTE);
			sandbox.reset();
			expect(sandbox.requests).toHaveLength(0);
			expect(sandbox.messages).toHaveLength(0);
			expect(Math.abs(sandbox.now().getTime() - Date.now())).toBeLessThan(1_000);
			const row = await sendOne(smsMessage('79001234562', '', '5'));
			expect(row['#text']).toBe('send');
			expect(Number(row.id_message)).toBeGreaterThan(before);
		});

		it('only moves forward', () => {
			expect(() => sandbox.advanceTime(-1)).toThrow(RangeError);
		});
	});
});
