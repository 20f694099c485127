import fc from 'fast-check';

import { mapWithConcurrency } from '../../../nodes/shared/concurrency';

/** A task that records how many tasks run at once and finishes when the scheduler lets it. */
function trackedTask(schedule: <T>(value: Promise<T>) => Promise<T>) {
	const stats = { inFlight: 0, maxInFlight: 0, calls: [] as Array<[number, number]> };
	const task = async (input: number, index: number) => {
		stats.calls.push([input, index]);
		stats.inFlight++;
		stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
		try {
			return await schedule(Promise.resolve(input * 10));
		} finally {
			stats.inFlight--;
		}
	};
	return { stats, task };
}

describe('mapWithConcurrency', () => {
	it('keeps the inputs\' order and never runs more than the limit at once, whatever order tasks finish in', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.scheduler(),
				fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 30 }),
				fc.integer({ min: 1, max: 12 }),
				async (scheduler, inputs, limit) => {
					const { stats, task } = trackedTask((value) => scheduler.schedule(value));
					const results = await scheduler.waitFor(mapWithConcurrency(inputs, limit, task));
					expect(results).toEqual(inputs.map((input) => input * 10));
					expect(stats.maxInFlight).toBeLessThanOrEqual(limit);
					expect(stats.maxInFlight).toBe(Math.min(limit, inputs.length));
					expect(stats.inFlight).toBe(0);
					expect([...stats.calls].sort((a, b) => a[1] - b[1])).toEqual(inputs.map((input, index) => [input, index]));
				},
			),
		);
	});

	it('keeps the order with real random delays', async () => {
		const inputs = Array.from({ length: 25 }, (_, index) => index);
		let inFlight = 0;
		let maxInFlight = 0;
		const results = await mapWithConcurrency(inputs, 4, async (input) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 6)));
			inFlight--;
			return `#${input}`;
		});
		expect(results).toEqual(inputs.map((input) => `#${input}`));
		expect(maxInFlight).toBe(4);
	});

	it('starts the next input as soon as one finishes, not in waves', async () => {
		const release: Array<() => void> = [];
		const started: number[] = [];
		const running = mapWithConcurrency([0, 1, 2, 3], 2, (input) => {
			started.push(input);
			return new Promise<number>((resolve) => release.push(() => resolve(input)));
		});
		expect(started).toEqual([0, 1]);
		release[1]();
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual([0, 1, 2]);
		release[0]();
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual([0, 1, 2, 3]);
		release[2]();
		release[3]();
		expect(await running).toEqual([0, 1, 2, 3]);
	});

	it('runs every input at once when the limit is larger than the inputs', async () => {
		const { stats, task } = trackedTask((value) => value);
		const running = mapWithConcurrency([1, 2, 3], 50, task);
		expect(stats.inFlight).toBe(3);
		expect(await running).toEqual([10, 20, 30]);
		expect(stats.maxInFlight).toBe(3);
	});

	it('returns an empty list for no inputs without calling the task', async () => {
		const task = jest.fn(async () => 1);
		await expect(mapWithConcurrency([], 5, task)).resolves.toEqual([]);
		expect(task).not.toHaveBeenCalled();
	});

	it('runs one at a time when given a limit below 1', async () => {
		for (const limit of [0, -3]) {
			const { stats, task } = trackedTask((value) => value);
			expect(await mapWithConcurrency([1, 2, 3], limit, task)).toEqual([10, 20, 30]);
			expect(stats.maxInFlight).toBe(1);
		}
	});

	it('rejects with the error of a task that fails', async () => {
		await expect(
			mapWithConcurrency([1, 2, 3], 2, async (input) => {
				if (input === 2) throw new Error('boom');
				return input;
			}),
		).rejects.toThrow('boom');
	});
});
