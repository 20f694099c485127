import { sha256Hex } from './protocol/sha256';

/** How much {@link AttemptMemory} keeps; past either bound the oldest runs are forgotten first. */
export interface AttemptMemoryLimits {
	/** Remembered sends across all runs. */
	maxEntries: number;
	/** A run not touched for this long is forgotten (Retry On Fail waits at most 5 s between tries). */
	maxIdleMs: number;
}

export const DEFAULT_ATTEMPT_MEMORY_LIMITS: AttemptMemoryLimits = { maxEntries: 20_000, maxIdleMs: 60 * 60_000 };

interface RunEntry<T> {
	sends: Map<string, T>;
	touchedAt: number;
}

/**
 * What earlier attempts of one node run already sent, for sends the provider does not de-duplicate (email, OTP).
 * n8n's Retry On Fail runs the node again in the same execution and run index, in the same process (in queue mode
 * too: an execution runs in one worker), so an in-process memory keyed by the run is enough: a retry outputs what
 * was sent instead of sending it again. Bounded in entries and idle time, so a long-running n8n does not grow.
 */
export class AttemptMemory<T> {
	private readonly runs = new Map<string, RunEntry<T>>();
	private entries = 0;

	constructor(
		private readonly limits: AttemptMemoryLimits = DEFAULT_ATTEMPT_MEMORY_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	/** The sends remembered for a run (see {@link attemptRunKey}). */
	forRun(runKey: string): { recall(sendKey: string): T | undefined; remember(sendKey: string, value: T): void } {
		return {
			recall: (sendKey) => {
				const run = this.touch(runKey, false);
				return run?.sends.get(sendKey);
			},
			remember: (sendKey, value) => {
				const run = this.touch(runKey, true)!;
				if (!run.sends.has(sendKey)) this.entries++;
				run.sends.set(sendKey, value);
				this.evict(runKey);
			},
		};
	}

	/** Remembered sends in all runs. */
	get size(): number {
		return this.entries;
	}

	private touch(runKey: string, create: boolean): RunEntry<T> | undefined {
		this.forgetIdle();
		let run = this.runs.get(runKey);
		if (run) {
			// Re-inserted so that the map's order stays least recently used first.
			this.runs.delete(runKey);
		} else if (create) {
			run = { sends: new Map(), touchedAt: 0 };
		} else {
			return undefined;
		}
		run.touchedAt = this.now();
		this.runs.set(runKey, run);
		return run;
	}

	private forgetIdle(): void {
		const oldest = this.now() - this.limits.maxIdleMs;
		for (const [key, run] of this.runs) {
			if (run.touchedAt >= oldest) break;
			this.drop(key, run);
		}
	}

	private evict(keep: string): void {
		for (const [key, run] of this.runs) {
			if (this.entries <= this.limits.maxEntries) return;
			if (key === keep) continue;
			this.drop(key, run);
		}
		// A single run larger than the bound keeps only its newest sends.
		const run = this.runs.get(keep);
		if (!run) return;
		for (const sendKey of run.sends.keys()) {
			if (this.entries <= this.limits.maxEntries) return;
			run.sends.delete(sendKey);
			this.entries--;
		}
	}

	private drop(key: string, run: RunEntry<T>): void {
		this.runs.delete(key);
		this.entries -= run.sends.size;
	}
}

/** The node run an attempt belongs to: the same for every Retry On Fail try of it. */
export function attemptRunKey(run: {
	instanceId: string;
	workflowId: string;
	executionId: string;
	nodeName: string;
	runIndex: number;
}): string {
	return JSON.stringify([run.instanceId, run.workflowId, run.executionId, run.nodeName, run.runIndex]);
}

/** One send of a run: its item and everything that goes into the request, so a changed request is sent anew. */
export function attemptSendKey(itemIndex: number, request: unknown): string {
	return `${itemIndex}:${sha256Hex(JSON.stringify(request))}`;
}
