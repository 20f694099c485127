import { resolve } from 'node:path';

import { resolveWebhookDescriptionField, Workflow } from 'n8n-workflow';

import { HarnessNodeTypes, loadNodeType } from './harness';
import { TriggerHarness } from './harness/trigger';
import { formatMoscowDateTime } from '../sandbox/moscow-time';
import { TargetSmsSandbox } from '../sandbox/server';

const TYPE = 'n8n-nodes-targetsms.targetSmsTrigger';
const Trigger = loadNodeType('dist/nodes/TargetSmsTrigger/TargetSmsTrigger.node.js', 'TargetSmsTrigger');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const memory = require(resolve('dist/nodes/TargetSmsTrigger/actions/report-memory.js')) as { forgetClaimsForTests(): void };
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const SECURITY = '<security><login value="demo"/><password value="demo1234"/></security>';
const MOSCOW_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/;

const sandbox = new TargetSmsSandbox();
let sandboxUrl = '';
const harnesses: TriggerHarness[] = [];

beforeAll(async () => {
	sandboxUrl = await sandbox.start();
});
afterAll(async () => {
	await Promise.all(harnesses.map((harness) => harness.close()));
	await sandbox.stop();
});
beforeEach(() => {
	sandbox.reset();
	sandbox.configurePushes({ retryDelayMs: 20 });
});

function trigger(parameters: Record<string, unknown> = { event: 'deliveryReport' }): TriggerHarness {
	const harness = new TriggerHarness({
		type: TYPE,
		nodeType: Trigger,
		parameters: parameters as never,
		credentials: { targetSmsApi: { data: { login: 'demo', password: 'demo1234', smsBaseUrl: sandboxUrl, apiBaseUrl: sandboxUrl } } },
	});
	harnesses.push(harness);
	return harness;
}

async function sendSms(...phones: string[]): Promise<number[]> {
	const abonents = phones.map((phone) => `<abonent phone="${phone}"/>`).join('');
	await fetch(`${sandboxUrl}/xml/message.php`, {
		method: 'POST',
		headers: { 'Content-Type': 'text/xml; charset=utf-8' },
		body: `${DECLARATION}<request>${SECURITY}<message><send_sms>1</send_sms><sender_sms>Shop</sender_sms><text_sms>Hi</text_sms>${abonents}</message></request>`,
	});
	return sandbox.messages.slice(-phones.length).map(({ idSms }) => idSms);
}

async function push(url: string, body: string, contentType = 'application/x-www-form-urlencoded'): Promise<{ status: number; body: string }> {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
	return { status: response.status, body: await response.text() };
}

const emitted = (harness: TriggerHarness) => harness.calls.flatMap((call) => call.emitted ?? []).map((item) => item.json);

