/**
 * The sandbox accepts, byte for byte, what public TargetSMS clients written by others send (public-clients.ts names
 * each client and the behaviour its bytes reproduce), and records what the real server would have done with it.
 * The strict rules stay: a raw line break inside data is still refused (sandbox.test.ts).
 */
import { request } from 'node:http';

import { LETTER_HTML, OTP_TEXT, type PublicClientRequest, publicClientRequests } from './public-clients';
import { TargetSmsSandbox } from './server';

/** Sends exactly these bytes with exactly this Content-Type (node:http adds only Host, Content-Length, Connection). */
function replay(url: string, fixture: PublicClientRequest): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const outgoing = request(
			`${url}${fixture.path}`,
			{ method: fixture.method, headers: { 'Content-Type': fixture.contentType, 'Content-Length': fixture.body.length } },
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			},
		);
		outgoing.on('error', reject);
		outgoing.end(fixture.body);
	});
}

describe('requests of public TargetSMS clients, replayed byte for byte', () => {
	const sandbox = new TargetSmsSandbox();
	let url: string;
	let fixtures: PublicClientRequest[];
	const replies = new Map<string, string>();

	beforeAll(async () => {
		url = await sandbox.start();
		const smsIds = [sandbox.recordExternalSms({ phone: '79001234561', sender: 'MyShop', text: 'Заказ собран' })];
		fixtures = publicClientRequests({ emailFrom: sandbox.emailFrom, smsIds });
		for (const fixture of fixtures) {
			const { status, body } = await replay(url, fixture);
			expect(status).toBe(200);
			replies.set(`${fixture.client} — ${fixture.behaviour}`, body);
		}
	});

	afterAll(async () => {
		await sandbox.stop();
	});

	test('every fixture names its client and behaviour, and its bytes are what the sandbox received', () => {
		expect(fixtures.length).toBeGreaterThanOrEqual(6);
		for (const [index, fixture] of fixtures.entries()) {
			expect(fixture.client).not.toBe('');
			expect(fixture.behaviour).not.toBe('');
			expect(Buffer.compare(Buffer.from(sandbox.requests[index].body, 'utf8'), fixture.body)).toBe(0);
			expect(sandbox.requests[index].headers['content-type']).toBe(fixture.contentType);
		}
	});

	test('none is refused', () => {
		for (const [label, body] of replies) {
			expect({ label, refused: /<error>[^<]|"error":"[^"]/.test(body) }).toEqual({ label, refused: false });
		}
	});

	test("OTP: the provider's class with a digits-only phone and 6 digits, and a +phone with 9 digits", () => {
		expect(sandbox.otps.map(({ phone, sender, code }) => ({ phone, sender, length: code.length }))).toEqual([
			{ phone: '79001234567', sender: 'MyShop', length: 6 },
			{ phone: '79001234568', sender: 'MyShop', length: 9 },
		]);
		for (const otp of sandbox.otps) expect(otp.text).toBe(OTP_TEXT.replace('{код}', otp.code));
	});

	test('state.php: the id of the DOMDocument request is answered', () => {
		const reply = [...replies.entries()].find(([label]) => label.startsWith('agoalofalife'))?.[1] ?? '';
		expect(reply).toMatch(/<state id_sms="\d+" time="">send<\/state>/);
	});

	test("message.php: the document's PHP example is sent", () => {
		expect(sandbox.messages.map(({ phone, senderSms, textSms, clientIdMessage }) => ({ phone, senderSms, textSms, clientIdMessage }))).toEqual([
			{ phone: '79001234561', senderSms: 'MyShop', textSms: 'Заказ №1042 собран', clientIdMessage: '1042' },
		]);
	});

	test('email: letters wrapped at 76 columns decode to the letter, in XML and JSON', () => {
		expect(sandbox.emails.map(({ format, body, to }) => ({ format, body, to }))).toEqual([
			{ format: 'xml', body: LETTER_HTML, to: 'anna@example.ru' },
			{ format: 'json', body: LETTER_HTML, to: 'anna@example.ru' },
		]);
	});
});
