/**
 * No double send on any retry path, in n8n's engine against the sandbox: the node's Retry On Fail, n8n's Retry of a
 * failed execution (and a retry of that retry), a new execution with a deduplication key, duplicate ids in one run, and
 * the provider's «уже было отправлено» answer.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, IRunExecutionData } from 'n8n-workflow';

import type { RunResult } from './harness';
import { runWorkflow } from './harness';
import { NODE_NAME, requestsTo, runNode, runTargetSms, startSandbox } from './targetsms-fixture';
import { readWire } from './wire';

const MESSAGE = '/xml/message.php';
const EMAIL = '/clients/api.php';
const OTP = '/password_generation/api.php';
const context = startSandbox();

const sms = {
	operation: 'send',
	channel: 'sms',
	phones: '={{ $json.phones }}',
	smsSender: 'MyShop',
	smsText: '={{ "Order " + $json.order }}',
};

/** The client_id_message of every abonent of every request to message.php, in order, as [phone, id]. */
function sentIds(): Array<[string, string]> {
	return requestsTo(context.sandbox, MESSAGE).flatMap((request) =>
		(readWire(request.body).message ?? []).flatMap((message) =>
			(message.abonent ?? []).map((abonent) => [abonent.phone, abonent.client_id_message] as [string, string]),
		),
	);
}

function acceptedPhones(): string[] {
	return context.sandbox.messages.map((message) => message.phone).sort();
}

/** Reports what the retry-stable ids read from n8n-core's execute context (nodes/shared/execution-anchor.ts). */
const probe: INodeType = {
	description: {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Reports the execution data n8n gives a node',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const runData = (this as unknown as { runExecutionData?: IRunExecutionData | null }).runExecutionData?.resultData?.runData;
		const start = runData?.Start?.[0];
		return [[{ json: { mode: this.getMode(), startTime: start?.startTime ?? null, startItems: start?.data?.main?.[0]?.length ?? null } }]];
	},
};

describe('what the retry-stable ids rely on in n8n', () => {
	it("n8n-core gives a node the execution's run data, with the trigger's start time and items, through n8n's Retry too", async () => {
		const failing = await runWorkflow({
			nodeTypes: { probe: { ...probe, execute: async () => Promise.reject(new Error('fails once')) } },
			items: [{ a: 1 }],
			nodes: [{ name: 'Probe', type: 'probe', parameters: {} }],
			mode: 'webhook',
		});
		const startTime = failing.run.data.resultData.runData.Start[0].startTime;
		const retried = await runWorkflow({
			nodeTypes: { probe },
			items: [{ a: 1 }],
			nodes: [{ name: 'Probe', type: 'probe', parameters: {} }],
			retryOf: failing,
		});
		// If this fails, a newer n8n changed what nodes/shared/execution-anchor.ts reads: n8n's Retry would send again.
		expect(retried.output('Probe')[0].json).toEqual({ mode: 'retry', startTime, startItems: 1 });
	});
});

describe("n8n's Retry of a failed execution", () => {
	const phones = '79000000001, 79000000002, 79000000003';
	const run = { items: [{ phones, order: 1001 }], parameters: { ...sms, options: { batchSize: 1 } } };

	it('sends nothing twice, through a retry of the retry, and reuses each phone’s client id', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http500', path: MESSAGE, bodyIncludes: '79000000002', times: Infinity });
		const failed = await runTargetSms(sandbox, { ...run, mode: 'webhook' });
		expect(failed.nodeError(NODE_NAME)?.message).toBe('TargetSMS answered HTTP 500 (3 attempts)');
		expect(acceptedPhones()).toEqual(['79000000001']);

		sandbox.clearFaults();
		sandbox.failNext({ kind: 'http500', path: MESSAGE, bodyIncludes: '79000000003', times: Infinity });
		const firstRetry = await runTargetSms(sandbox, { ...run, retryOf: failed });
		expect(firstRetry.run.mode).toBe('retry');
		expect(firstRetry.nodeError(NODE_NAME)?.message).toBe('TargetSMS answered HTTP 500 (3 attempts)');
		expect(acceptedPhones()).toEqual(['79000000001', '79000000002']);

		sandbox.clearFaults();
		const secondRetry = await runTargetSms(sandbox, { ...run, retryOf: firstRetry });
		expect(secondRetry.error).toBeUndefined();
		expect(acceptedPhones()).toEqual(['79000000001', '79000000002', '79000000003']);

		// Every phone went out with one id, however often it was sent.
		const idsByPhone = new Map<string, Set<string>>();
		for (const [phone, id] of sentIds()) idsByPhone.set(phone, (idsByPhone.get(phone) ?? new Set()).add(id));
		expect([...idsByPhone.values()].map((ids) => ids.size)).toEqual([1, 1, 1]);
		expect(sentIds().filter(([phone]) => phone === '79000000001')).toHaveLength(3);
		const output = secondRetry.output(NODE_NAME).map((item) => item.json);
		expect(output.map((item) => [item.phone, item.messageId])).toEqual(
			['79000000001', '79000000002', '79000000003'].map((phone) => [
				phone,
				sandbox.messages.find((message) => message.phone === phone)!.idMessage,
			]),
		);
	});

	it('a new execution of the same data is new: it sends again (only a deduplication key prevents that)', async () => {
		const { sandbox } = context;
		await runTargetSms(sandbox, { ...run, mode: 'webhook', executionId: '501' });
		await runTargetSms(sandbox, { ...run, mode: 'webhook', executionId: '502' });
		expect(sandbox.messages).toHaveLength(6);
	});

	it('a manual run from the editor is anchored to its own execution, so running the step again sends again', async () => {
		const { sandbox } = context;
		await runTargetSms(sandbox, { ...run, mode: 'manual', executionId: '601' });
		await runTargetSms(sandbox, { ...run, mode: 'manual', executionId: '602' });
		expect(sandbox.messages).toHaveLength(6);
	});
});