describe('TargetSMS Trigger: delivery reports, lifecycle through n8n-core’s HookContext', () => {
	it('registers the production URL on activation and clears it on deactivation', async () => {
		const harness = trigger();
		expect(await harness.activate()).toEqual([]);
		expect(sandbox.deliveryReportUrl).toBe(harness.webhookUrl());
		expect(await harness.hook('checkExists')).toBe(true);
		expect(await harness.hook('delete')).toBe(true);
		expect(sandbox.deliveryReportUrl).toBe('');
		expect(await harness.hook('checkExists')).toBe(false);
	});

	it('refuses another URL, naming it, through n8n’s five activation attempts, and never clears it', async () => {
		sandbox.deliveryReportUrl = 'https://crm.example/targetsms';
		const harness = trigger();
		const errors = await harness.activate();
		expect(errors).toHaveLength(5);
		expect((errors[0] as Error).message).toBe('The TargetSMS account already sends its delivery reports to https://crm.example/targetsms');
		expect(sandbox.deliveryReportUrl).toBe('https://crm.example/targetsms');
		const sets = sandbox.requests.filter(({ path, body }) => path === '/xml/get_state.php' && body.includes('type="set"'));
		expect(sets).toEqual([]);
	});

	it('takes the URL over with Replace Existing URL', async () => {
		sandbox.deliveryReportUrl = 'https://crm.example/targetsms';
		const harness = trigger({ event: 'deliveryReport', replaceExistingUrl: true });
		expect(await harness.activate()).toEqual([]);
		expect(sandbox.deliveryReportUrl).toBe(harness.webhookUrl());
		await harness.hook('delete');
		expect(sandbox.deliveryReportUrl).toBe('');
	});

	it('“Listen for test event”: the same rule, and the URL set before comes back when the test ends', async () => {
		sandbox.deliveryReportUrl = 'https://crm.example/targetsms';
		const strict = trigger();
		expect(await strict.activate({ test: true, attempts: 1 })).toHaveLength(1);
		expect(sandbox.deliveryReportUrl).toBe('https://crm.example/targetsms');

		const harness = trigger({ event: 'deliveryReport', replaceExistingUrl: true });
		expect(await harness.activate({ test: true })).toEqual([]);
		expect(sandbox.deliveryReportUrl).toBe(harness.webhookUrl(true));
		await harness.hook('delete', { test: true });
		expect(sandbox.deliveryReportUrl).toBe('https://crm.example/targetsms');
	});

	it('does nothing for the Incoming SMS event', async () => {
		const harness = trigger({ event: 'incomingSms' });
		expect(await harness.activate()).toEqual([]);
		expect(await harness.hook('delete')).toBe(true);
		expect(sandbox.requests.filter(({ path }) => path === '/xml/get_state.php')).toEqual([]);
	});
});

