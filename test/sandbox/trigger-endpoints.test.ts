import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { formatMoscowDateTime } from './moscow-time';
import { PUSH_ATTEMPTS, TargetSmsSandbox } from './server';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const SECURITY = '<security><login value="demo"/><password value="demo1234"/></security>';
const XML = { 'Content-Type': 'text/xml; charset=utf-8' };

async function post(url: string, body: string, headers: Record<string, string> = XML): Promise<{ status: number; body: string }> {
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, body: await response.text() };
}

function request(inner: string): string {
	return `${DECLARATION}<request>${SECURITY}${inner}</request>`;
}

function smsTo(phone: string): string {
	return request(
		`<message><send_sms>1</send_sms><sender_sms>Shop</sender_sms><text_sms>Hello</text_sms><abonent phone="${phone}"/></message>`,
	);
}

interface Receiver {
	url: string;
	bodies: string[];
	contentTypes: string[];
	answer: (body: string) => { status: number; body: string };
	close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
	const receiver: Partial<Receiver> & { bodies: string[]; contentTypes: string[] } = { bodies: [], contentTypes: [] };
	receiver.answer = (body) => ({
		status: 200,
		body: `<response>${[...body.matchAll(/id_sms="(\d+)"/g)].map((match) => `<id_sms>${match[1]}</id_sms>`).join('')}</response>`,
	});
	const server: Server = createServer((incoming, outgoing) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			receiver.bodies.push(body);
			receiver.contentTypes.push(String(incoming.headers['content-type']));
			const answer = (receiver.answer as Receiver['answer'])(body);
			outgoing.writeHead(answer.status, { 'Content-Type': 'text/xml' });
			outgoing.end(answer.body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
	return receiver as Receiver;
}

describe('get_state.php, incoming.php and delivery-report pushes', () => {
	const sandbox = new TargetSmsSandbox();
	let url = '';
	let receiver: Receiver;

	beforeAll(async () => {
		url = await sandbox.start();
		receiver = await startReceiver();
	});
	afterAll(async () => {
		await sandbox.stop();
		await receiver.close();
	});
	beforeEach(() => {
		sandbox.reset();
		sandbox.configurePushes({ retryDelayMs: 20 });
		receiver.bodies.length = 0;
		receiver.contentTypes.length = 0;
		receiver.answer = (body) => ({
			status: 200,
			body: `<response>${[...body.matchAll(/id_sms="(\d+)"/g)].map((match) => `<id_sms>${match[1]}</id_sms>`).join('')}</response>`,
		});
	});

	test('get_state.php reads and sets the one URL', async () => {
		const get = request('<get_state type="get"/>');
		expect((await post(`${url}/xml/get_state.php`, get)).body).toBe(`${DECLARATION}<response><get_state></get_state></response>`);
		const set = await post(`${url}/xml/get_state.php`, request('<get_state type="set">https://n8n.example/webhook/abc</get_state>'));
		expect(set.body).toBe(`${DECLARATION}<response><get_state>https://n8n.example/webhook/abc</get_state></response>`);
		expect(sandbox.deliveryReportUrl).toBe('https://n8n.example/webhook/abc');
		expect((await post(`${url}/xml/get_state.php`, get)).body).toContain('https://n8n.example/webhook/abc');
		await post(`${url}/xml/get_state.php`, request('<get_state type="set"></get_state>'));
		expect(sandbox.deliveryReportUrl).toBe('');
	});

	test('get_state.php refuses another type, a URL that is not http(s) and a wrong login', async () => {
		expect((await post(`${url}/xml/get_state.php`, request('<get_state type="put"/>'))).body).toContain('<error>');
		expect((await post(`${url}/xml/get_state.php`, request('<get_state type="set">ftp://x</get_state>'))).body).toContain('<error>');
		const wrong = `${DECLARATION}<request><security><login value="demo"/><password value="x"/></security><get_state type="get"/></request>`;
		expect((await post(`${url}/xml/get_state.php`, wrong)).body).toContain('Неправильный логин или пароль');
		expect(sandbox.deliveryReportUrl).toBe('');
	});

	test('incoming.php answers the SMS received strictly between start and end', async () => {
		const first = sandbox.injectIncomingSms({ from: '79001234567', text: 'ДА', prefix: 'ДА' });
		sandbox.advanceTime(2_000);
		const second = sandbox.injectIncomingSms({ from: '79001234568', text: 'Нет & <нет>', to: '79990001122' });
		const before = formatMoscowDateTime(new Date(first.receivedAt.getTime() - 1_000));
		const all = await post(`${url}/xml/incoming.php`, request(`<time start="${before}"/>`));
		expect(all.body).toBe(
			`${DECLARATION}<response>` +
				`<sms id_sms="${first.idSms}" date_receive="${formatMoscowDateTime(first.receivedAt)}" originator="79001234567" prefix="ДА" phone="3443">ДА</sms>` +
				`<sms id_sms="${second.idSms}" date_receive="${formatMoscowDateTime(second.receivedAt)}" originator="79001234568" prefix="" phone="79990001122">Нет &amp; &lt;нет&gt;</sms>` +
				'</response>',
		);
		const exclusive = await post(
			`${url}/xml/incoming.php`,
			request(`<time start="${formatMoscowDateTime(first.receivedAt)}" end="${formatMoscowDateTime(second.receivedAt)}"/>`),
		);
		expect(exclusive.body).toBe(`${DECLARATION}<response></response>`);
		expect((await post(`${url}/xml/incoming.php`, request('<time start="2026-13-01 00:00:00"/>'))).body).toContain('<error>');
		expect((await post(`${url}/xml/incoming.php`, request(''))).body).toContain('<error>');
	});

	test('the control route injects an incoming SMS', async () => {
		const answer = await post(`${url}/sandbox/incoming`, JSON.stringify({ from: '79001234567', text: 'ДА' }), {
			'Content-Type': 'application/json',
		});
		expect(answer.status).toBe(200);
		expect(sandbox.incomingSms).toMatchObject([{ from: '79001234567', text: 'ДА', to: '3443' }]);
		expect((await post(`${url}/sandbox/incoming`, '{"from":"12"}')).status).toBe(400);
	});

	test('a state change is pushed to the URL and confirmed ids are not pushed again', async () => {
		sandbox.deliveryReportUrl = receiver.url;
		await post(`${url}/xml/message.php`, smsTo('79001234561'));
		await post(`${url}/xml/message.php`, smsTo('79001234568'));
		const [delivered, failed] = sandbox.messages;
		sandbox.advanceTime(2_500);
		await sandbox.whenPushesSettled();
		expect(receiver.bodies).toHaveLength(1);
		expect(receiver.contentTypes).toEqual(['application/x-www-form-urlencoded']);
		const time = formatMoscowDateTime(new Date(delivered.acceptedAt.getTime() + 2_000));
		expect(receiver.bodies[0]).toContain(`<state id_sms="${delivered.idSms}" time="${time}">deliver</state>`);
		expect(receiver.bodies[0]).toContain(`<state id_sms="${failed.idSms}"`);
		expect(receiver.bodies[0]).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><request><state /);
		expect(sandbox.deliveryReports.map(({ status, confirmed, attempts }) => ({ status, confirmed, attempts }))).toEqual([
			{ status: 'deliver', confirmed: true, attempts: 1 },
			{ status: 'not_deliver', confirmed: true, attempts: 1 },
		]);
		sandbox.advanceTime(60_000);
		await sandbox.whenPushesSettled();
		expect(receiver.bodies).toHaveLength(1);
	});

	test(`an id the answer does not name is pushed again, ${PUSH_ATTEMPTS} attempts in all`, async () => {
		sandbox.deliveryReportUrl = receiver.url;
		await post(`${url}/xml/message.php`, smsTo('79001234561'));
		await post(`${url}/xml/message.php`, smsTo('79001234562'));
		const [ignored, confirmed] = sandbox.messages;
		receiver.answer = () => ({ status: 200, body: `<response><id_sms>${confirmed.idSms}</id_sms></response>` });
		sandbox.advanceTime(2_500);
		await sandbox.whenPushesSettled();
		expect(receiver.bodies).toHaveLength(PUSH_ATTEMPTS);
		expect(receiver.bodies.slice(1).every((body) => !body.includes(`id_sms="${confirmed.idSms}"`))).toBe(true);
		expect(receiver.bodies.every((body) => body.includes(`id_sms="${ignored.idSms}"`))).toBe(true);
		expect(sandbox.deliveryReports.find(({ idSms }) => idSms === String(ignored.idSms))).toMatchObject({
			attempts: PUSH_ATTEMPTS,
			confirmed: false,
			gaveUp: true,
		});
	});

	test('an HTTP error answer confirms nothing; nothing is pushed without a URL', async () => {
		await post(`${url}/xml/message.php`, smsTo('79001234561'));
		sandbox.advanceTime(2_500);
		await sandbox.whenPushesSettled();
		expect(sandbox.pushes).toEqual([]);
		sandbox.deliveryReportUrl = receiver.url;
		await post(`${url}/xml/message.php`, smsTo('79001234562'));
		receiver.answer = (body) => ({ status: 400, body: `<response><id_sms>${/id_sms="(\d+)"/.exec(body)?.[1]}</id_sms></response>` });
		sandbox.advanceTime(2_500);
		await sandbox.whenPushesSettled();
		expect(sandbox.pushes).toHaveLength(PUSH_ATTEMPTS);
		expect(sandbox.pushes.every(({ status, confirmedIds }) => status === 400 && confirmedIds.length === 0)).toBe(true);
	});
});
