import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

import { XMLParser } from 'fast-xml-parser';

import {
	base64Of,
	base64UrlOf,
	formUrlEncode,
	phpJsonEncode,
	wrapBase64,
	xmlEscape,
} from './encodings';
import { ENTITY_BOMB_EXPANSION } from './fault-documents';
import { type Fault, SandboxTexts, TargetSmsSandbox } from './server';
import { parseXmlDocument } from './xml/document';

const MESSAGE = '/xml/message.php';
const STATE = '/xml/state_message.php';
const EMAIL = '/clients/api.php';
const OTP = '/password_generation/api.php';
const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const EMPTY_RESPONSE_BODY = `${DECLARATION}<response></response>`;
const MB = 1024 * 1024;

/** A password with something for every encoding to do: space, `/`, `&`, `<`, `"`, `+`, non-ASCII. */
const TRICKY_PASSWORD = 'p@ss wörd/&<"+1';

function smsSecurity(password: string): string {
	return `<security><login value="demo"/><password value="${xmlEscape(password)}"/></security>`;
}

function smsRequest(password: string, ...inner: string[]): string {
	return `${DECLARATION}<request>${smsSecurity(password)}${inner.join('')}</request>`;
}

function smsMessage(phone: string, clientId = ''): string {
	return `<message><send_sms>1</send_sms><sender_sms>Shop</sender_sms><text_sms>Hello</text_sms><abonent phone="${phone}" client_id_message="${clientId}"/></message>`;
}

function xmlEmail(password: string): string {
	return `${DECLARATION}<request><security><login>demo</login><password>${xmlEscape(password)}</password></security><from>shop@example.com</from><email to="info@targetsms.ru" subject="test" id_message="2"><letter>dGVzdA==</letter></email></request>`;
}

function jsonEmail(password: string): string {
	return JSON.stringify({
		security: { login: 'demo', password },
		from: 'shop@example.com',
		email: { letter: 'dGVzdA==', id_message: '2', to: 'info@targetsms.ru', subject: 'test' },
	});
}

function otpRequest(password: string): string {
	return `${DECLARATION}<request><security><login>demo</login><password>${xmlEscape(password)}</password></security><phone>+79001234567</phone><sender>target</sender></request>`;
}

const replyParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	processEntities: true,
});

interface RawReply {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
	text: string;
	/** Every 'data' chunk's size, in arrival order. */
	chunks: number[];
}

interface RawOptions {
	method?: string;
	headers?: Record<string, string>;
	/** Destroys the connection once this many body bytes have arrived. */
	abortAfterBytes?: number;
}

/** One request over a fresh connection (no keep-alive agent), read with Node's http module. */
function raw(url: string, path: string, body: string, options: RawOptions = {}): Promise<RawReply> {
	return new Promise((resolve, reject) => {
		const outgoing = httpRequest(
			`${url}${path}`,
			{ method: options.method ?? 'POST', headers: options.headers ?? XML_HEADERS, agent: false },
			(incoming) => {
				const parts: Buffer[] = [];
				const chunks: number[] = [];
				let received = 0;
				const settle = (): void => {
					const all = Buffer.concat(parts);
					resolve({
						status: incoming.statusCode ?? 0,
						headers: incoming.headers,
						body: all,
						text: all.toString('utf8'),
						chunks,
					});
				};
				incoming.on('data', (chunk: Buffer) => {
					parts.push(chunk);
					chunks.push(chunk.length);
					received += chunk.length;
					if (options.abortAfterBytes !== undefined && received >= options.abortAfterBytes) {
						outgoing.destroy();
						settle();
					}
				});
				incoming.on('end', settle);
				incoming.on('error', () => settle());
			},
		);
		outgoing.on('error', (error) => {
			if (!outgoing.destroyed || options.abortAfterBytes === undefined) {
				reject(error);
			}
		});
		outgoing.end(body);
	});
}

