/**
 * The TargetSMS Trigger in a running n8n (`n8n start`), through its real entry points: n8n's activation (the webhook
 * lifecycle calls `get_state.php`), the sandbox's real delivery-report pushes to the workflow's production URL, and
 * n8n's own poll scheduler (its static data kept by n8n between polls).
 *
 * - Delivery reports: a published trigger workflow registers its URL in the sandbox; another workflow sends SMS; the
 *   sandbox pushes each state change to n8n; each (id, status) starts the trigger workflow once, even when the same
 *   push arrives again. Its poll (the node is a polling node too) asks the provider nothing. Deactivation clears the
 *   URL; another receiver's URL makes activation fail and stays as it was.
 * - Incoming SMS: polled on four fixed seconds a minute (n8n allows nothing shorter than a minute per poll time); an
 *   SMS injected through the sandbox's control route starts the workflow once, and the polls after it ask from where
 *   the previous poll stopped.
 */
import { randomUUID } from 'node:crypto';

import { SANDBOX_API_CREDENTIAL } from '../../../scripts/n8n/credentials';
import { type ExecutionSummary, nodeOutput, type N8nServer, type WorkflowJson } from '../../../scripts/n8n/instance';
import type { RecordedRequest } from '../../sandbox/server';
import {
	deactivateWorkflow,
	finishedExecutions,
	postWebhook,
	type ServedSuiteContext,
	waitFor,
	webhookWorkflow,
	withQuickPolls,
} from './context';

const TRIGGER_NODE = 'TargetSMS Trigger';
const CREDENTIALS = { targetSmsApi: { id: SANDBOX_API_CREDENTIAL.id, name: SANDBOX_API_CREDENTIAL.name } };
/** Last digit 1: delivered; 8: not delivered (the sandbox's recipients; test/sandbox/README.md). */
const PHONES = { delivers: '79005550021', refuses: '79005550028' } as const;

