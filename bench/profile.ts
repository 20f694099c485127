/**
 * Summarises a `.cpuprofile` (from `npm run bench -- --cpu-prof=DIR`): self time by function, and total (inclusive)
 * time of the functions that match a filter. `node build-test/bench/profile.js FILE [--top=N] [--match=TEXT]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

function main(): void {
	const [file, ...flags] = process.argv.slice(2);
	const top = Number(flags.find((flag) => flag.startsWith('--top='))?.slice(6) ?? 40);
	const match = flags.find((flag) => flag.startsWith('--match='))?.slice(8);
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const self = new Map<number, number>();
	profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
	const total = [...self.values()].reduce((sum, value) => sum + value, 0);
	const label = (node: ProfileNode) => {
		const url = node.callFrame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '~/').replace(/.*\/(dist|build-test)\//, '$1/');
		return `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber + 1}`;
	};
	const selfByLabel = new Map<string, number>();
	for (const [id, time] of self) {
		const key = label(byId.get(id)!);
		selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + time);
	}
	const print = (entries: Array<[string, number]>) =>
		entries.slice(0, top).forEach(([key, time]) => process.stdout.write(`${(time / 1000).toFixed(0).padStart(7)} ms ${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}\n`));
	process.stdout.write(`total ${(total / 1000).toFixed(0)} ms\n-- self --\n`);
	print([...selfByLabel.entries()].sort((a, b) => b[1] - a[1]));
	if (match) {
		// Inclusive time: each sample counted once for every distinct matching frame on its stack.
		const inclusive = new Map<string, number>();
		for (const [id, time] of self) {
			const seen = new Set<string>();
			for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
				const key = label(byId.get(current)!);
				if (key.includes(match) && !seen.has(key)) {
					seen.add(key);
					inclusive.set(key, (inclusive.get(key) ?? 0) + time);
				}
			}
		}
		process.stdout.write(`-- inclusive, matching "${match}" --\n`);
		print([...inclusive.entries()].sort((a, b) => b[1] - a[1]));
	}
}

main();
