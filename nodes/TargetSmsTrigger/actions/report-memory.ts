import type { IDataObject } from 'n8n-workflow';

/** How many (id, status) pairs are remembered: beyond that, the oldest are forgotten. */
export const REMEMBERED_REPORTS = 10_000;

/** Insertion-ordered keys, the oldest dropped past the limit. */
class BoundedKeys {
	private readonly keys = new Set<string>();

	constructor(private readonly limit: number) {}

	has(key: string): boolean {
		return this.keys.has(key);
	}

	add(key: string): void {
		this.keys.delete(key);
		this.keys.add(key);
		while (this.keys.size > this.limit) {
			const oldest = this.keys.values().next().value as string;
			this.keys.delete(oldest);
		}
	}

	values(): string[] {
		return [...this.keys];
	}
}

/**
 * The in-process guard: n8n loads a workflow's static data before each webhook call and saves it after, so two pushes
 * handled at the same time both start from the same copy. Claims made here are seen by every call of this process at
 * once. Keyed by workflow and node.
 */
const claimed = new Map<string, BoundedKeys>();

function guardOf(scope: string): BoundedKeys {
	let keys = claimed.get(scope);
	if (keys === undefined) {
		keys = new BoundedKeys(REMEMBERED_REPORTS);
		claimed.set(scope, keys);
	}
	return keys;
}

const STATIC_KEY = 'seenReports';

/**
 * Claims each key not seen before, in the workflow's static data (kept between calls and restarts) and in this process;
 * returns the keys claimed now. The static data is rewritten with the newest {@link REMEMBERED_REPORTS} keys of both,
 * so a save from a concurrent call does not drop what another call claimed.
 */
export function claimNewReports(staticData: IDataObject, scope: string, keys: readonly string[]): string[] {
	const guard = guardOf(scope);
	const stored = new BoundedKeys(REMEMBERED_REPORTS);
	const previous = staticData[STATIC_KEY];
	for (const key of Array.isArray(previous) ? previous : []) if (typeof key === 'string') stored.add(key);
	const fresh: string[] = [];
	for (const key of keys) {
		if (guard.has(key) || stored.has(key)) continue;
		guard.add(key);
		fresh.push(key);
	}
	if (fresh.length > 0) {
		for (const key of guard.values()) if (!stored.has(key)) stored.add(key);
		for (const key of fresh) stored.add(key);
		staticData[STATIC_KEY] = stored.values();
	}
	return fresh;
}

/** Test-only: forgets the in-process claims (as a restart of n8n would). */
export function forgetClaimsForTests(): void {
	claimed.clear();
}