/** The error code a request fails with, or 'none' when it got an answer. */
async function failureCode(url: string): Promise<string> {
	try {
		await raw(url, STATE, smsRequest(TargetSmsSandbox.DEFAULT_PASSWORD));
		return 'none';
	} catch (error) {
		return (error as NodeJS.ErrnoException).code ?? String(error);
	}
}

function activeTimers(): number {
	return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

function parseXml(text: string): Record<string, unknown> {
	return replyParser.parse(text) as Record<string, unknown>;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('TargetSmsSandbox faults for transport hardening', () => {
	const sandbox = new TargetSmsSandbox();
	const PASSWORD = TargetSmsSandbox.DEFAULT_PASSWORD;
	let url: string;

	beforeAll(async () => {
		url = await sandbox.start();
	});

	afterAll(async () => {
		await sandbox.stop();
	});

	beforeEach(async () => {
		await sandbox.whenAccepting();
		sandbox.reset();
	});

	describe('targets', () => {
		it('times: Infinity never runs out, until reset', async () => {
			sandbox.failNext({ kind: 'http', status: 503, path: STATE, times: Infinity });
			for (let attempt = 0; attempt < 5; attempt += 1) {
				expect((await raw(url, STATE, smsRequest(PASSWORD))).status).toBe(503);
			}
			expect((await raw(url, MESSAGE, smsRequest(PASSWORD))).status).toBe(200);
			sandbox.reset();
			expect((await raw(url, STATE, smsRequest(PASSWORD))).status).toBe(200);
		});

		it('refuses times of 0, negative or not whole, other than Infinity', () => {
			for (const times of [0, -1, 1.5, NaN, -Infinity]) {
				expect(() => sandbox.failNext({ kind: 'http500', times })).toThrow(RangeError);
			}
			expect(() => sandbox.failNext({ kind: 'http500', times: Infinity })).not.toThrow();
		});

		it('bodyIncludes hits only requests whose body contains the text; after counts only those', async () => {
			sandbox.failNext({ kind: 'http', status: 502, bodyIncludes: '79001234562', after: 1 });
			const statuses: number[] = [];
			for (const phone of ['79001234561', '79001234562', '79001234561', '79001234562', '79001234562']) {
				statuses.push((await raw(url, MESSAGE, smsRequest(PASSWORD, smsMessage(phone)))).status);
			}
			expect(statuses).toEqual([200, 200, 200, 502, 200]);
			expect(sandbox.messages.map((message) => message.phone)).toEqual([
				'79001234561',
				'79001234562',
				'79001234561',
				'79001234562',
			]);
		});

		it('bodyIncludes is combined with path, and must be a non-empty string', async () => {
			sandbox.failNext({ kind: 'http500', path: STATE, bodyIncludes: 'demo' });
			expect((await raw(url, MESSAGE, smsRequest(PASSWORD))).status).toBe(200);
			expect((await raw(url, STATE, smsRequest(PASSWORD))).status).toBe(500);
			expect(() => sandbox.failNext({ kind: 'http500', bodyIncludes: '' })).toThrow(RangeError);
		});

		it('refuses invalid settings of the new kinds', () => {
			const invalid: Fault[] = [
				{ kind: 'http', status: 99 },
				{ kind: 'http', status: 600 },
				{ kind: 'http', status: 199 },
				{ kind: 'redirect', status: 304 as 301, location: '/x' },
				{ kind: 'redirect', status: 302, location: '' },
				{ kind: 'doctype', variant: 'other' as 'plainDoctype' },
				{ kind: 'echo', status: 42 },
				{ kind: 'trickle', intervalMs: -1 },
				{ kind: 'trickle', intervalMs: 10, chunkBytes: 0 },
				{ kind: 'trickle', intervalMs: 10, chunkBytes: 1.5 },
				{ kind: 'oversize', bytes: -1, declareLength: true },
				{ kind: 'oversize', bytes: 1.5, declareLength: true },
			];
			for (const fault of invalid) {
				expect(() => sandbox.failNext(fault)).toThrow(RangeError);
			}
		});
	});

	describe('http', () => {
		it('answers the status with an HTML page and Retry-After, without processing', async () => {
			sandbox.failNext({ kind: 'http', status: 429, retryAfter: '7' });
			const reply = await raw(url, MESSAGE, smsRequest(PASSWORD, smsMessage('79001234561')));
			expect(reply.status).toBe(429);
			expect(reply.headers['retry-after']).toBe('7');
			expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
			expect(reply.text).toContain('429 Too Many Requests');
			expect(sandbox.messages).toHaveLength(0);
			expect(sandbox.requests[0]).toMatchObject({ status: 429 });
		});

		it.each([500, 502, 503, 504])('answers %i, with a custom body if given', async (status) => {
			sandbox.failNext({ kind: 'http', status, body: 'upstream trouble' });
			const reply = await raw(url, STATE, smsRequest(PASSWORD));
			expect(reply).toMatchObject({ status, text: 'upstream trouble' });
			expect(reply.headers['retry-after']).toBeUndefined();
		});

		it('afterProcessing sends the messages, then answers the status instead', async () => {
			sandbox.failNext({ kind: 'http', status: 502, afterProcessing: true });
			const reply = await raw(url, MESSAGE, smsRequest(PASSWORD, smsMessage('79001234561', '42')));
			expect(reply.status).toBe(502);
			expect(reply.text).toContain('502 Bad Gateway');
			expect(sandbox.messages).toHaveLength(1);
			expect(sandbox.requests[0]).toMatchObject({ status: 502 });
		});

		it('afterProcessing records the email and sends the OTP', async () => {
			sandbox.failNext({ kind: 'http', status: 504, afterProcessing: true, times: 3 });
			expect((await raw(url, EMAIL, jsonEmail(PASSWORD), { headers: JSON_HEADERS })).status).toBe(504);
			expect((await raw(url, EMAIL, xmlEmail(PASSWORD))).status).toBe(504);
			expect((await raw(url, OTP, otpRequest(PASSWORD))).status).toBe(504);
			expect(sandbox.emails.map((email) => email.format)).toEqual(['json', 'xml']);
			expect(sandbox.otps).toHaveLength(1);
		});

		it('http500 keeps working as before', async () => {
			sandbox.failNext({ kind: 'http500' });
			const reply = await raw(url, STATE, smsRequest(PASSWORD));
			expect(reply.status).toBe(500);
			expect(reply.text).toContain('500 Internal Server Error');
		});
	});

	describe('redirect', () => {
		it.each([301, 302, 303, 307, 308] as const)('answers %i with Location, without processing', async (status) => {
			sandbox.failNext({ kind: 'redirect', status, location: 'https://elsewhere.example/xml/message.php' });
			const reply = await raw(url, MESSAGE, smsRequest(PASSWORD, smsMessage('79001234561')));
			expect(reply.status).toBe(status);
			expect(reply.headers.location).toBe('https://elsewhere.example/xml/message.php');
			expect(sandbox.messages).toHaveLength(0);
		});
	});

	describe('doctype', () => {
		it('entityBomb: a small document whose entities would expand to hundreds of millions of characters', async () => {
			sandbox.failNext({ kind: 'doctype', variant: 'entityBomb' });
			const reply = await raw(url, MESSAGE, smsRequest(PASSWORD, smsMessage('79001234561')));
			expect(reply.status).toBe(200);
			expect(reply.headers['content-type']).toBe('text/xml; charset=utf-8');
			expect(reply.text.startsWith(`${DECLARATION}<!DOCTYPE response [<!ENTITY `)).toBe(true);
			expect(reply.body.length).toBeLessThanOrEqual(70 * 1024);
			expect(reply.text).toMatch(/<response><error>&e\d+;<\/error><\/response>$/);
			// Expand by length only: each entity's length is the sum of its parts.
			const lengths = new Map<string, number>();
			for (const [, name, value] of reply.text.matchAll(/<!ENTITY (\w+) "([^"]*)">/g)) {
				const references = [...value.matchAll(/&(\w+);/g)];
				const literal = value.replace(/&\w+;/g, '').length;
				lengths.set(name, literal + references.reduce((sum, [, ref]) => sum + (lengths.get(ref) ?? NaN), 0));
			}
			const top = /<error>&(\w+);/.exec(reply.text)?.[1] ?? '';
			expect(lengths.get(top)).toBe(ENTITY_BOMB_EXPANSION);
			expect(ENTITY_BOMB_EXPANSION).toBeGreaterThanOrEqual(100_000_000);
			expect(() => parseXmlDocument(reply.text)).toThrow();
			expect(sandbox.messages).toHaveLength(0);
		});

		it('externalEntity: an entity naming file:///etc/passwd, used in the text', async () => {
			sandbox.failNext({ kind: 'doctype', variant: 'externalEntity' });
			const reply = await raw(url, STATE, smsRequest(PASSWORD));
			expect(reply.text).toBe(
				`${DECLARATION}<!DOCTYPE response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><response><error>&xxe;</error></response>`,
			);
		});

		it('plainDoctype: a harmless DOCTYPE on a normal-looking reply, in the endpoint root, XML also for JSON', async () => {
			sandbox.failNext({ kind: 'doctype', variant: 'plainDoctype', times: 3 });
			expect((await raw(url, STATE, smsRequest(PASSWORD))).text).toBe(
				`${DECLARATION}<!DOCTYPE response><response></response>`,
			);
			const email = await raw(url, EMAIL, jsonEmail(PASSWORD), { headers: JSON_HEADERS });
			expect(email.headers['content-type']).toBe('text/xml; charset=utf-8');
			expect(email.text).toBe(`${DECLARATION}<!DOCTYPE request><request><error/></request>`);
			expect((await raw(url, OTP, otpRequest(PASSWORD))).text).toBe(
				`${DECLARATION}<!DOCTYPE response><response></response>`,
			);
			expect(sandbox.emails).toHaveLength(0);
			expect(sandbox.otps).toHaveLength(0);
		});

		it('entityBomb for the email API uses its <request> root', async () => {
			sandbox.failNext({ kind: 'doctype', variant: 'entityBomb' });
			const reply = await raw(url, EMAIL, xmlEmail(PASSWORD));
			expect(reply.text.startsWith(`${DECLARATION}<!DOCTYPE request [`)).toBe(true);
			expect(reply.text.endsWith('</error></request>')).toBe(true);
		});
	});

	describe('echo', () => {
		const tricky = new TargetSmsSandbox({ password: TRICKY_PASSWORD });
		let trickyUrl: string;

		beforeAll(async () => {
			trickyUrl = await tricky.start();
		});

		afterAll(async () => {
			await tricky.stop();
		});

		beforeEach(() => {
			tricky.reset();
		});

		function echoedText(prefix: string): string {
			return SandboxTexts.echoedCredentials(
				prefix,
				'demo',
				formUrlEncode(TRICKY_PASSWORD),
				phpJsonEncode(TRICKY_PASSWORD),
				base64Of(TRICKY_PASSWORD),
			);
		}

		it('by default answers 500 with an HTML page quoting the body in every encoding, not processed', async () => {
			tricky.failNext({ kind: 'echo' });
			const body = smsRequest(TRICKY_PASSWORD, smsMessage('79001234561'));
			const reply = await raw(trickyUrl, MESSAGE, body);
			expect(reply.status).toBe(500);
			expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
			for (const form of [
				body,
				xmlEscape(body),
				JSON.stringify(body),
				phpJsonEncode(body),
				encodeURIComponent(body),
				formUrlEncode(body),
				wrapBase64(base64Of(body)),
				wrapBase64(base64UrlOf(body)),
			]) {
				expect(reply.text).toContain(form);
			}
			expect(reply.text).toContain('\r\n');
			expect(phpJsonEncode('ö/')).toBe('"\\u00f6\\/"');
			expect(formUrlEncode('a b+')).toBe('a+b%2B');
			expect(tricky.messages).toHaveLength(0);
		});

		it('status 200 in the SMS style: the refusal quotes the login and password read', async () => {
			tricky.failNext({ kind: 'echo', status: 200 });
			const reply = await raw(trickyUrl, MESSAGE, smsRequest(TRICKY_PASSWORD, smsMessage('79001234561')));
			expect(reply.status).toBe(200);
			const document = parseXml(reply.text) as { response: { error: string } };
			expect(document.response.error).toBe(echoedText(SandboxTexts.wrongLogin));
			expect(document.response.error).toContain('login=demo&password=p%40ss+w%C3%B6rd%2F%26%3C%22%2B1');
			expect(tricky.messages).toHaveLength(0);
		});

		it('status 200 in the email XML and JSON styles and the OTP style', async () => {
			tricky.failNext({ kind: 'echo', status: 200, times: 3 });
			const xml = parseXml((await raw(trickyUrl, EMAIL, xmlEmail(TRICKY_PASSWORD))).text) as {
				request: { error: string };
			};
			expect(xml.request.error).toBe(echoedText(SandboxTexts.wrongLogin));
			const json = await raw(trickyUrl, EMAIL, jsonEmail(TRICKY_PASSWORD), { headers: JSON_HEADERS });
			expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(JSON.parse(json.text)).toEqual({ error: echoedText(SandboxTexts.wrongLogin) });
			const otp = parseXml((await raw(trickyUrl, OTP, otpRequest(TRICKY_PASSWORD))).text) as {
				response: { error: string };
			};
			expect(otp.response.error).toBe(echoedText(SandboxTexts.otpWrongLogin));
		});

		it('status 200 reads the password by pattern from a body the readers refuse, else echoes the body', async () => {
			tricky.failNext({ kind: 'echo', status: 200, times: 2 });
			const broken = `<request><security><login value="demo"/><password value="${xmlEscape(TRICKY_PASSWORD)}"/></security><message>`;
			const first = parseXml((await raw(trickyUrl, MESSAGE, broken)).text) as { response: { error: string } };
			expect(first.response.error).toBe(echoedText(SandboxTexts.wrongLogin));
			const second = parseXml((await raw(trickyUrl, MESSAGE, 'no credentials here')).text) as {
				response: { error: string };
			};
			expect(second.response.error).toBe(
				SandboxTexts.echoedBody(
					SandboxTexts.wrongLogin,
					formUrlEncode('no credentials here'),
					phpJsonEncode('no credentials here'),
					base64Of('no credentials here'),
				),
			);
		});

		it('afterProcessing sends first, then echoes', async () => {
			tricky.failNext({ kind: 'echo', afterProcessing: true, times: 2 });
			const sms = await raw(trickyUrl, MESSAGE, smsRequest(TRICKY_PASSWORD, smsMessage('79001234561')));
			expect(sms.status).toBe(500);
			expect(tricky.messages).toHaveLength(1);
			const email = await raw(trickyUrl, EMAIL, jsonEmail(TRICKY_PASSWORD), { headers: JSON_HEADERS });
			expect(email.text).toContain(phpJsonEncode(jsonEmail(TRICKY_PASSWORD)));
			expect(tricky.emails).toHaveLength(1);
		});
	});

	describe('trickle', () => {
		it('sends status and full Content-Length at once, then the body in several chunks', async () => {
			sandbox.failNext({ kind: 'trickle', intervalMs: 20, chunkBytes: 8 });
			const started = Date.now();
			const reply = await raw(url, STATE, smsRequest(PASSWORD));
			const elapsed = Date.now() - started;
			expect(reply.status).toBe(200);
			expect(reply.text).toBe(EMPTY_RESPONSE_BODY);
			expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(EMPTY_RESPONSE_BODY)));
			expect(reply.chunks.length).toBeGreaterThanOrEqual(4);
			expect(elapsed).toBeGreaterThanOrEqual(100);
			expect(sandbox.requests[0]).toMatchObject({
				status: 200,
				responseBody: EMPTY_RESPONSE_BODY,
				bytesWritten: Buffer.byteLength(EMPTY_RESPONSE_BODY),
			});
		});

		it('processes the request normally, one byte at a time by default', async () => {
			sandbox.failNext({ kind: 'trickle', intervalMs: 1 });
			const reply = await raw(url, MESSAGE, smsRequest(PASSWORD, smsMessage('79001234561')));
			expect(sandbox.messages).toHaveLength(1);
			expect(reply.text).toContain(`id_message="${sandbox.messages[0].idMessage}"`);
			expect(reply.chunks.length).toBeGreaterThan(10);
		});

		it('stops when the client goes away', async () => {
			sandbox.failNext({ kind: 'trickle', intervalMs: 10, chunkBytes: 4 });
			await raw(url, STATE, smsRequest(PASSWORD), { abortAfterBytes: 8 });
			await sandbox.whenRepliesWritten();
			const written = sandbox.requests[0].bytesWritten ?? 0;
			expect(written).toBeGreaterThanOrEqual(8);
			expect(written).toBeLessThan(Buffer.byteLength(EMPTY_RESPONSE_BODY));
			await sleep(50);
			expect(sandbox.requests[0].bytesWritten).toBe(written);
		});

		it('leaves no timer after stop()', async () => {
			const own = new TargetSmsSandbox();
			const ownUrl = await own.start();
			own.failNext({ kind: 'trickle', intervalMs: 60_000 });
			const timersBefore = activeTimers();
			const pending = raw(ownUrl, STATE, smsRequest(PASSWORD)).catch(() => undefined);
			while (own.requests[0]?.bytesWritten === undefined) {
				await sleep(5);
			}
			expect(activeTimers()).toBeGreaterThan(timersBefore);
			await own.stop();
			await pending;
			// The trickle's 60 s timer must be gone; the client's own short-lived timers may take a moment to end on a
			// loaded machine, so wait (bounded) for the count to come back before comparing.
			for (let waited = 0; activeTimers() > timersBefore && waited < 2_000; waited += 20) await sleep(20);
			expect(activeTimers()).toBe(timersBefore);
		});
	});

	describe('oversize', () => {
		it('streams exactly the given bytes without Content-Length, in the endpoint style', async () => {
			sandbox.failNext({ kind: 'oversize', bytes: 300_000, declareLength: false });
			const reply = await raw(url, STATE, smsRequest(PASSWORD));
			expect(reply.status).toBe(200);
			expect(reply.headers['content-length']).toBeUndefined();
			expect(reply.body.length).toBe(300_000);
			expect(reply.text.startsWith(`${DECLARATION}<response><error>xxx`)).toBe(true);
			expect(reply.text.endsWith('xxx</error></response>')).toBe(true);
			expect(sandbox.requests[0]).toMatchObject({ status: 200, responseBody: '', bytesWritten: 300_000 });
		});

		it('writes the email JSON style and cuts a document smaller than its frame', async () => {
			sandbox.failNext({ kind: 'oversize', bytes: 100, declareLength: true });
			sandbox.failNext({ kind: 'oversize', bytes: 10, declareLength: true });
			const json = await raw(url, EMAIL, jsonEmail(PASSWORD), { headers: JSON_HEADERS });
			expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(json.headers['content-length']).toBe('100');
			expect(json.text).toBe(`{"error":"${'x'.repeat(88)}"}`);
			expect((await raw(url, STATE, smsRequest(PASSWORD))).text).toBe('<?xml vers');
			expect(sandbox.emails).toHaveLength(0);
		});

		it.each([true, false])(
			'33 MB (declareLength %s): stops writing soon after the client stops reading at 1 MB',
			async (declareLength) => {
				const bytes = 33 * MB;
				sandbox.failNext({ kind: 'oversize', bytes, declareLength });
				const reply = await raw(url, STATE, smsRequest(PASSWORD), { abortAfterBytes: MB });
				expect(reply.headers['content-length']).toBe(declareLength ? String(bytes) : undefined);
				await sandbox.whenRepliesWritten();
				const written = sandbox.requests[0].bytesWritten ?? 0;
				expect(written).toBeGreaterThanOrEqual(MB);
				expect(written).toBeLessThan(16 * MB);
			},
		);
	});

	describe('repeated client_id_message', () => {
		async function sendTwice(phone = '79001234561'): Promise<{ first: string; second: string }> {
			const first = (await raw(url, MESSAGE, smsRequest(PASSWORD, smsMessage(phone, '77')))).text;
			const second = (await raw(url, MESSAGE, smsRequest(PASSWORD, smsMessage('79001234562', '077')))).text;
			return { first, second };
		}

		function row(text: string): Record<string, string> {
			const document = parseXml(text) as { response: { message: { information: Record<string, string> } } };
			return document.response.message.information;
		}

		it('originalIds (default): the original row again', async () => {
			const { first, second } = await sendTwice();
			expect(second).toBe(first);
			expect(sandbox.messages).toHaveLength(1);
		});

		it('alreadySentText: the text with the client_id_message and phone as given, no ids', async () => {
			sandbox.setRepeatedClientIdAnswer('alreadySentText');
			const { second } = await sendTwice();
			expect(second).toBe(
				`${DECLARATION}<response><message><information client_id_message="077" phone="79001234562">Данное сообщение уже было отправлено.</information></message></response>`,
			);
			expect(SandboxTexts.alreadySent).toBe('Данное сообщение уже было отправлено.');
			expect(sandbox.messages).toHaveLength(1);
		});

		it('alreadySentTextWithIds: the original ids with the text', async () => {
			sandbox.setRepeatedClientIdAnswer('alreadySentTextWithIds');
			const { first, second } = await sendTwice();
			expect(row(second)).toEqual({ ...row(first), '#text': SandboxTexts.alreadySent });
			expect(sandbox.messages).toHaveLength(1);
		});

		it('reset() restores the default; unknown modes are refused', async () => {
			sandbox.setRepeatedClientIdAnswer('alreadySentText');
			sandbox.reset();
			const { first, second } = await sendTwice();
			expect(second).toBe(first);
			expect(() => sandbox.setRepeatedClientIdAnswer('other' as 'originalIds')).toThrow(RangeError);
		});
	});

	describe('refuseConnections', () => {
		it('refuses connections, logs nothing for them, then accepts again on the same port', async () => {
			await sandbox.refuseConnections(300);
			expect(await failureCode(url)).toBe('ECONNREFUSED');
			expect(sandbox.requests).toHaveLength(0);
			await sandbox.whenAccepting();
			expect(sandbox.url).toBe(url);
			expect(await failureCode(url)).toBe('none');
			expect(sandbox.requests).toHaveLength(1);
		});

		it('destroys open connections, including a request being answered', async () => {
			sandbox.failNext({ kind: 'slow', delayMs: 5_000 });
			const pending = failureCode(url);
			while (sandbox.requests.length === 0) {
				await sleep(5);
			}
			await sandbox.refuseConnections(50);
			expect(await pending).toBe('ECONNRESET');
			await sandbox.whenAccepting();
			expect(await failureCode(url)).toBe('none');
		});

		it('refuses a second refusal and bad durations; whenAccepting resolves at once when accepting', async () => {
			await expect(sandbox.whenAccepting()).resolves.toBeUndefined();
			await expect(sandbox.refuseConnections(-1)).rejects.toThrow(RangeError);
			await sandbox.refuseConnections(50);
			await expect(sandbox.refuseConnections(50)).rejects.toThrow(/already/);
			await sandbox.whenAccepting();
		});

		it('stop() during a refusal leaves no timer and settles whenAccepting', async () => {
			const own = new TargetSmsSandbox();
			const ownUrl = await own.start();
			const timersBefore = activeTimers();
			await own.refuseConnections(60_000);
			expect(activeTimers()).toBeGreaterThan(timersBefore);
			const accepting = own.whenAccepting();
			await own.stop();
			await accepting;
			expect(activeTimers()).toBe(timersBefore);
			expect(await failureCode(ownUrl)).toBe('ECONNREFUSED');
		});
	});
});
