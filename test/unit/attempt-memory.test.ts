import fc from 'fast-check';

import { AttemptMemory, attemptRunKey, attemptSendKey } from '../../nodes/shared/attempt-memory';

const run = (executionId: string, runIndex = 0) =>
	attemptRunKey({ instanceId: 'i', workflowId: 'w', executionId, nodeName: 'Send', runIndex });

describe('AttemptMemory', () => {
	it('recalls a send of the same run and send key, and nothing else', () => {
		const memory = new AttemptMemory<string>();
		memory.forRun(run('1')).remember(attemptSendKey(0, { to: 'a' }), 'sent a');
		expect(memory.forRun(run('1')).recall(attemptSendKey(0, { to: 'a' }))).toBe('sent a');
		expect(memory.forRun(run('1')).recall(attemptSendKey(1, { to: 'a' }))).toBeUndefined();
		expect(memory.forRun(run('1')).recall(attemptSendKey(0, { to: 'b' }))).toBeUndefined();
		expect(memory.forRun(run('2')).recall(attemptSendKey(0, { to: 'a' }))).toBeUndefined();
		expect(memory.forRun(run('1', 1)).recall(attemptSendKey(0, { to: 'a' }))).toBeUndefined();
	});

	it('never holds more than its bound, however many runs and sends a long-running process sees', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.nat({ max: 300 }), fc.nat({ max: 400 })), { minLength: 1, maxLength: 3_000 }),
				fc.integer({ min: 1, max: 200 }),
				(sends, maxEntries) => {
					const memory = new AttemptMemory<number>({ maxEntries, maxIdleMs: 60_000 });
					for (const [execution, item] of sends) {
						memory.forRun(run(String(execution))).remember(attemptSendKey(item, {}), item);
						expect(memory.size).toBeLessThanOrEqual(maxEntries);
					}
					// The newest send is always kept.
					const [execution, item] = sends[sends.length - 1];
					expect(memory.forRun(run(String(execution))).recall(attemptSendKey(item, {}))).toBe(item);
				},
			),
		);
	});

	it('keeps the most recently used runs when it must forget', () => {
		const memory = new AttemptMemory<string>({ maxEntries: 2, maxIdleMs: 60_000 });
		memory.forRun(run('old')).remember('0', 'old');
		memory.forRun(run('kept')).remember('0', 'kept');
		expect(memory.forRun(run('old')).recall('0')).toBe('old');
		memory.forRun(run('new')).remember('0', 'new');
		expect(memory.forRun(run('kept')).recall('0')).toBeUndefined();
		expect(memory.forRun(run('old')).recall('0')).toBe('old');
		expect(memory.forRun(run('new')).recall('0')).toBe('new');
	});

	it('forgets runs idle for longer than its limit', () => {
		let now = 0;
		const memory = new AttemptMemory<string>({ maxEntries: 100, maxIdleMs: 1_000 }, () => now);
		memory.forRun(run('1')).remember('0', 'a');
		now = 900;
		expect(memory.forRun(run('1')).recall('0')).toBe('a');
		now = 1_850;
		expect(memory.forRun(run('1')).recall('0')).toBe('a');
		now = 3_000;
		memory.forRun(run('2')).remember('0', 'b');
		expect(memory.size).toBe(1);
		expect(memory.forRun(run('1')).recall('0')).toBeUndefined();
	});

	it('a 100 000-send run in a memory of 20 000 keeps only its newest sends', () => {
		const memory = new AttemptMemory<number>();
		const sends = memory.forRun(run('big'));
		for (let item = 0; item < 100_000; item++) sends.remember(attemptSendKey(item, {}), item);
		expect(memory.size).toBe(20_000);
		expect(sends.recall(attemptSendKey(99_999, {}))).toBe(99_999);
		expect(sends.recall(attemptSendKey(0, {}))).toBeUndefined();
	});
});