describe('Deduplication Key', () => {
	const withKey = { ...sms, options: { deduplicationKey: '={{ $json.order }}' } };

	it('sends a key once per phone, whatever execution sends it again; several phones per item work', async () => {
		const { sandbox } = context;
		const items = [{ phones: '79000000001, 79000000002', order: 'A-1' }];
		const first = await runTargetSms(sandbox, { items, parameters: withKey, mode: 'webhook', executionId: '11' });
		const again = await runTargetSms(sandbox, { items, parameters: withKey, mode: 'webhook', executionId: '12' });
		expect(sandbox.messages).toHaveLength(2);
		expect(again.output(NODE_NAME).map((item) => item.json)).toEqual(first.output(NODE_NAME).map((item) => item.json));
		const ids = sentIds();
		expect(ids.slice(0, 2)).toEqual(ids.slice(2));

		await runTargetSms(sandbox, { items: [{ phones: '79000000001', order: 'A-1-reminder' }], parameters: withKey, mode: 'webhook' });
		expect(sandbox.messages).toHaveLength(3);
	});

	it('refuses two items of one run with the same key and phone, naming both items', async () => {
		const { sandbox } = context;
		const items = [
			{ phones: '79000000001', order: 'B-7' },
			{ phones: '79000000002', order: 'B-7' },
			{ phones: '79000000001', order: 'B-7' },
		];
		const failed = await runTargetSms(sandbox, { items, parameters: withKey });
		expect(failed.nodeError(NODE_NAME)?.message).toBe(
			'Item 2: Deduplication Key: "B-7" with phone 79000000001 is also used by item 0 of this run: TargetSMS would silently drop this message as a repeat, so it was not sent. Give each message its own key (e.g. add "-reminder")',
		);
		expect(sandbox.requests).toHaveLength(0);

		const tolerated = await runTargetSms(sandbox, { items, parameters: withKey, settings: { continueOnFail: true } });
		expect(tolerated.output(NODE_NAME).map((item) => [item.pairedItem, item.json.status ?? 'error'])).toEqual([
			[{ item: 0 }, 'send'],
			[{ item: 1 }, 'send'],
			[{ item: 2 }, 'error'],
		]);
		expect(acceptedPhones()).toEqual(['79000000001', '79000000002']);
	});
});

