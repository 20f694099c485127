/**
 * n8n's own Retry of a failed execution, in a running n8n, through the REST API the executions list uses — and new
 * executions of the same order, with and without a deduplication key. What the provider (the sandbox) received is the
 * judge: every phone accepted exactly once, and every request for a phone carrying the same client_id_message.
 *
 * The workflow: Webhook → TargetSMS (three phones from the posted item, `batchSize` 1: one request per phone).
 * Request 2 (phone B) fails persistently (HTTP 500 for every attempt: the transport's own retries included), so the
 * execution fails after A was sent. Retry 1 (of it) fails on C instead; Retry 2 (of Retry 1: a chain) succeeds.
 */
import { SANDBOX_API_CREDENTIAL } from '../../../scripts/n8n/credentials';
import { type ExecutionSummary, nodeOutput } from '../../../scripts/n8n/instance';
import type { RecordedRequest } from '../../sandbox/server';
import { clearFaults, type NodeSpec, postWebhook, type ServedSuiteContext, webhookWorkflow } from './context';

const PHONES = { a: '79005550001', b: '79005550002', c: '79005550003' } as const;
const ALL_PHONES = [PHONES.a, PHONES.b, PHONES.c];
const SEND_NODE = 'Send order SMS';

function sendNode(options: Record<string, unknown>): NodeSpec {
	return {
		name: SEND_NODE,
		type: 'n8n-nodes-targetsms.targetSms',
		typeVersion: 1,
		parameters: {
			operation: 'send',
			channel: 'sms',
			phones: '={{ $json.body.phones }}',
			smsSender: 'MyShop',
			smsText: '=Заказ {{ $json.body.orderId }} принят',
			options: { batchSize: 1, ...options },
		},
		credentials: { targetSmsApi: { id: SANDBOX_API_CREDENTIAL.id, name: SANDBOX_API_CREDENTIAL.name } },
	};
}

/** Each `<abonent>` of the message.php requests: its phone and client_id_message, with the request's position. */
function abonentsSent(requests: readonly RecordedRequest[]): Array<{ phone: string; clientId: string; request: number }> {
	const found: Array<{ phone: string; clientId: string; request: number }> = [];
	requests.forEach((request, index) => {
		if (request.path !== '/xml/message.php') return;
		for (const [element] of request.body.matchAll(/<abonent\b[^>]*>/g)) {
			const phone = /\bphone="([^"]*)"/.exec(element)?.[1];
			const clientId = /\bclient_id_message="([^"]*)"/.exec(element)?.[1];
			if (phone !== undefined && clientId !== undefined) found.push({ phone, clientId, request: index });
		}
	});
	return found;
}

function countBy<T>(values: readonly T[]): Map<T, number> {
	const counts = new Map<T, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return counts;
}

