/**
 * `npm run test:queue`: the package in n8n's queue mode (test/queue/environment.ts: Redis, PostgreSQL, a main, two
 * workers). Example 01's production webhook is called 100 times, 10 calls at a time, each order with 5 phones; the
 * sandbox is asked what it received (raw requests) and what it accepted. Then the same again with one worker killed
 * (SIGKILL) while it runs executions: n8n fails them once their lock has run out, their callers get an HTTP error and
 * post the same order again, and the order number as the node's Deduplication Key keeps every recipient at one SMS.
 */
import { type N8nWorker } from '../../scripts/n8n/instance';
import { QueueEnvironment, SHORT_LOCKS, WORKER_CONCURRENCY } from './environment';

const CALLS = 100;
const PARALLEL_CALLS = 10;
const PHONES_PER_ORDER = 5;
/** How often a caller posts the same order before it gives up. */
const ATTEMPTS = 5;
const MESSAGE_PATH = '/xml/message.php';

interface Order {
	orderId: number;
	phone: string;
	name: string;
	total: number;
}

interface Call {
	order: Order;
	/** The HTTP status of each post of this order, in order; 0: no answer (connection error). */
	statuses: number[];
	/** When each non-200 answer came, ms since the epoch. */
	failedAt: number[];
	answer?: Record<string, unknown>;
}

/** Phone `j` of order `index`: 11 digits, unique over the run, last digit 1–5 (the sandbox delivers those). */
function phonesOf(run: number, index: number): string[] {
	return Array.from({ length: PHONES_PER_ORDER }, (_, j) => `79${run}${String(index).padStart(3, '0')}${String(j + 1).padStart(5, '0')}`);
}

function ordersOf(run: number): Order[] {
	return Array.from({ length: CALLS }, (_, index) => ({
		orderId: run * 100_000 + index,
		phone: phonesOf(run, index).map((phone) => `+${phone}`).join(', '),
		name: 'Анна',
		total: 1000 + index,
	}));
}

/** Posts every order, `PARALLEL_CALLS` at a time; a caller posts an order again while the answer is not 200. */
async function postAll(url: string, orders: readonly Order[]): Promise<{ calls: Call[]; seconds: number }> {
	const calls: Call[] = orders.map((order) => ({ order, statuses: [], failedAt: [] }));
	let next = 0;
	const started = Date.now();
	const caller = async (): Promise<void> => {
		while (next < calls.length) {
			const call = calls[next];
			next += 1;
			while (call.statuses.length < ATTEMPTS && call.statuses.at(-1) !== 200) {
				const status = await fetch(url, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify(call.order),
				}).then(
					async (response) => {
						const text = await response.text();
						if (response.status === 200) call.answer = JSON.parse(text) as Record<string, unknown>;
						return response.status;
					},
					() => 0,
				);
				call.statuses.push(status);
				if (status !== 200) call.failedAt.push(Date.now());
			}
		}
	};
	await Promise.all(Array.from({ length: PARALLEL_CALLS }, caller));
	return { calls, seconds: (Date.now() - started) / 1000 };
}

/** Every client_id_message the sandbox received in send requests (repeats included), in arrival order. */
function sentClientIds(environment: QueueEnvironment): string[] {
	return environment.sandbox.requests
		.filter(({ path }) => path === MESSAGE_PATH)
		.flatMap(({ body }) => [...body.matchAll(/client_id_message="([0-9]+)"/g)].map((match) => match[1]));
}

function repeats(values: readonly string[]): number {
	return values.length - new Set(values).size;
}

/** What the sandbox accepted, checked against the orders: each recipient exactly once, none lost. */
function expectEveryRecipientOnce(environment: QueueEnvironment, orders: readonly Order[], run: number): void {
	const accepted = environment.sandbox.messages;
	const expected = orders.flatMap((_, index) => phonesOf(run, index)).sort();
	expect(accepted.map(({ phone }) => phone).sort()).toEqual(expected);
	const ids = accepted.map(({ clientIdMessage }) => clientIdMessage);
	expect(ids.every((id) => id !== null && /^[1-9][0-9]*$/.test(id))).toBe(true);
	expect(new Set(ids).size).toBe(expected.length);
	for (const message of accepted) {
		const index = orders.findIndex((_, candidate) => phonesOf(run, candidate).includes(message.phone));
		expect(message.textSms).toBe(`Анна, заказ №${orders[index].orderId} на ${orders[index].total} ₽ принят. Спасибо!`);
	}
}

