import { XMLParser } from 'fast-xml-parser';

import { formatMoscowDateTime } from './moscow-time';
import { SandboxTexts, TargetSmsSandbox } from './server';

const EMAIL = '/clients/api.php';
const STATUS = '/clients/api.php?func=status';
const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const XML_SECURITY = '<security><login>demo</login><password>demo1234</password></security>';
const JSON_SECURITY = { login: 'demo', password: 'demo1234' };
const FROM = TargetSmsSandbox.DEFAULT_EMAIL_FROM;
const NO_TIME = '0000-00-00 00:00:00';
const SECOND = 1_000;
const DAY = 24 * 60 * 60 * SECOND;

type Json = Record<string, unknown>;

interface Letter {
	from?: string;
	to?: string;
	subject?: string;
	id?: string;
	letter?: string;
}

const LETTER: Required<Letter> = {
	from: FROM,
	to: 'info@targetsms.ru',
	subject: 'test',
	id: '2',
	letter: 'dGVzdA==',
};

const replyParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
});

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
}

function base64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

/** An XML send request; fields set to undefined are left out. */
function xmlSend(fields: Letter = {}, security = XML_SECURITY): string {
	const letter = { ...LETTER, ...fields };
	const attributes = [
		letter.to === undefined ? '' : ` to="${escapeXml(letter.to)}"`,
		letter.subject === undefined ? '' : ` subject="${escapeXml(letter.subject)}"`,
		letter.id === undefined ? '' : ` id_message="${escapeXml(letter.id)}"`,
	].join('');
	const from = letter.from === undefined ? '' : `<from>${escapeXml(letter.from)}</from>`;
	const body = letter.letter === undefined ? '' : `<letter>${letter.letter}</letter>`;
	return `${DECLARATION}<request>${security}${from}<email${attributes}>${body}</email></request>`;
}

const JSON_EMAIL: Json = { letter: 'dGVzdA==', id_message: '2', to: 'info@targetsms.ru', subject: 'test' };

/** A JSON send request: `email` members override the defaults; undefined members are left out. */
function jsonSend(email: Json = {}, from: unknown = FROM, extra: Json = {}): string {
	return JSON.stringify({ security: JSON_SECURITY, from, email: { ...JSON_EMAIL, ...email }, ...extra });
}

/** The JSON request carrying the same values as `xmlSend(fields)`. */
function jsonLetter(fields: Letter): string {
	const letter = { ...LETTER, ...fields };
	return JSON.stringify({
		security: JSON_SECURITY,
		from: letter.from,
		email: { letter: letter.letter, id_message: letter.id, to: letter.to, subject: letter.subject },
	});
}

function xmlStatus(id: string): string {
	return `${DECLARATION}<request>${XML_SECURITY}<id_message>${id}</id_message></request>`;
}

function jsonStatus(id: unknown): string {
	return JSON.stringify({ security: JSON_SECURITY, id_message: id });
}

/** The root element's name and content of an XML reply. */
function parseXml(body: string): { root: string; content: Json } {
	const document = replyParser.parse(body) as Json;
	const [root] = Object.keys(document).filter((key) => key !== '?xml');
	const content = document[root];
	return { root, content: (typeof content === 'object' && content !== null ? content : {}) as Json };
}

function xmlError(body: string): unknown {
	const { root, content } = parseXml(body);
	expect(root).toBe('request');
	return content.error;
}

