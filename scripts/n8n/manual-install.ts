/**
 * The README's manual install, run exactly as written: its two shell blocks (by name from a registry, and from the
 * packed tarball) are read from README.md, where they follow `<!-- manual-install: registry -->` and
 * `<!-- manual-install: tarball -->` (the English and the Russian section must carry the same commands), and run with
 * bash with `HOME` set to a folder of the caller's choice, so `~/.n8n/nodes` is that folder's; the tarball block's
 * example path is replaced by the real tarball, and a registry (the local one) is given to npm by its environment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import { repositoryRoot } from './paths';
import { cleanEnvironment, runChecked } from './process';

export type ManualInstallKind = 'registry' | 'tarball';

/** The tarball path the README shows, `/path/to/n8n-nodes-targetsms-<version>.tgz`. */
const EXAMPLE_TARBALL = /\/path\/to\/n8n-nodes-targetsms-([0-9A-Za-z.+-]+)\.tgz/;

export function readmeInstallCommands(root = repositoryRoot()): Record<ManualInstallKind, string> {
	const readme = readFileSync(join(root, 'README.md'), 'utf8');
	const blocks = (kind: ManualInstallKind): string[] =>
		[...readme.matchAll(new RegExp(`<!-- manual-install: ${kind} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1].trim());
	const result = {} as Record<ManualInstallKind, string>;
	for (const kind of ['registry', 'tarball'] as const) {
		const found = blocks(kind);
		if (found.length !== 2) throw new Error(`README.md has ${found.length} "manual-install: ${kind}" blocks, expected 2 (English, Russian)`);
		if (found[0] !== found[1]) throw new Error(`README.md's English and Russian "manual-install: ${kind}" blocks differ`);
		result[kind] = found[0];
	}
	const version = EXAMPLE_TARBALL.exec(result.tarball)?.[1];
	const { version: packageVersion } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
	if (version !== packageVersion) throw new Error(`README.md's tarball is version ${version}, package.json says ${packageVersion}`);
	return result;
}

export interface ManualInstallResult {
	/** `<home>/.n8n/nodes`. */
	nodesFolder: string;
	/** Top-level packages in its node_modules (scopes counted per package). */
	packages: string[];
	output: string;
}

/**
 * Runs one README block. `nodeBinFolder` goes first on PATH (npm then runs on that Node.js); `registry` is npm's
 * registry for the run (`npm_config_registry`); `tarball` replaces the README's example path.
 */
export async function runManualInstall(
	kind: ManualInstallKind,
	options: { home: string; nodeBinFolder?: string; registry?: string; tarball?: string; root?: string },
): Promise<ManualInstallResult> {
	let script = readmeInstallCommands(options.root)[kind];
	if (kind === 'tarball') {
		if (options.tarball === undefined) throw new Error('The tarball block needs a tarball');
		script = script.replace(EXAMPLE_TARBALL, options.tarball);
	}
	const base = cleanEnvironment();
	const environment: NodeJS.ProcessEnv = {
		...base,
		HOME: options.home,
		PATH: [options.nodeBinFolder, base.PATH].filter((part) => part !== undefined && part !== '').join(delimiter),
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		...(options.registry === undefined ? {} : { npm_config_registry: options.registry }),
	};
	const { stdout, stderr } = await runChecked('bash', ['-euo', 'pipefail', '-c', script], {
		cwd: options.home,
		env: environment,
		timeoutMs: 300_000,
	});
	const nodesFolder = join(options.home, '.n8n', 'nodes');
	const modules = join(nodesFolder, 'node_modules');
	const packages = readdirSync(modules)
		.filter((entry) => !entry.startsWith('.'))
		.flatMap((entry) => (entry.startsWith('@') ? readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`) : [entry]));
	return { nodesFolder, packages, output: stdout + stderr };
}