function triggerWorkflow(name: string, parameters: Record<string, unknown>): { workflow: WorkflowJson; webhookId: string } {
	const webhookId = randomUUID();
	const workflow: WorkflowJson = {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER_NODE,
				type: 'n8n-nodes-targetsms.targetSmsTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters,
				credentials: CREDENTIALS,
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
	return { workflow, webhookId };
}

function delay(milliseconds: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

async function triggerItems(server: N8nServer, cookie: string, executions: readonly ExecutionSummary[]) {
	const details = await Promise.all(executions.map(({ id }) => server.execution(cookie, id)));
	return details.flatMap((detail) => nodeOutput(detail.run, TRIGGER_NODE));
}

function providerCalls(requests: readonly RecordedRequest[], path: string): RecordedRequest[] {
	return requests.filter((request) => request.path === path);
}

/** `n8n` activation through REST; the error text when n8n refuses. */
async function tryActivate(server: N8nServer, cookie: string, workflowId: string): Promise<string | undefined> {
	try {
		await server.activateWorkflow(cookie, workflowId);
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

const deactivate = deactivateWorkflow;

interface PublicationStatus {
	status: string;
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

/** n8n 2.41 publishes through an outbox: `GET /rest/workflows/:id/publication-status` tells how it went, per trigger. */
async function publicationStatus(server: N8nServer, cookie: string, workflowId: string): Promise<PublicationStatus> {
	return await server.rest<PublicationStatus>(cookie, 'GET', `/rest/workflows/${workflowId}/publication-status`);
}

export function describeTrigger(context: ServedSuiteContext): void {
	describe('TargetSMS Trigger in a running n8n', () => {
		test('delivery reports: activation sets the URL, the sandbox pushes each state of SMS another workflow sent, each starts the workflow once; deactivation clears the URL', async () => {
			const { sandbox } = context.environment();
			const server = context.server();
			const cookie = context.cookie();
			sandbox.reset();

			const sender = webhookWorkflow('TargetSMS e2e: send for delivery reports', 'e2e-trigger-send', [
				{
					name: 'Send SMS',
					type: 'n8n-nodes-targetsms.targetSms',
					typeVersion: 1,
					parameters: { operation: 'send', channel: 'sms', phones: '={{ $json.body.phones }}', smsSender: 'MyShop', smsText: 'Ваш заказ отправлен', options: {} },
					credentials: CREDENTIALS,
				},
			]);
			const senderId = (await server.createWorkflow(cookie, sender)).id;
			await server.activateWorkflow(cookie, senderId);

			const { workflow, webhookId } = triggerWorkflow('TargetSMS e2e: delivery reports', {
				event: 'deliveryReport',
				pollTimes: { item: [{ mode: 'everyMinute' }] },
			});
			const triggerId = (await server.createWorkflow(cookie, workflow)).id;
			const productionUrl = `${server.url}/webhook/${webhookId}/delivery-report`;

			// Activation: checkExists (get), then create (get, set) — the production URL, as n8n's base URL says it.
			// n8n 2.41 publishes through its outbox: the REST call returns, then the triggers are registered.
			expect(await tryActivate(server, cookie, triggerId)).toBeUndefined();
			await waitFor('the URL in the sandbox', () => (sandbox.deliveryReportUrl === productionUrl ? true : undefined), 30_000);
			await server.waitForWebhook(`${webhookId}/delivery-report`, 'POST');
			// Published: n8n registered the node's webhook and its poll (a polling node with a webhook) without failure.
			const published = await waitFor('the publication to settle', async () => {
				const status = await publicationStatus(server, cookie, triggerId);
				return status.status === 'in_progress' ? undefined : status;
			}, 30_000);
			expect(published).toMatchObject({ status: 'published', triggers: [{ status: 'activated' }] });

			const sent = await postWebhook(server, 'e2e-trigger-send', { phones: `${PHONES.delivers},${PHONES.refuses}` });
			expect(sent.status).toBe(200);
			const messages = sandbox.messages;
			expect(messages.map(({ phone }) => phone)).toEqual([PHONES.delivers, PHONES.refuses]);
			const idOf = (phone: string) => Number(messages.find((message) => message.phone === phone)?.idSms);

			// The sandbox's own timeline moves both SMS to their final state (≈2 s); its pusher POSTs them to n8n.
			await waitFor('two confirmed reports', () => {
				const reports = sandbox.deliveryReports;
				return reports.length === 2 && reports.every(({ confirmed }) => confirmed) ? reports : undefined;
			}, 30_000);
			await sandbox.whenPushesSettled();
			const executions = await waitFor(
				'the trigger workflow\'s executions',
				async () => {
					const found = await finishedExecutions(server, cookie, triggerId);
					const items = await triggerItems(server, cookie, found);
					return items.length >= 2 ? found : undefined;
				},
				30_000,
			);
			for (const execution of executions) expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
			const items = await triggerItems(server, cookie, executions);
			const bySmsId = (a: { smsId: unknown }, b: { smsId: unknown }) => Number(a.smsId) - Number(b.smsId);
			expect(items.map(({ smsId, status, final }) => ({ smsId, status, final })).sort(bySmsId)).toEqual(
				[
					{ smsId: idOf(PHONES.delivers), status: 'deliver', final: true },
					{ smsId: idOf(PHONES.refuses), status: 'not_deliver', final: true },
				].sort(bySmsId),
			);
			for (const item of items) expect(item.changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
			// Every push reached n8n's production URL and was answered with the ids it carried.
			expect(sandbox.pushes.length).toBeGreaterThan(0);
			for (const push of sandbox.pushes) {
				expect(push).toMatchObject({ url: productionUrl, status: 200 });
				expect(push.confirmedIds).toEqual(push.ids);
			}
			expect(sandbox.deliveryReports.map(({ attempts }) => attempts)).toEqual([1, 1]);

			// The provider repeating a push: confirmed again, no new execution.
			const repeated = sandbox.pushes[0];
			const answer = await fetch(productionUrl, { method: 'POST', headers: { 'Content-Type': repeated.contentType }, body: repeated.body });
			expect(answer.status).toBe(200);
			const answered = await answer.text();
			for (const id of repeated.ids) expect(answered).toContain(`<id_sms>${id}</id_sms>`);
			await delay(3_000);
			expect(await finishedExecutions(server, cookie, triggerId)).toHaveLength(executions.length);

			// Its poll (every minute, and once at activation) asked the provider nothing: no incoming.php call at all.
			expect(providerCalls(sandbox.requests, '/xml/incoming.php')).toEqual([]);
			expect(providerCalls(sandbox.requests, '/xml/get_state.php').length).toBeGreaterThanOrEqual(2);

			// Deactivation clears the URL (it is still this workflow's).
			await deactivate(server, cookie, triggerId);
			await waitFor('the URL cleared', () => (sandbox.deliveryReportUrl === '' ? true : undefined), 30_000);

			// Another receiver's URL: the activation fails (n8n retries it, then records the error), naming that URL, and
			// the URL stays as it was.
			const other = 'https://crm.example.com/targetsms/reports';
			sandbox.deliveryReportUrl = other;
			expect(await tryActivate(server, cookie, triggerId)).toBeUndefined();
			const refused = await waitFor('the publication to fail', async () => {
				const status = await publicationStatus(server, cookie, triggerId);
				return status.status === 'failed' ? status : undefined;
			}, 90_000);
			const activationError = refused.triggers.map(({ errorMessage }) => errorMessage ?? '').join('; ');
			expect(activationError).toContain(other);
			expect(sandbox.deliveryReportUrl).toBe(other);
			const stored = await server.rest<{ active?: boolean }>(cookie, 'GET', `/rest/workflows/${triggerId}`);
			process.stderr.write(`Refused activation: ${JSON.stringify(refused)}; stored active: ${String(stored.active)}\n`);
			await deactivate(server, cookie, triggerId).catch(() => undefined);
			await delay(1_000);
			expect(sandbox.deliveryReportUrl).toBe(other);
			sandbox.deliveryReportUrl = '';

			await deactivate(server, cookie, senderId);
			process.stderr.write(
				`Trigger e2e: ${sandbox.pushes.length} push(es), ${executions.length} execution(s), items ${JSON.stringify(items)}\n`,
			);
		}, 5 * 60_000);

		test('incoming SMS: an SMS injected in the sandbox starts the polling workflow once; each poll asks from where the last one stopped', async () => {
			const { sandbox, sandboxUrl } = context.environment();
			const server = context.server();
			const cookie = context.cookie();
			sandbox.reset();

			// Four fixed seconds a minute, 15 s apart (n8n refuses a poll time that fires more than once a minute).
			const { workflow, seconds } = withQuickPolls(
				triggerWorkflow('TargetSMS e2e: incoming SMS', { event: 'incomingSms' }).workflow,
				'n8n-nodes-targetsms.targetSmsTrigger',
			);
			const triggerId = (await server.createWorkflow(cookie, workflow)).id;
			expect(await tryActivate(server, cookie, triggerId)).toBeUndefined();

			// The poll at activation: one incoming.php call; it sets the workflow's cursor (no execution: nothing new).
			const atActivation = await waitFor('the poll at activation', () => {
				const calls = providerCalls(sandbox.requests, '/xml/incoming.php');
				return calls.length >= 1 ? calls : undefined;
			}, 20_000);
			expect(atActivation).toHaveLength(1);
			// The incoming-SMS workflow has no webhook: no get_state.php call, the push URL left alone.
			expect(providerCalls(sandbox.requests, '/xml/get_state.php')).toEqual([]);
			expect(sandbox.deliveryReportUrl).toBe('');
			await delay(1_100); // the SMS lands in a later second than the cursor

			const injected = await fetch(`${sandboxUrl}/sandbox/incoming`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ from: '79001234567', text: 'ДА', to: '3443' }),
			});
			expect(injected.status).toBe(200);
			const sms = (await injected.json()) as { idSms: number };

			const executions = await waitFor('the execution of the injected SMS', async () => {
				const found = await finishedExecutions(server, cookie, triggerId);
				return found.length > 0 ? found : undefined;
			}, 40_000);
			const pollsUntilThen = providerCalls(sandbox.requests, '/xml/incoming.php').length;
			// Two more polls after it: neither starts the workflow again.
			await waitFor('two more polls', () => (providerCalls(sandbox.requests, '/xml/incoming.php').length >= pollsUntilThen + 2 ? true : undefined), 45_000);
			await delay(1_000);
			const all = await finishedExecutions(server, cookie, triggerId);
			expect(all).toHaveLength(1);
			expect(all[0]).toMatchObject({ id: executions[0].id, mode: 'trigger', status: 'success' });
			const items = await triggerItems(server, cookie, all);
			expect(items).toEqual([
				{
					smsId: sms.idSms,
					receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/),
					from: '79001234567',
					to: '3443',
					prefix: '',
					text: 'ДА',
				},
			]);

			// The state survived between polls: each window starts where the one before it stopped (the activation
			// poll's time, then the SMS's second, less the re-covered second), never again at "now".
			const starts = providerCalls(sandbox.requests, '/xml/incoming.php').map(
				(request) => /<time\b[^>]*\bstart="([^"]+)"/.exec(request.body)?.[1] ?? '',
			);
			expect(starts.every((start) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(start))).toBe(true);
			const afterSms = starts.slice(pollsUntilThen);
			expect(new Set(afterSms).size).toBe(1);
			const smsSecond = sandbox.incomingSms[0].receivedAt.getTime();
			const oneSecondBefore = new Date(smsSecond - 1_000 + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
			expect(afterSms[0]).toBe(oneSecondBefore);
			for (let index = 1; index < pollsUntilThen; index += 1) expect(starts[index] <= afterSms[0]).toBe(true);

			await deactivate(server, cookie, triggerId);
			process.stderr.write(`Incoming e2e: poll windows from ${JSON.stringify(starts)}, poll seconds ${JSON.stringify(seconds)}\n`);
		}, 5 * 60_000);
	});
}