describe('TargetSmsSandbox email API', () => {
	const sandbox = new TargetSmsSandbox();
	let url: string;

	async function post(
		path: string,
		body: string | Uint8Array,
		headers: Record<string, string>,
	): Promise<{ status: number; text: string; headers: Headers }> {
		const response = await fetch(`${url}${path}`, { method: 'POST', headers, body });
		return { status: response.status, text: await response.text(), headers: response.headers };
	}

	async function postJson(path: string, body: string): Promise<Json> {
		const { status, text, headers } = await post(path, body, JSON_HEADERS);
		expect(status).toBe(200);
		expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
		return JSON.parse(text) as Json;
	}

	async function postXml(path: string, body: string): Promise<string> {
		const { status, text, headers } = await post(path, body, XML_HEADERS);
		expect(status).toBe(200);
		expect(headers.get('content-type')).toBe('text/xml; charset=utf-8');
		return text;
	}

	/** Sends a letter in XML and returns its external_message_id. */
	async function sendXml(fields: Letter = {}): Promise<string> {
		const { content } = parseXml(await postXml(EMAIL, xmlSend(fields)));
		expect(content.error).toBe('');
		return (content.success as Json).external_message_id as string;
	}

	async function statusXml(id: string): Promise<Json> {
		const { root, content } = parseXml(await postXml(STATUS, xmlStatus(id)));
		expect(root).toBe('request');
		expect(content.error).toBe('');
		return content.success as Json;
	}

	async function statusJson(id: unknown): Promise<Json> {
		const reply = await postJson(STATUS, jsonStatus(id));
		expect(reply.error).toBe('');
		return reply.data as Json;
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

	describe('POST /clients/api.php in XML', () => {
		it('answers the documented request (indented, as in the document) and records the email', async () => {
			const body = [
				'<?xml version="1.0" encoding="utf-8" ?>',
				'<request>',
				'  <security>',
				'    <login>demo</login>',
				'    <password>demo1234</password>',
				'  </security>',
				`  <from>${FROM}</from>`,
				'  <email to="info@targetsms.ru" subject="test" id_message="2">',
				'    <letter>dGVzdA==</letter>',
				'  </email>',
				'</request>',
			].join('\n');
			const text = await postXml(EMAIL, body);
			const id = sandbox.emails[0]?.externalMessageId;
			expect(text).toBe(
				`${DECLARATION}<request><error/><success message_id="2" external_message_id="${id}">Сообщение обработано</success></request>`,
			);
			expect(sandbox.emails).toEqual([
				{
					messageId: '2',
					externalMessageId: expect.any(Number),
					from: FROM,
					to: 'info@targetsms.ru',
					subject: 'test',
					body: 'test',
					format: 'xml',
					acceptedAt: expect.any(Date),
					requestIndex: 0,
				},
			]);
		});

		it('decodes entities in the subject and a UTF-8 letter', async () => {
			await sendXml({ subject: 'Заказ №5 & "скидка" <10%>', letter: base64('<p>Здравствуйте!</p>\r\n😀') });
			expect(sandbox.emails[0]).toMatchObject({ subject: 'Заказ №5 & "скидка" <10%>', body: '<p>Здравствуйте!</p>\r\n😀' });
		});

		it('accepts text/xml without a charset, and the return address in any letter case', async () => {
			const { text } = await post(EMAIL, xmlSend(), { 'Content-Type': 'text/xml' });
			expect(xmlError(text)).toBe('');
			await sendXml({ from: FROM.toUpperCase() });
			expect(sandbox.emails.map((email) => email.from)).toEqual([FROM, FROM.toUpperCase()]);
		});
	});

	describe('POST /clients/api.php in JSON', () => {
		it('answers the documented request and records the email', async () => {
			const body = JSON.stringify(
				{
					security: { login: 'demo', password: 'demo1234' },
					from: FROM,
					email: { letter: 'dGVzdA==', id_message: '2', to: 'info@targetsms.ru', subject: 'test' },
				},
				null,
				2,
			);
			const { text, headers } = await post(EMAIL, body, JSON_HEADERS);
			const id = sandbox.emails[0]?.externalMessageId;
			expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
			expect(text).toBe(`{"error":"","message_id":"2","external_message_id":"${id}"}`);
			expect(sandbox.emails[0]).toMatchObject({ messageId: '2', to: 'info@targetsms.ru', body: 'test', format: 'json' });
		});

		it('accepts id_message as a JSON number and a charset in the Content-Type', async () => {
			const { text } = await post(EMAIL, jsonSend({ id_message: 7 }), {
				'Content-Type': 'application/json; charset=utf-8',
			});
			expect(JSON.parse(text)).toMatchObject({ error: '', message_id: '7' });
			expect(sandbox.emails[0].messageId).toBe('7');
		});

		it('sends a repeated id_message again: no de-duplication', async () => {
			const first = await postJson(EMAIL, jsonSend());
			const second = await postJson(EMAIL, jsonSend());
			expect(first.message_id).toBe('2');
			expect(second.message_id).toBe('2');
			expect(second.external_message_id).not.toBe(first.external_message_id);
			expect(sandbox.emails).toHaveLength(2);
			expect(sandbox.emails.map((email) => email.requestIndex)).toEqual([0, 1]);
		});
	});

	describe('request checks', () => {
		it.each([
			['no Content-Type', {}],
			['application/xml', { 'Content-Type': 'application/xml' }],
			['text/plain', { 'Content-Type': 'text/plain' }],
			['a windows-1251 charset', { 'Content-Type': 'text/xml; charset=windows-1251' }],
		])('refuses %s in XML', async (_case, headers) => {
			const { status, text } = await post(EMAIL, xmlSend(), headers);
			expect(status).toBe(200);
			expect(xmlError(text)).toBe(SandboxTexts.emailWrongContentType);
			expect(sandbox.emails).toHaveLength(0);
		});

		it('refuses a JSON request with another charset in JSON', async () => {
			const { text } = await post(EMAIL, jsonSend(), { 'Content-Type': 'application/json; charset=windows-1251' });
			expect(JSON.parse(text)).toEqual({ error: SandboxTexts.emailWrongContentType });
		});

		it('reads the body in the format the Content-Type names', async () => {
			expect(await postJson(EMAIL, xmlSend())).toEqual({ error: expect.stringMatching(/^Ошибка в JSON-документе: /) });
			expect(xmlError(await postXml(EMAIL, jsonSend()))).toMatch(/^Ошибка в XML-документе: /);
		});

		it.each([
			['malformed JSON', '{"security": '],
			['an empty body', ''],
		])('refuses %s', async (_case, body) => {
			expect(await postJson(EMAIL, body)).toEqual({ error: expect.stringMatching(/^Ошибка в JSON-документе: /) });
		});

		it('refuses JSON whose top level is not an object, and a body that is not UTF-8', async () => {
			expect(await postJson(EMAIL, '[]')).toEqual({ error: SandboxTexts.jsonNotObject });
			const { text } = await post(EMAIL, Buffer.from([0x7b, 0xcf, 0x7d]), JSON_HEADERS);
			expect(JSON.parse(text)).toEqual({ error: SandboxTexts.notUtf8 });
		});

		it('refuses a root element other than <request> and characters XML cannot carry', async () => {
			expect(xmlError(await postXml(EMAIL, `${DECLARATION}<response/>`))).toBe(SandboxTexts.wrongRootElement('response'));
			const body = xmlSend({ subject: 'a\u0001b' });
			expect(xmlError(await postXml(EMAIL, body))).toBe(SandboxTexts.forbiddenCharacter(body.indexOf('\u0001')));
		});

		it('refuses other methods than POST and answers the CORS preflight', async () => {
			const get = await fetch(`${url}${EMAIL}`);
			expect(get.status).toBe(405);
			expect(get.headers.get('allow')).toBe('OPTIONS, POST');
			expect(xmlError(await get.text())).toBe(SandboxTexts.postOnly);
			const options = await fetch(`${url}${EMAIL}`, { method: 'OPTIONS' });
			expect(options.status).toBe(204);
			expect(options.headers.get('access-control-allow-origin')).toBe('*');
			expect(options.headers.get('access-control-allow-methods')).toBe('HEAD,OPTIONS,POST');
			const { headers } = await post(EMAIL, jsonSend(), JSON_HEADERS);
			expect(headers.get('access-control-allow-origin')).toBe('*');
		});

		it.each([
			['func=send', 'send'],
			['func=', ''],
			['func=status&func=status', 'status,status'],
		])('refuses an unknown function (%s) in the request format', async (query, name) => {
			expect(xmlError(await postXml(`${EMAIL}?${query}`, xmlSend()))).toBe(SandboxTexts.unknownFunction(name));
			expect(await postJson(`${EMAIL}?${query}`, jsonSend())).toEqual({ error: SandboxTexts.unknownFunction(name) });
			expect(sandbox.emails).toHaveLength(0);
		});

		it('ignores other query parameters', async () => {
			expect((await postJson(`${EMAIL}?utm=1`, jsonSend())).error).toBe('');
		});
	});

	describe('authentication', () => {
		it.each([
			['a wrong password', '<security><login>demo</login><password>nope</password></security>'],
			['a wrong login', '<security><login>Demo</login><password>demo1234</password></security>'],
			['no password', '<security><login>demo</login></security>'],
			['no security', ''],
			['credentials as attributes', '<security><login value="demo"/><password value="demo1234"/></security>'],
			['padded credentials', '<security><login> demo</login><password>demo1234</password></security>'],
		])('refuses %s in XML, on both functions', async (_case, security) => {
			expect(xmlError(await postXml(EMAIL, xmlSend({}, security)))).toBe(SandboxTexts.wrongLogin);
			const status = `${DECLARATION}<request>${security}<id_message>1</id_message></request>`;
			expect(xmlError(await postXml(STATUS, status))).toBe(SandboxTexts.wrongLogin);
			expect(sandbox.emails).toHaveLength(0);
		});

		it.each([
			['a wrong password', { login: 'demo', password: 'nope' }],
			['no password', { login: 'demo' }],
			['a number as password', { login: 'demo', password: 1 }],
			['another member', { login: 'demo', password: 'demo1234', token: 'x' }],
			['no security', undefined],
		])('refuses %s in JSON', async (_case, security) => {
			const body = JSON.stringify({ ...(JSON.parse(jsonSend()) as Json), security });
			expect(await postJson(EMAIL, body)).toEqual({ error: SandboxTexts.wrongLogin });
			expect(sandbox.emails).toHaveLength(0);
		});

		it('uses the account and return address given to the constructor', async () => {
			const other = new TargetSmsSandbox({ login: 'shop', password: 'p&ss', emailFrom: 'news@shop.example' });
			const otherUrl = await other.start();
			try {
				expect(other.emailFrom).toBe('news@shop.example');
				const security = '<security><login>shop</login><password>p&amp;ss</password></security>';
				const send = (from: string): Promise<Response> =>
					fetch(`${otherUrl}${EMAIL}`, { method: 'POST', headers: XML_HEADERS, body: xmlSend({ from }, security) });
				expect(xmlError(await (await send(FROM)).text())).toBe(SandboxTexts.unregisteredFrom(FROM));
				expect(xmlError(await (await send('news@shop.example')).text())).toBe('');
				expect(other.emails).toHaveLength(1);
			} finally {
				await other.stop();
			}
		});
	});

	describe('checks of the letter, in both formats', () => {
		const refusals: Array<[string, Letter, string]> = [
			['no from', { from: undefined }, SandboxTexts.noFrom],
			['an empty from', { from: '' }, SandboxTexts.noFrom],
			['an unregistered from', { from: 'other@example.com' }, SandboxTexts.unregisteredFrom('other@example.com')],
			['a from with a display name', { from: `Shop <${FROM}>` }, SandboxTexts.unregisteredFrom(`Shop <${FROM}>`)],
			['no to', { to: undefined }, SandboxTexts.noRecipient],
			['a to without a domain', { to: 'info@localhost' }, SandboxTexts.wrongRecipient('info@localhost')],
			['a to without @', { to: 'info.targetsms.ru' }, SandboxTexts.wrongRecipient('info.targetsms.ru')],
			['two recipients', { to: 'a@example.com,b@example.com' }, SandboxTexts.wrongRecipient('a@example.com,b@example.com')],
			['a to with a space', { to: 'a b@example.com' }, SandboxTexts.wrongRecipient('a b@example.com')],
			['a to with a display name', { to: 'A <a@example.com>' }, SandboxTexts.wrongRecipient('A <a@example.com>')],
			['a to with two dots', { to: 'a..b@example.com' }, SandboxTexts.wrongRecipient('a..b@example.com')],
			['no subject', { subject: undefined }, SandboxTexts.noSubject],
			['a blank subject', { subject: '   ' }, SandboxTexts.noSubject],
			['no id_message', { id: undefined }, SandboxTexts.noIdMessage],
			['an id_message with letters', { id: '2a' }, SandboxTexts.wrongIdMessage('2a')],
			['a negative id_message', { id: '-1' }, SandboxTexts.wrongIdMessage('-1')],
			['no letter', { letter: undefined }, SandboxTexts.noLetter],
			['an empty letter', { letter: '' }, SandboxTexts.noLetter],
			['a letter without padding', { letter: 'dGVzdA' }, SandboxTexts.letterNotBase64],
			['a letter with short padding', { letter: 'dGVzdA=' }, SandboxTexts.letterNotBase64],
			['a letter with stray bits', { letter: 'dGVzdB==' }, SandboxTexts.letterNotBase64],
			['a letter with a space', { letter: 'dGVz dA==' }, SandboxTexts.letterNotBase64],
			['a letter with a tab', { letter: 'dGVz\tdA==' }, SandboxTexts.letterNotBase64],
			['a URL-safe letter', { letter: base64('???').replace('/', '_') }, SandboxTexts.letterNotBase64],
			['a letter that is not UTF-8', { letter: Buffer.from([0xcf, 0xf0, 0xe8]).toString('base64') }, SandboxTexts.letterNotUtf8],
		];

		it.each(refusals)('refuses %s in XML', async (_case, fields, error) => {
			expect(xmlError(await postXml(EMAIL, xmlSend(fields)))).toBe(error);
			expect(sandbox.emails).toHaveLength(0);
		});

		it.each(refusals)('refuses %s in JSON', async (_case, fields, error) => {
			expect(await postJson(EMAIL, jsonLetter(fields))).toEqual({ error });
			expect(sandbox.emails).toHaveLength(0);
		});

		it('refuses a line break in the subject', async () => {
			expect(await postJson(EMAIL, jsonSend({ subject: 'a\r\nBcc: x@example.com' }))).toEqual({
				error: SandboxTexts.subjectLineBreak,
			});
			const xml = xmlSend().replace('subject="test"', 'subject="a&#10;b"');
			expect(xmlError(await postXml(EMAIL, xml))).toBe(SandboxTexts.subjectLineBreak);
		});

		it.each([
			['a fraction', 2.5, SandboxTexts.wrongIdMessage('2.5')],
			['a negative number', -3, SandboxTexts.wrongIdMessage('-3')],
			['a number beyond 2^53', 2 ** 60, SandboxTexts.wrongIdMessage(String(2 ** 60))],
			['a boolean', true, SandboxTexts.wrongFieldType('email.id_message', 'строкой или числом')],
		])('refuses an id_message that is %s', async (_case, id, error) => {
			expect(await postJson(EMAIL, jsonSend({ id_message: id }))).toEqual({ error });
		});

		it('refuses members of the wrong type in JSON', async () => {
			expect(await postJson(EMAIL, jsonSend({}, 1))).toEqual({ error: SandboxTexts.wrongFieldType('from', 'строкой') });
			expect(await postJson(EMAIL, jsonSend({ to: ['a@example.com'] }))).toEqual({
				error: SandboxTexts.wrongFieldType('email.to', 'строкой'),
			});
			const notObject = JSON.stringify({ security: JSON_SECURITY, from: FROM, email: 'x' });
			expect(await postJson(EMAIL, notObject)).toEqual({ error: SandboxTexts.wrongFieldType('email', 'объектом') });
			const noEmail = JSON.stringify({ security: JSON_SECURITY, from: FROM });
			expect(await postJson(EMAIL, noEmail)).toEqual({ error: SandboxTexts.noEmail });
		});

		it('refuses unknown members in JSON', async () => {
			expect(await postJson(EMAIL, jsonSend({}, FROM, { cc: 'x' }))).toEqual({ error: SandboxTexts.unknownJsonField('cc') });
			expect(await postJson(EMAIL, jsonSend({ cc: 'x' }))).toEqual({
				error: SandboxTexts.unknownJsonField('email.cc'),
			});
		});

		it('refuses unknown and repeated elements and attributes in XML', async () => {
			const cases: Array<[string, string]> = [
				[xmlSend().replace('</request>', '<cc>x</cc></request>'), SandboxTexts.unknownRequestElement('cc')],
				[xmlSend().replace('</request>', `<from>${FROM}</from></request>`), SandboxTexts.repeatedRequestElement('from')],
				[xmlSend().replace('<email ', '<email cc="x" '), SandboxTexts.unknownAttributeOf('cc', 'email')],
				[xmlSend().replace('</email>', '<html>x</html></email>'), SandboxTexts.unknownElementIn('html', 'email')],
				[xmlSend().replace('</email>', '<letter>dGVzdA==</letter></email>'), SandboxTexts.repeatedElementIn('letter', 'email')],
				[xmlSend().replace('</email>', 'text</email>'), SandboxTexts.unexpectedText('email')],
				[xmlSend().replace(`<from>${FROM}</from>`, `<from><b>${FROM}</b></from>`), SandboxTexts.textOnlyElement('from')],
				[xmlSend().replace(/<email [^>]*>.*<\/email>/, ''), SandboxTexts.noEmail],
			];
			for (const [body, error] of cases) {
				expect(xmlError(await postXml(EMAIL, body))).toBe(error);
			}
			expect(sandbox.emails).toHaveLength(0);
		});
	});

	describe('POST /clients/api.php?func=status', () => {
		it('answers in XML with delivered="" until the delivery is known', async () => {
			const id = await sendXml();
			const created = formatMoscowDateTime(sandbox.emails[0].acceptedAt);
			const text = await postXml(STATUS, xmlStatus(id));
			expect(text).toBe(
				`${DECLARATION}<request><error/><success id="${id}" creation_date="${created}" open="0" open_date="${NO_TIME}"` +
					` unsubscribe="0" unsubscribe_date="${NO_TIME}" spam="0" spam_date="${NO_TIME}" delivered=""` +
					` delivered_date="${NO_TIME}"/></request>`,
			);
		});

		it('answers in JSON with "delivered": null until the delivery is known, members in the document\'s order', async () => {
			const id = await sendXml();
			const created = formatMoscowDateTime(sandbox.emails[0].acceptedAt);
			const { text } = await post(STATUS, jsonStatus(id), JSON_HEADERS);
			expect(text).toBe(
				`{"error":"","data":{"id":"${id}","creation_date":"${created}","open":"0","open_date":"${NO_TIME}",` +
					`"unsubscribe":"0","unsubscribe_date":"${NO_TIME}","spam":"0","spam_date":"${NO_TIME}",` +
					`"delivered":null,"delivered_date":"${NO_TIME}"}}`,
			);
		});

		it('reports the same email in both formats, whichever format sent it', async () => {
			const fromJson = (await postJson(EMAIL, jsonSend())).external_message_id as string;
			sandbox.advanceTime(2 * SECOND);
			const xml = await statusXml(fromJson);
			const json = await statusJson(fromJson);
			expect(xml).toEqual(json);
			expect(json.delivered).toBe('1');
		});

		it('delivers after 2 s and opens after 5 s', async () => {
			const id = await sendXml();
			const accepted = sandbox.emails[0].acceptedAt.getTime();
			sandbox.advanceTime(1_900);
			expect(await statusJson(id)).toMatchObject({ delivered: null, open: '0' });
			sandbox.advanceTime(100);
			expect(await statusXml(id)).toMatchObject({
				delivered: '1',
				delivered_date: formatMoscowDateTime(new Date(accepted + 2 * SECOND)),
				open: '0',
				open_date: NO_TIME,
			});
			expect(await statusJson(id)).toMatchObject({ delivered: '1', open: '0' });
			sandbox.advanceTime(3 * SECOND);
			expect(await statusJson(id)).toMatchObject({
				delivered: '1',
				open: '1',
				open_date: formatMoscowDateTime(new Date(accepted + 5 * SECOND)),
				spam: '0',
				unsubscribe: '0',
			});
		});

		it('never delivers to bounce…@: delivered "0" after 2 s, never opened', async () => {
			const id = await sendXml({ to: 'bounce.1@example.com' });
			sandbox.advanceTime(2 * SECOND);
			expect(await statusXml(id)).toMatchObject({ delivered: '0', delivered_date: NO_TIME, open: '0' });
			sandbox.advanceTime(DAY);
			expect(await statusJson(id)).toMatchObject({ delivered: '0', delivered_date: NO_TIME, open: '0', open_date: NO_TIME });
		});

		it('marks spam…@ as spam at 5 s, without opening', async () => {
			const id = await sendXml({ to: 'Spam-trap@example.com' });
			const accepted = sandbox.emails[0].acceptedAt.getTime();
			sandbox.advanceTime(4 * SECOND);
			expect(await statusJson(id)).toMatchObject({ delivered: '1', spam: '0' });
			sandbox.advanceTime(DAY);
			expect(await statusJson(id)).toMatchObject({
				delivered: '1',
				spam: '1',
				spam_date: formatMoscowDateTime(new Date(accepted + 5 * SECOND)),
				open: '0',
				unsubscribe: '0',
			});
		});

		it('opens unsubscribe…@ at 5 s and unsubscribes at 6 s', async () => {
			const id = await sendXml({ to: 'unsubscribe@example.com' });
			const accepted = sandbox.emails[0].acceptedAt.getTime();
			sandbox.advanceTime(5 * SECOND);
			expect(await statusXml(id)).toMatchObject({ delivered: '1', open: '1', unsubscribe: '0', unsubscribe_date: NO_TIME });
			sandbox.advanceTime(SECOND);
			expect(await statusXml(id)).toMatchObject({
				open: '1',
				unsubscribe: '1',
				unsubscribe_date: formatMoscowDateTime(new Date(accepted + 6 * SECOND)),
				spam: '0',
			});
		});

		it('never reports the delivery of silent…@, but opens it at 5 s (as the document\'s example reply)', async () => {
			const id = await sendXml({ to: 'silent@example.com' });
			sandbox.advanceTime(DAY);
			expect(await statusXml(id)).toMatchObject({ delivered: '', delivered_date: NO_TIME, open: '1' });
			expect(await statusJson(id)).toMatchObject({ delivered: null, delivered_date: NO_TIME, open: '1' });
		});

		it('accepts id_message as a JSON number and with leading zeros, answering the stored id', async () => {
			const id = await sendXml();
			expect((await statusJson(Number(id))).id).toBe(id);
			expect((await statusXml(`00${id}`)).id).toBe(id);
		});

		it('refuses an unknown, non-numeric or missing id', async () => {
			expect(xmlError(await postXml(STATUS, xmlStatus('999')))).toBe(SandboxTexts.emailNotFound);
			expect(await postJson(STATUS, jsonStatus('999'))).toEqual({ error: SandboxTexts.emailNotFound });
			expect(xmlError(await postXml(STATUS, xmlStatus('12a')))).toBe(SandboxTexts.wrongMessageId('12a'));
			expect(await postJson(STATUS, jsonStatus('-1'))).toEqual({ error: SandboxTexts.wrongMessageId('-1') });
			expect(await postJson(STATUS, jsonStatus(1.5))).toEqual({ error: SandboxTexts.wrongMessageId('1.5') });
			expect(await postJson(STATUS, jsonStatus(undefined))).toEqual({ error: SandboxTexts.noIdMessage });
			const none = `${DECLARATION}<request>${XML_SECURITY}</request>`;
			expect(xmlError(await postXml(STATUS, none))).toBe(SandboxTexts.noIdMessage);
		});

		it('refuses the send function\'s members, and sends nothing', async () => {
			const body = `${DECLARATION}<request>${XML_SECURITY}<id_message>1</id_message><from>${FROM}</from></request>`;
			expect(xmlError(await postXml(STATUS, body))).toBe(SandboxTexts.unknownRequestElement('from'));
			expect(await postJson(STATUS, jsonSend())).toEqual({ error: SandboxTexts.unknownJsonField('from') });
			expect(sandbox.emails).toHaveLength(0);
		});

		it('does not know an email after reset', async () => {
			const id = await sendXml();
			sandbox.reset();
			expect(sandbox.emails).toHaveLength(0);
			expect(xmlError(await postXml(STATUS, xmlStatus(id)))).toBe(SandboxTexts.emailNotFound);
			expect(Number(await sendXml())).toBeGreaterThan(Number(id));
		});
	});

	describe('faults', () => {
		it('rejectLogin answers in the request format, without processing', async () => {
			sandbox.failNext({ kind: 'rejectLogin', path: EMAIL, times: 2 });
			expect(await postXml(EMAIL, xmlSend())).toBe(
				`${DECLARATION}<request><error>${SandboxTexts.wrongLogin}</error></request>`,
			);
			expect(await postJson(EMAIL, jsonSend())).toEqual({ error: SandboxTexts.wrongLogin });
			expect(sandbox.emails).toHaveLength(0);
		});

		it('wrongRoot answers XML whose root is not <request>, or JSON that is not an object', async () => {
			sandbox.failNext({ kind: 'wrongRoot', times: 2 });
			expect(parseXml(await postXml(EMAIL, xmlSend())).root).toBe('response');
			expect(await postJson(EMAIL, jsonSend())).toEqual([{ error: '' }]);
			expect(sandbox.emails).toHaveLength(0);
		});

		it('malformed and http500 answer pages that are neither XML nor JSON', async () => {
			sandbox.failNext({ kind: 'malformed', path: EMAIL });
			sandbox.failNext({ kind: 'http500', path: EMAIL });
			const malformed = await post(EMAIL, jsonSend(), JSON_HEADERS);
			expect(malformed.status).toBe(200);
			expect(malformed.headers.get('content-type')).toMatch(/^text\/html/);
			expect(() => JSON.parse(malformed.text) as unknown).toThrow();
			expect((await post(EMAIL, jsonSend(), JSON_HEADERS)).status).toBe(500);
			expect(sandbox.emails).toHaveLength(0);
		});

		it('a path with ?func=status hits only the status function; the bare path hits both', async () => {
			sandbox.failNext({ kind: 'http500', path: STATUS });
			expect((await post(EMAIL, jsonSend(), JSON_HEADERS)).status).toBe(200);
			const id = sandbox.emails[0].externalMessageId;
			expect((await post(STATUS, jsonStatus(id), JSON_HEADERS)).status).toBe(500);
			expect((await post(STATUS, jsonStatus(id), JSON_HEADERS)).status).toBe(200);
			sandbox.failNext({ kind: 'http500', path: EMAIL, after: 1 });
			expect((await post(EMAIL, jsonSend(), JSON_HEADERS)).status).toBe(200);
			expect((await post(STATUS, jsonStatus(id), JSON_HEADERS)).status).toBe(500);
		});

		it('dropAfterProcessing sends the email and closes the connection without an answer', async () => {
			sandbox.failNext({ kind: 'dropAfterProcessing', path: EMAIL });
			await expect(post(EMAIL, jsonSend(), JSON_HEADERS)).rejects.toThrow();
			expect(sandbox.emails).toHaveLength(1);
			expect(sandbox.requests[0]).toMatchObject({ path: EMAIL, status: 0, responseBody: '' });
			await postJson(EMAIL, jsonSend());
			expect(sandbox.emails).toHaveLength(2);
		});

		it('slow answers normally after the delay', async () => {
			sandbox.failNext({ kind: 'slow', delayMs: 300, path: EMAIL });
			const started = Date.now();
			expect((await postJson(EMAIL, jsonSend())).error).toBe('');
			expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		});

		it('records every request with its query and answer', async () => {
			await postJson(STATUS, jsonStatus('1'));
			expect(sandbox.requests[0]).toMatchObject({
				method: 'POST',
				path: EMAIL,
				query: 'func=status',
				status: 200,
				responseBody: JSON.stringify({ error: SandboxTexts.emailNotFound }),
			});
		});
	});
});