/** Each call's answer (Respond to Webhook: the SMS node's first item) names the order's first phone. */
function expectAnswers(calls: readonly Call[], run: number): void {
	calls.forEach((call, index) => {
		expect(call.statuses.at(-1)).toBe(200);
		expect(call.answer).toMatchObject({ phone: phonesOf(run, index)[0], status: 'send', clientMessageId: expect.stringMatching(/^[1-9][0-9]*$/) });
	});
}

function workerShares(workers: readonly N8nWorker[], executionIds: ReadonlySet<string>): Record<string, number> {
	return Object.fromEntries(workers.map((worker) => [worker.label, worker.startedExecutions.filter((id) => executionIds.has(id)).length]));
}

async function waitUntil(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('n8n queue mode: a main and two workers', () => {
	let environment: QueueEnvironment;

	/** Runs a test; on a failure, prints the last lines of every n8n process first. */
	async function withTails(body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (error) {
			process.stderr.write(environment.outputTails(25));
			throw error;
		}
	}

	beforeAll(async () => {
		environment = await QueueEnvironment.start();
	}, 15 * 60_000);

	afterAll(async () => {
		await environment?.stop();
	}, 2 * 60_000);

	test('100 webhook calls × 5 phones, 10 at a time: every recipient accepted once, both workers used', () =>
		withTails(async () => {
			const run = 1;
			environment.sandbox.reset();
			const orders = ordersOf(run);
			const { calls, seconds } = await postAll(environment.webhookUrl, orders);

			expect(calls.map(({ statuses }) => statuses)).toEqual(orders.map(() => [200]));
			expectAnswers(calls, run);
			// The wire: one send request per call, every recipient's id once, no repeat.
			const sends = environment.sandbox.requests.filter(({ path }) => path === MESSAGE_PATH);
			expect(sends).toHaveLength(CALLS);
			expect(environment.sandbox.requests).toHaveLength(CALLS);
			const ids = sentClientIds(environment);
			expect(ids).toHaveLength(CALLS * PHONES_PER_ORDER);
			expect(repeats(ids)).toBe(0);
			expectEveryRecipientOnce(environment, orders, run);

			const executions = await environment.executions();
			expect(executions).toHaveLength(CALLS);
			for (const execution of executions) expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
			const executionIds = new Set(executions.map(({ id }) => id));
			const shares = workerShares(environment.workers, executionIds);
			for (const share of Object.values(shares)) expect(share).toBeGreaterThan(0);
			expect(Object.values(shares).reduce((sum, share) => sum + share, 0)).toBe(CALLS);

			process.stderr.write(
				`Queue mode: ${CALLS} calls × ${PHONES_PER_ORDER} phones in ${seconds.toFixed(1)} s = ` +
					`${(CALLS / seconds).toFixed(1)} executions/s (${((CALLS * PHONES_PER_ORDER) / seconds).toFixed(0)} SMS/s); ` +
					`executions per worker ${JSON.stringify(shares)}\n`,
			);
	}), 10 * 60_000);

	test('one worker killed (SIGKILL) mid-run: its executions fail, the callers post again, no recipient gets two SMS and none is lost', () =>
		withTails(async () => {
			const run = 2;
			const sandbox = environment.sandbox;
			sandbox.reset();
			// The provider answers each send 1.5 s after accepting it: executions are in flight when the worker dies, some
			// of them with their SMS already accepted.
			sandbox.failNext({ kind: 'slow', delayMs: 1_500, path: MESSAGE_PATH, times: Infinity });
			const [survivor, victim] = environment.workers;
			const lastExecution = Number((await environment.executions()).at(-1)?.id ?? 0);
			const startedBefore = victim.startedExecutions.length;
			const orders = ordersOf(run);

			let killedAt = 0;
			let inFlightAtKill = 0;
			const killer = (async () => {
				await waitUntil(
					'the victim worker to run executions',
					() => victim.startedExecutions.length >= startedBefore + WORKER_CONCURRENCY && sandbox.requests.length >= 20,
					120_000,
				);
				inFlightAtKill = sandbox.requests.filter(({ status }) => status === 0).length;
				killedAt = Date.now();
				victim.kill('SIGKILL');
				await victim.exited;
			})();
			const [{ calls, seconds }] = await Promise.all([postAll(environment.webhookUrl, orders), killer]);

			const failed = calls.filter(({ statuses }) => statuses.length > 1);
			const failedAt = failed.flatMap(({ failedAt }) => failedAt);
			const ids = sentClientIds(environment);
			const executions = await environment.executions(lastExecution);
			const statuses = executions.reduce<Record<string, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
			const figures = {
				seconds: Number(seconds.toFixed(1)),
				executionsPerSecond: Number((executions.length / seconds).toFixed(1)),
				sendRequestsInFlightAtKill: inFlightAtKill,
				callsFailedAndPostedAgain: failed.length,
				failedAnswers: [...new Set(failed.flatMap(({ statuses }) => statuses.filter((status) => status !== 200)))],
				secondsFromKillToFirstFailure: failedAt.length === 0 ? null : Number(((Math.min(...failedAt) - killedAt) / 1000).toFixed(1)),
				secondsFromKillToLastFailure: failedAt.length === 0 ? null : Number(((Math.max(...failedAt) - killedAt) / 1000).toFixed(1)),
				clientIdsSent: ids.length,
				repeatsDropped: repeats(ids),
				accepted: sandbox.messages.length,
				executions: statuses,
				lockSettings: SHORT_LOCKS,
			};
			process.stderr.write(`Queue mode, a worker killed: ${JSON.stringify(figures)}\n`);

			expect(victim.running).toBe(false);
			expect(survivor.running).toBe(true);
			// The kill hit executions: their callers got an error and posted again, and every call ended answered.
			expect(failed.length).toBeGreaterThan(0);
			expectAnswers(calls, run);
			// Some SMS had been accepted before the worker died: the second post sent their ids again and the provider
			// dropped the repeats. Every recipient accepted exactly once, none lost.
			expect(figures.repeatsDropped).toBeGreaterThan(0);
			expect(new Set(ids).size).toBe(CALLS * PHONES_PER_ORDER);
			expectEveryRecipientOnce(environment, orders, run);
			// n8n's records: each failed post is an execution in error, each call's last post one in success.
			expect(statuses.success).toBe(CALLS);
			expect(executions.length - CALLS).toBe(failed.reduce((sum, { statuses: posts }) => sum + posts.length - 1, 0));

			// Such an execution in n8n's executions list: failed as stalled, and its Retry sends nothing (n8n kept no
			// run data of the killed worker's nodes): only the caller's second post delivered those recipients.
			const main = environment.server;
			const cookie = await main.setUpOwner();
			const stalled = executions.find(({ status }) => status === 'error');
			if (!stalled) throw new Error('No execution in error');
			const detail = await main.execution(cookie, stalled.id);
			const requestsBefore = sandbox.requests.length;
			const retry = await main.retryExecution(cookie, stalled.id);
			await new Promise((resolve) => setTimeout(resolve, 3_000));
			const { error, runData } = detail.run.data.resultData;
			process.stderr.write(
				`A stalled execution: ${JSON.stringify({ id: stalled.id, error: error?.message, nodesRun: Object.keys(runData), retry: { id: retry.id, status: retry.status } })}\n`,
			);
			// n8n 2.41.1's MaxStalledCountError.
			expect(error?.message).toMatch(/failed to be processed too many times/);
			expect(Object.keys(runData)).toEqual([]);
			expect(retry).toMatchObject({ mode: 'retry', status: 'error' });
			expect(String(retry.retryOf)).toBe(stalled.id);
			expect(sandbox.requests.length).toBe(requestsBefore);
	}), 10 * 60_000);
});