describe('TargetSMS Trigger: delivery-report pushes through n8n-core’s WebhookContext', () => {
	it('receives the sandbox’s real pushes: one item per state, each confirmed, the execution run by WorkflowExecute', async () => {
		const harness = trigger();
		sandbox.deliveryReportUrl = await harness.listen();
		const [delivered, failed] = await sendSms('79001234561', '79001234568');
		sandbox.advanceTime(2_500);
		await sandbox.whenPushesSettled();
		expect(sandbox.deliveryReports.map(({ idSms, status, attempts, confirmed }) => ({ idSms, status, attempts, confirmed }))).toEqual([
			{ idSms: String(delivered), status: 'deliver', attempts: 1, confirmed: true },
			{ idSms: String(failed), status: 'not_deliver', attempts: 1, confirmed: true },
		]);
		expect(emitted(harness)).toEqual([
			{ smsId: delivered, status: 'deliver', final: true, changedAt: expect.stringMatching(MOSCOW_ISO) },
			{ smsId: failed, status: 'not_deliver', final: true, changedAt: expect.stringMatching(MOSCOW_ISO) },
		]);
		const run = harness.calls[0].run;
		expect(run?.status).toBe('success');
		expect(run?.data.resultData.runData.Trigger[0].data?.main[0]?.map((item) => item.json.smsId)).toEqual([delivered, failed]);
		expect(sandbox.pushes[0].responseBody).toBe(`${DECLARATION}<response><id_sms>${delivered}</id_sms><id_sms>${failed}</id_sms></response>`);
	});

	it('emits a repeated push once but confirms it every time, also after a restart (static data)', async () => {
		const harness = trigger();
		const url = await harness.listen();
		const body = `${DECLARATION}<request><state id_sms="2000123" time="2026-11-05 10:00:00">deliver</state></request>`;
		const first = await push(url, body);
		const second = await push(url, body, 'text/xml');
		memory.forgetClaimsForTests();
		const afterRestart = await push(url, body, 'application/octet-stream');
		for (const answer of [first, second, afterRestart]) {
			expect(answer).toEqual({ status: 200, body: `${DECLARATION}<response><id_sms>2000123</id_sms></response>` });
		}
		expect(emitted(harness)).toEqual([{ smsId: 2000123, status: 'deliver', final: true, changedAt: '2026-11-05T10:00:00+03:00' }]);
		expect(harness.calls.map((call) => call.run !== undefined)).toEqual([true, false, false]);
		// A new status of the same id is news.
		await push(url, `${DECLARATION}<request><state id_sms="2000123" time="2026-11-05 10:01:00">expired</state></request>`);
		expect(emitted(harness).map(({ status }) => status)).toEqual(['deliver', 'expired']);
	});

	it('emits each state once when the same push arrives many times at once', async () => {
		const harness = trigger();
		const url = await harness.listen();
		const body = `${DECLARATION}<request><state id_sms="2000200" time="2026-11-05 10:00:00">deliver</state><state id_sms="2000201" time="2026-11-05 10:00:00">send</state></request>`;
		const answers = await Promise.all(Array.from({ length: 8 }, () => push(url, body)));
		expect(answers.every(({ status }) => status === 200)).toBe(true);
		expect(emitted(harness).map(({ smsId, status }) => `${String(smsId)}:${String(status)}`).sort()).toEqual(['2000200:deliver', '2000201:send']);
		expect(harness.savedStaticData).toEqual({ 'node:Trigger': { seenReports: expect.arrayContaining(['2000200:deliver', '2000201:send']) } });
	});

	it('answers 400 and emits nothing for what is not the provider’s document, whatever its Content-Type', async () => {
		const harness = trigger();
		const url = await harness.listen();
		const bodies: Array<[string, string]> = [
			['{"id_sms":1,"status":"deliver"}', 'application/json'],
			['<html><body>hi</body></html>', 'text/html'],
			[`${DECLARATION}<response><state id_sms="1">deliver</state></response>`, 'text/xml'],
			[`${DECLARATION}<request><state id_sms="abc">deliver</state><state id_sms="5"></state></request>`, 'application/x-www-form-urlencoded'],
			['<!DOCTYPE request [<!ENTITY x "deliver">]><request><state id_sms="1">&x;</state></request>', 'text/plain'],
			['', 'application/x-www-form-urlencoded'],
		];
		for (const [body, type] of bodies) expect((await push(url, body, type)).status).toBe(400);
		expect(emitted(harness)).toEqual([]);
	});

	it('leaves a malformed <state> out of its answer, so the provider pushes it again', async () => {
		const harness = trigger();
		const url = await harness.listen();
		const answer = await push(url, `${DECLARATION}<request><state id_sms="x1">deliver</state><state id_sms="2000300" time="">send</state></request>`);
		expect(answer).toEqual({ status: 200, body: `${DECLARATION}<response><id_sms>2000300</id_sms></response>` });
		expect(emitted(harness)).toEqual([{ smsId: 2000300, status: 'send', final: false, changedAt: null }]);
	});

	it('answers 404 and emits nothing when the event is Incoming SMS', async () => {
		const harness = trigger({ event: 'incomingSms' });
		const url = await harness.listen();
		expect((await push(url, `${DECLARATION}<request><state id_sms="1" time="">deliver</state></request>`)).status).toBe(404);
		expect(emitted(harness)).toEqual([]);
	});
});