describe('Client Message ID used twice in one run', () => {
	const items = [
		{ phones: '79000000001', id: '700' },
		{ phones: '79000000002', id: '701' },
		{ phones: '79000000003', id: '700' },
	];
	const parameters = { ...sms, options: { clientMessageId: '={{ $json.id }}' } };

	it('fails the node before anything is sent', async () => {
		const { sandbox } = context;
		const result = await runTargetSms(sandbox, { items, parameters });
		const error = result.nodeError(NODE_NAME)!;
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(
			'Item 2: Client Message ID: "700" is also used by item 0 of this run: TargetSMS would silently drop this message as a repeat, so it was not sent',
		);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('with continueOnFail, sends the first and gives each later item with that id an error item', async () => {
		const { sandbox } = context;
		const result = await runTargetSms(sandbox, { items, parameters, settings: { continueOnFail: true } });
		const output = result.output(NODE_NAME);
		expect(output.map((item) => [item.pairedItem, item.json.clientMessageId ?? null])).toEqual([
			[{ item: 0 }, '700'],
			[{ item: 1 }, '701'],
			[{ item: 2 }, null],
		]);
		expect(String(output[2].json.error)).toMatch(/^Item 2: Client Message ID: "700" is also used by item 0/);
		expect(acceptedPhones()).toEqual(['79000000001', '79000000002']);
	});
});

describe('«Данное сообщение уже было отправлено.»', () => {
	it.each(['alreadySentText', 'alreadySentTextWithIds'] as const)(
		'answered (%s) to a repeated id counts as sent, not refused',
		async (mode) => {
			const { sandbox } = context;
			const run = { items: [{ phones: '79000000001', order: 1 }], parameters: sms, executionId: 'same' };
			const first = await runTargetSms(sandbox, run);
			sandbox.setRepeatedClientIdAnswer(mode);
			const again = await runTargetSms(sandbox, run);
			expect(again.error).toBeUndefined();
			const [item] = again.output(NODE_NAME);
			expect(item.json).toMatchObject({
				phone: '79000000001',
				clientMessageId: first.output(NODE_NAME)[0].json.clientMessageId,
				status: 'send',
				alreadySent: true,
			});
			expect(item.json.error).toBeUndefined();
			expect(item.json.messageId).toBe(mode === 'alreadySentText' ? null : first.output(NODE_NAME)[0].json.messageId);
			expect(sandbox.messages).toHaveLength(1);
		},
	);
});

const letter = { operation: 'send', format: 'json', from: 'shop@example.com', to: '={{ $json.to }}', subject: 'S', body: 'B' };
const code = { operation: 'send', phone: '={{ $json.phone }}', sender: 'target', codeLength: 4, text: 'Код {код}' };

describe('Email and OTP under Retry On Fail', () => {
	const retry = { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 };

	it('a 500 on the second letter: the retry sends the letters still missing, not the first one again', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http500', path: EMAIL, bodyIncludes: 'b@example.com' });
		const items = [{ to: 'a@example.com' }, { to: 'b@example.com' }, { to: 'c@example.com' }];
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items,
			parameters: { ...letter, options: { concurrency: 1 } },
			settings: retry,
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.emails.map((email) => email.to)).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
		// Email is not retried by the transport after a 500: the provider might have sent it.
		expect(requestsTo(sandbox, EMAIL).filter((request) => request.body.includes('b@example.com'))).toHaveLength(2);
		expect(result.output('Node').map((item) => item.json.to)).toEqual(items.map((item) => item.to));
		const first = result.output('Node')[0].json;
		expect(first.externalMessageId).toBe(sandbox.emails[0].externalMessageId);
	});

	// n8n retries a node whose first output item holds an error, continueOnFail or not: here 3 tries in all.
	it('with continueOnFail and an invalid first item, n8n retries the node, yet each valid item gets one letter and one code', async () => {
		const { sandbox } = context;
		const emailItems = [{ to: 'not an address' }, { to: 'b@example.com' }, { to: 'c@example.com' }, { to: 'd@example.com' }, { to: 'e@example.com' }];
		const emails = await runNode(sandbox, 'targetSmsEmail', {
			items: emailItems,
			parameters: letter,
			settings: { ...retry, continueOnFail: true },
		});
		expectRetried(emails);
		expect(sandbox.emails).toHaveLength(4);

		const phoneItems = [{ phone: '123' }, { phone: '79000000002' }, { phone: '79000000003' }, { phone: '79000000004' }, { phone: '79000000005' }];
		const codes = await runNode(sandbox, 'targetSmsOtp', {
			items: phoneItems,
			parameters: code,
			settings: { ...retry, continueOnFail: true },
		});
		expectRetried(codes);
		expect(sandbox.otps).toHaveLength(4);
		const output = codes.output('Node').map((item) => item.json);
		expect(output.filter((item) => item.code !== undefined).map((item) => item.code)).toEqual(sandbox.otps.map((otp) => otp.code));
	});

	it('an OTP retried after a failure outputs the codes sent before, hidden ones as the same hash', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http', status: 429, path: OTP, bodyIncludes: '79000000002', times: 3 });
		const result = await runNode(sandbox, 'targetSmsOtp', {
			items: [{ phone: '79000000001' }, { phone: '79000000002' }, { phone: '79000000003' }],
			parameters: { ...code, options: { hideCode: true } },
			credentialData: { otpSecret: 'credential-otp-secret' },
			settings: retry,
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.otps.map((otp) => otp.phone).sort()).toEqual(['79000000001', '79000000002', '79000000003']);
		const output = result.output('Node').map((item) => item.json);
		expect(output.every((item) => typeof item.codeHash === 'string' && item.code === undefined)).toBe(true);
	});
});

/** The output n8n kept from its last try: the invalid first item's error, then the four sends. */
function expectRetried(result: RunResult): void {
	expect(result.error).toBeUndefined();
	const output = result.output('Node');
	expect(output).toHaveLength(5);
	expect(output[0].json.error).toMatch(/^Item 0:/);
}