export function describeRetry(context: ServedSuiteContext): void {
	describe("n8n's Retry of a failed execution and new executions of the same order", () => {
		const plain = webhookWorkflow('TargetSMS e2e: retry without a key', 'e2e-retry-order', [sendNode({})]);
		const keyed = webhookWorkflow('TargetSMS e2e: retry with a deduplication key', 'e2e-retry-keyed', [
			sendNode({ deduplicationKey: '={{ $json.body.orderId }}' }),
		]);
		let plainId = '';
		let keyedId = '';

		beforeAll(async () => {
			const server = context.server();
			const cookie = context.cookie();
			plainId = (await server.createWorkflow(cookie, plain)).id;
			keyedId = (await server.createWorkflow(cookie, keyed)).id;
			await server.activateWorkflow(cookie, plainId);
			await server.activateWorkflow(cookie, keyedId);
		}, 120_000);

		/** POSTs the order, then waits for the execution it started to be saved. */
		async function postOrder(workflowId: string, path: string, order: { orderId: string; phones: string }) {
			const server = context.server();
			const known = new Set((await server.listExecutions(context.cookie(), workflowId)).map(({ id }) => id));
			const answer = await postWebhook(server, path, order);
			const execution = await server.nextExecution(context.cookie(), workflowId, known);
			return { answer, execution };
		}

		test('a failed execution, its Retry failing again, and a Retry of that Retry: each phone is sent once, always with the same client_id_message', async () => {
			const { sandbox } = context.environment();
			const server = context.server();
			const cookie = context.cookie();
			sandbox.reset();
			const order = { orderId: 'R-1001', phones: ALL_PHONES.join(',') };

			// 1. The webhook execution: A accepted, B refused (HTTP 500 on every attempt), C never tried.
			sandbox.failNext({ kind: 'http', status: 500, times: Infinity, bodyIncludes: PHONES.b });
			const { answer, execution: original } = await postOrder(plainId, 'e2e-retry-order', order);
			expect(answer.status).toBe(500);
			expect(original).toMatchObject({ status: 'error', mode: 'webhook' });
			expect(sandbox.messages.map(({ phone }) => phone)).toEqual([PHONES.a]);
			const originalDetail = await server.execution(cookie, original.id);
			const failure = originalDetail.run.data.resultData.runData[SEND_NODE]?.at(-1)?.error;
			expect(failure?.message).toBeDefined();
			// Nothing sent is hidden: the error names what was already sent.
			expect(JSON.stringify(failure)).toContain(PHONES.a);

			// 2. Retry 1 (the executions list's Retry): B goes through now, C fails persistently.
			clearFaults(sandbox);
			sandbox.failNext({ kind: 'http', status: 500, times: Infinity, bodyIncludes: PHONES.c });
			const retry1 = await server.retryExecution(cookie, original.id);
			expect(retry1).toMatchObject({ mode: 'retry', retryOf: original.id, status: 'error' });
			expect(sandbox.messages.map(({ phone }) => phone)).toEqual([PHONES.a, PHONES.b]);

			// 3. Retry 2, of Retry 1 (its retryOf names Retry 1, not the original): no fault, C goes through.
			clearFaults(sandbox);
			const retry2 = await server.retryExecution(cookie, retry1.id);
			expect(retry2).toMatchObject({ mode: 'retry', retryOf: retry1.id, status: 'success' });

			// The stored executions say the same (GET /rest/executions/:id).
			const stored = await Promise.all([original, retry1, retry2].map(({ id }) => server.execution(cookie, id)));
			expect(stored.map(({ id, mode, status, retryOf }) => ({ id, mode, status, retryOf: retryOf ?? null }))).toEqual([
				{ id: original.id, mode: 'webhook', status: 'error', retryOf: null },
				{ id: retry1.id, mode: 'retry', status: 'error', retryOf: original.id },
				{ id: retry2.id, mode: 'retry', status: 'success', retryOf: retry1.id },
			]);

			// The provider accepted each phone exactly once …
			expect(Object.fromEntries(countBy(sandbox.messages.map(({ phone }) => phone)))).toEqual({
				[PHONES.a]: 1,
				[PHONES.b]: 1,
				[PHONES.c]: 1,
			});
			// … and every request for a phone, in all three executions, carried that phone's one client_id_message.
			const sent = abonentsSent(sandbox.requests);
			const idsByPhone = Object.fromEntries(
				ALL_PHONES.map((phone) => [phone, [...new Set(sent.filter((abonent) => abonent.phone === phone).map(({ clientId }) => clientId))]]),
			);
			expect(idsByPhone).toEqual({
				[PHONES.a]: [expect.stringMatching(/^[1-9][0-9]*$/)],
				[PHONES.b]: [expect.stringMatching(/^[1-9][0-9]*$/)],
				[PHONES.c]: [expect.stringMatching(/^[1-9][0-9]*$/)],
			});
			// A was sent by all three executions, B by the original and both retries (the repeats dropped).
			const sentByPhone = countBy(sent.map(({ phone }) => phone));
			expect(sentByPhone.get(PHONES.a)).toBeGreaterThanOrEqual(3);
			expect(sentByPhone.get(PHONES.b)).toBeGreaterThanOrEqual(3);
			for (const message of sandbox.messages) expect(message.clientIdMessage).toBe(idsByPhone[message.phone][0]);

			// The successful retry reports all three recipients with the provider's ids.
			const output = nodeOutput(stored[2].run, SEND_NODE);
			expect(output.map(({ phone }) => phone)).toEqual(ALL_PHONES);
			for (const item of output) {
				const message = sandbox.messages.find(({ phone }) => phone === item.phone);
				expect(item).toMatchObject({ messageId: message?.idMessage, clientMessageId: message?.clientIdMessage });
				expect(item).not.toHaveProperty('error');
			}

			// A new execution (the same order posted again) without a key is a new message: sent again, new ids.
			const again = await postOrder(plainId, 'e2e-retry-order', order);
			expect(again.answer.status).toBe(200);
			expect(again.execution).toMatchObject({ status: 'success', mode: 'webhook' });
			expect(sandbox.messages).toHaveLength(6);
			const resent = sandbox.messages.slice(3);
			expect(resent.map(({ phone }) => phone)).toEqual(ALL_PHONES);
			for (const message of resent) expect(message.clientIdMessage).not.toBe(idsByPhone[message.phone][0]);
		}, 5 * 60_000);

		test('with a deduplication key, the same order posted again sends nothing again; a failed execution\'s Retry completes it', async () => {
			const { sandbox } = context.environment();
			const server = context.server();
			const cookie = context.cookie();
			sandbox.reset();
			const order = { orderId: 'D-2001', phones: ALL_PHONES.join(',') };

			const first = await postOrder(keyedId, 'e2e-retry-keyed', order);
			expect(first.answer.status).toBe(200);
			expect(first.execution.status).toBe('success');
			expect(sandbox.messages.map(({ phone }) => phone)).toEqual(ALL_PHONES);
			const original = new Map(sandbox.messages.map((message) => [message.phone, message]));

			// Posted again (a shop retrying its webhook call): the provider drops every repeat; the node reports them sent.
			const second = await postOrder(keyedId, 'e2e-retry-keyed', order);
			expect(second.answer.status).toBe(200);
			expect(second.execution.status).toBe('success');
			expect(sandbox.messages).toHaveLength(3);
			const secondItems = second.answer.body as Array<Record<string, unknown>>;
			expect(secondItems.map(({ phone }) => phone)).toEqual(ALL_PHONES);
			for (const item of secondItems) {
				const message = original.get(String(item.phone));
				expect(item.clientMessageId).toBe(message?.clientIdMessage);
				expect(item).not.toHaveProperty('error');
				// The sandbox answers a repeated id with the original ids (its default reading of the reference).
				if (item.alreadySent !== true) expect(item.messageId).toBe(message?.idMessage);
			}

			// The other reading of the reference: «Данное сообщение уже было отправлено.» — still sent, not an error.
			sandbox.setRepeatedClientIdAnswer('alreadySentText');
			const third = await postOrder(keyedId, 'e2e-retry-keyed', order);
			expect(third.answer.status).toBe(200);
			expect(sandbox.messages).toHaveLength(3);
			const thirdItems = third.answer.body as Array<Record<string, unknown>>;
			expect(thirdItems.map(({ phone }) => phone)).toEqual(ALL_PHONES);
			for (const item of thirdItems) {
				expect(item).toMatchObject({ alreadySent: true, clientMessageId: original.get(String(item.phone))?.clientIdMessage });
				expect(item).not.toHaveProperty('error');
			}
			sandbox.setRepeatedClientIdAnswer('originalIds');

			// Every request for a phone carried the same id: the key's.
			const sent = abonentsSent(sandbox.requests);
			for (const phone of ALL_PHONES) {
				expect([...new Set(sent.filter((abonent) => abonent.phone === phone).map(({ clientId }) => clientId))]).toEqual([
					original.get(phone)?.clientIdMessage,
				]);
			}

			// Another order is another key: sent.
			const next = { orderId: 'D-2002', phones: ALL_PHONES.join(',') };
			const other = await postOrder(keyedId, 'e2e-retry-keyed', next);
			expect(other.execution.status).toBe('success');
			expect(sandbox.messages).toHaveLength(6);

			// A failed execution with a key (C refused), then n8n's Retry: C once, A and B not again.
			const failing = { orderId: 'D-2003', phones: ALL_PHONES.join(',') };
			sandbox.failNext({ kind: 'http', status: 500, times: Infinity, bodyIncludes: PHONES.c });
			const failed = await postOrder(keyedId, 'e2e-retry-keyed', failing);
			expect(failed.execution.status).toBe('error');
			expect(sandbox.messages).toHaveLength(8);
			clearFaults(sandbox);
			const retried: ExecutionSummary = await server.retryExecution(cookie, failed.execution.id);
			expect(retried).toMatchObject({ mode: 'retry', retryOf: failed.execution.id, status: 'success' });
			expect(sandbox.messages.slice(6).map(({ phone }) => phone)).toEqual(ALL_PHONES);
		}, 5 * 60_000);
	});
}