describe('TargetSMS Trigger: incoming SMS through n8n-core’s PollContext', () => {
	it('starts at activation, then emits every SMS once, those of the same second included', async () => {
		const harness = trigger({ event: 'incomingSms' });
		sandbox.injectIncomingSms({ from: '79001234500', text: 'before activation', receivedAt: new Date(Date.now() - 5_000) });
		expect((await harness.poll()).emitted).toBeUndefined();
		expect(harness.savedStaticData).toEqual({ 'node:Trigger': { lastReceived: expect.any(String), idsAtLast: [] } });

		const first = sandbox.injectIncomingSms({ from: '79001234567', text: 'ДА', prefix: 'ДА' });
		const polled = await harness.poll();
		expect(polled.emitted?.map((item) => item.json)).toEqual([
			{ smsId: first.idSms, receivedAt: formatMoscowDateTime(first.receivedAt).replace(' ', 'T') + '+03:00', from: '79001234567', to: '3443', prefix: 'ДА', text: 'ДА' },
		]);
		expect(polled.run?.status).toBe('success');
		expect((await harness.poll()).emitted).toBeUndefined();

		const sameSecond = sandbox.injectIncomingSms({ from: '79001234568', text: 'Нет', receivedAt: first.receivedAt });
		expect((await harness.poll()).emitted?.map((item) => item.json.smsId)).toEqual([sameSecond.idSms]);
		const later = sandbox.injectIncomingSms({ from: '79001234569', text: 'Позже', receivedAt: new Date(first.receivedAt.getTime() + 3_000) });
		expect((await harness.poll()).emitted?.map((item) => item.json.smsId)).toEqual([later.idSms]);
		expect((await harness.poll()).emitted).toBeUndefined();
		const windows = sandbox.requests.filter(({ path }) => path === '/xml/incoming.php').map(({ body }) => /start="([^"]+)"/.exec(body)?.[1]);
		expect(windows.at(-1)).toBe(formatMoscowDateTime(new Date(later.receivedAt.getTime() - 1_000)));
	});

	it('the manual test shows the last 24 hours and moves no cursor', async () => {
		const harness = trigger({ event: 'incomingSms' });
		const old = sandbox.injectIncomingSms({ from: '79001234567', text: 'вчера', receivedAt: new Date(Date.now() - 25 * 3600_000) });
		const recent = sandbox.injectIncomingSms({ from: '79001234567', text: 'сегодня', receivedAt: new Date(Date.now() - 2 * 3600_000) });
		const manual = await harness.poll({ manual: true });
		expect(manual.emitted?.map((item) => item.json.smsId)).toEqual([recent.idSms]);
		expect(manual.emitted?.map((item) => item.json.smsId)).not.toContain(old.idSms);
		expect(harness.savedStaticData).toEqual({});
	});

	it('polls nothing for the Delivery Report event', async () => {
		const harness = trigger();
		expect((await harness.poll()).emitted).toBeUndefined();
		expect(sandbox.requests).toEqual([]);
	});

	it('fails with n8n’s error, password-free, when TargetSMS refuses the login', async () => {
		const harness = new TriggerHarness({
			type: TYPE,
			nodeType: Trigger,
			parameters: { event: 'incomingSms' },
			credentials: { targetSmsApi: { data: { login: 'demo', password: 'wrong-secret', smsBaseUrl: sandboxUrl, apiBaseUrl: sandboxUrl } } },
		});
		await expect(harness.poll()).rejects.toMatchObject({ message: expect.stringContaining('Неправильный логин или пароль') });
		await expect(harness.poll()).rejects.not.toMatchObject({ message: expect.stringContaining('wrong-secret') });
	});
});

describe("the webhook's method: n8n's expression engine and the native resolver agree", () => {
	// The template (what the editor gets) and the function (what n8n runs without its engine) come from one
	// declaration; this checks the template is self-contained and gives what the function gives, for every event.
	const description = Trigger.description.webhooks?.[0] as unknown as Record<string, unknown>;
	// The events as the node's options name them: the self-contained function spells one of them out.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { DELIVERY_REPORT } = require(resolve('dist/nodes/TargetSmsTrigger/actions/delivery-report.js')) as { DELIVERY_REPORT: string };
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { INCOMING_SMS } = require(resolve('dist/nodes/TargetSmsTrigger/actions/incoming-sms.js')) as { INCOMING_SMS: string };
	it.each([
		[DELIVERY_REPORT, 'POST'],
		[INCOMING_SMS, ''],
	])('event %s → "%s"', async (event, method) => {
		const node = { id: 'trigger', name: 'TargetSMS Trigger', type: TYPE, typeVersion: 1, position: [0, 0] as [number, number], parameters: { event } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new HarnessNodeTypes({ [TYPE]: Trigger }) });
		const native = resolveWebhookDescriptionField(workflow.nodes[node.name], description as never, 'httpMethod');
		expect(native).toEqual({ resolved: true, value: method });
		const acquired = await workflow.expression.acquireIsolate();
		try {
			const evaluated = workflow.expression.getSimpleParameterValue(workflow.nodes[node.name], description.httpMethod as string, 'internal', {});
			expect(evaluated).toBe(method);
		} finally {
			if (acquired) await workflow.expression.releaseIsolate();
		}
	});
});
