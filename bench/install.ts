/**
 * The peers' package, n8n-nodes-base (for n8n's own HTTP Request node), installed into a cache folder the way n8n
 * itself installs packages (scripts off), never into this checkout: $TARGETSMS_BENCH_CACHE, else
 * ~/.cache/n8n-nodes-targetsms/bench. About 800 MB, a minute or two the first time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const N8N_NODES_BASE_VERSION = '2.41.1';

export function benchCacheDir(): string {
	return process.env.TARGETSMS_BENCH_CACHE || join(homedir(), '.cache', 'n8n-nodes-targetsms', 'bench');
}

/** The folder holding node_modules/n8n-nodes-base, installed if missing. */
export function ensurePeers(log: (line: string) => void): string {
	const folder = join(benchCacheDir(), `n8n-nodes-base-${N8N_NODES_BASE_VERSION}`);
	const manifest = join(folder, 'node_modules', 'n8n-nodes-base', 'package.json');
	if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version === N8N_NODES_BASE_VERSION) {
		return folder;
	}
	log(`Installing n8n-nodes-base@${N8N_NODES_BASE_VERSION} into ${folder} (scripts off; once) …`);
	mkdirSync(folder, { recursive: true });
	writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'targetsms-bench-peers', private: true }, null, '\t') + '\n');
	execFileSync(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--package-lock=false', `n8n-nodes-base@${N8N_NODES_BASE_VERSION}`],
		{ cwd: folder, stdio: ['ignore', 'inherit', 'inherit'] },
	);
	return folder;
}
