/**
 * A local npm registry on loopback (Verdaccio), so that the package can be installed the way users install it from
 * npm — by name, through n8n's Community nodes screen or `npm install` — before it is published. Our package lives
 * only here (no uplink for its name); every other package (its runtime dependencies) is proxied from the npm
 * registry the machine uses.
 *
 * Verdaccio is installed like n8n: into the cache folder (`<cache>/verdaccio-<version>/`, with the same completion
 * marker and lock), never as a dependency of the package. 6.8.0 is the newest that runs on Node.js 20 (6.10 wants
 * Node.js 22) and installs with `"overrides": {"node-fetch": "2.7.0"}`.
 *
 *   const registry = await LocalRegistry.start(folder);   // http://127.0.0.1:<port>/
 *   await registry.publish(tarball);                      // as an authenticated user, like `npm publish`
 *   await registry.stop();
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { type Log, MARKER, npmInstall, prepareFolder, withLock } from './install';
import { freePort } from './instance';
import { cacheRoot } from './paths';
import { cleanEnvironment, formatDuration, GroupProcess, runChecked, tail } from './process';

export const VERDACCIO_VERSION = '6.8.0';
const VERDACCIO_OVERRIDES = { 'node-fetch': '2.7.0' };
const PACKAGE_NAME = 'n8n-nodes-targetsms';

export function verdaccioFolder(root = cacheRoot()): string {
	return join(root, `verdaccio-${VERDACCIO_VERSION}`);
}

function verdaccioEntry(root = cacheRoot()): string {
	return join(verdaccioFolder(root), 'node_modules', 'verdaccio', 'bin', 'verdaccio');
}

/** Verdaccio in the cache, installed when missing (about 30 s with a warm npm cache). */
export async function ensureVerdaccio(options: { root?: string; log?: Log } = {}): Promise<string> {
	const root = options.root ?? cacheRoot();
	const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
	const folder = verdaccioFolder(root);
	if (existsSync(join(folder, MARKER))) return verdaccioEntry(root);
	mkdirSync(root, { recursive: true });
	return withLock(join(root, '.install.lock'), log, async () => {
		if (existsSync(join(folder, MARKER))) return verdaccioEntry(root);
		const started = Date.now();
		log(`Installing Verdaccio ${VERDACCIO_VERSION} (a local npm registry) into ${folder} …`);
		prepareFolder(folder, {
			name: 'targetsms-verdaccio',
			private: true,
			dependencies: { verdaccio: VERDACCIO_VERSION },
			overrides: VERDACCIO_OVERRIDES,
		});
		await npmInstall(folder, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], log);
		const { stdout } = await runChecked(process.execPath, [verdaccioEntry(root), '--version'], {
			cwd: folder,
			env: cleanEnvironment(),
			timeoutMs: 60_000,
		});
		if (!stdout.includes(VERDACCIO_VERSION)) throw new Error(`verdaccio --version printed ${stdout.trim()}`);
		writeFileSync(join(folder, MARKER), `verdaccio@${VERDACCIO_VERSION} installed ${new Date().toISOString()}\n`);
		log(`Verdaccio ${VERDACCIO_VERSION} installed in ${formatDuration(Date.now() - started)}.`);
		return verdaccioEntry(root);
	});
}

/** The registry the machine's npm uses, which Verdaccio proxies for every package but ours. */
function upstreamRegistry(): string {
	try {
		const configured = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: cleanEnvironment() }).trim();
		return configured.endsWith('/') ? configured : `${configured}/`;
	} catch {
		return 'https://registry.npmjs.org/';
	}
}

export class LocalRegistry {
	private token: string | undefined;

	private constructor(
		private readonly verdaccio: GroupProcess,
		readonly url: string,
		private readonly folder: string,
	) {}

	/** Starts Verdaccio on 127.0.0.1 (a free port) with its storage in `folder`; resolves once it answers. */
	static async start(folder: string, options: { port?: number; log?: Log } = {}): Promise<LocalRegistry> {
		const entry = await ensureVerdaccio({ log: options.log });
		mkdirSync(folder, { recursive: true });
		const listenPort = options.port ?? (await freePort());
		const config = join(folder, 'config.yaml');
		writeFileSync(
			config,
			[
				`storage: ${JSON.stringify(join(folder, 'storage'))}`,
				'auth:',
				'  htpasswd:',
				`    file: ${JSON.stringify(join(folder, 'htpasswd'))}`,
				'    max_users: 10',
				'uplinks:',
				'  upstream:',
				`    url: ${JSON.stringify(upstreamRegistry())}`,
				'    timeout: 60s',
				'packages:',
				// Ours only from here: never looked up upstream, where another package of that name may exist.
				`  '${PACKAGE_NAME}':`,
				'    access: $all',
				'    publish: $authenticated',
				'    unpublish: $authenticated',
				"  '**':",
				'    access: $all',
				'    publish: $authenticated',
				'    proxy: upstream',
				`listen: 127.0.0.1:${listenPort}`,
				'log: { type: stdout, format: pretty, level: warn }',
				'',
			].join('\n'),
		);
		const verdaccio = GroupProcess.spawn('Verdaccio', process.execPath, [entry, '--config', config], { cwd: folder, env: cleanEnvironment() });
		const registry = new LocalRegistry(verdaccio, `http://127.0.0.1:${listenPort}/`, folder);
		const deadline = Date.now() + 60_000;
		for (;;) {
			if (!verdaccio.running) throw new Error(`Verdaccio exited while starting:\n${tail(verdaccio.output, 40)}`);
			try {
				if ((await fetch(`${registry.url}-/ping`)).ok) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				verdaccio.kill('SIGKILL');
				throw new Error(`Verdaccio did not answer within 60 s:\n${tail(verdaccio.output, 40)}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		return registry;
	}

	/** An npm user config with this registry's auth token (a user is created the first time, as `npm adduser` does). */
	private async userConfig(): Promise<string> {
		if (this.token === undefined) {
			const response = await fetch(`${this.url}-/user/org.couchdb.user:publisher`, {
				method: 'PUT',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ name: 'publisher', password: 'local-registry-only' }),
			});
			const answer = (await response.json()) as { token?: string };
			if (!response.ok || answer.token === undefined) throw new Error(`Verdaccio refused the user: ${JSON.stringify(answer)}`);
			this.token = answer.token;
		}
		const file = join(this.folder, 'publisher.npmrc');
		const host = this.url.replace(/^http:/, '');
		writeFileSync(file, `${host}:_authToken=${this.token}\nupdate-notifier=false\nfund=false\naudit=false\n`);
		return file;
	}

	/** `npm publish <tarball>` to this registry. */
	async publish(tarball: string): Promise<void> {
		await runChecked('npm', ['publish', tarball, '--registry', this.url, '--userconfig', await this.userConfig(), '--ignore-scripts'], {
			cwd: this.folder,
			env: cleanEnvironment(),
			timeoutMs: 120_000,
		});
	}

	/** The versions of our package this registry holds. */
	async versions(): Promise<string[]> {
		const response = await fetch(`${this.url}${PACKAGE_NAME}`);
		if (response.status === 404) return [];
		const document = (await response.json()) as { versions?: Record<string, unknown> };
		return Object.keys(document.versions ?? {});
	}

	async stop(): Promise<void> {
		await this.verdaccio.stop(5_000);
	}
}

/**
 * The same package under another version (the tarball unpacked, `version` changed, packed again), to publish as an
 * update of the one already in the registry.
 */
export function retaggedTarball(tarball: string, version: string, folder: string): string {
	const work = join(folder, `retag-${version}`);
	rmSync(work, { recursive: true, force: true });
	mkdirSync(work, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', work]);
	const manifestPath = join(work, 'package', 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string };
	manifest.version = version;
	writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
	const output = join(folder, `${PACKAGE_NAME}-${version}.tgz`);
	execFileSync('tar', ['-czf', output, '-C', work, 'package']);
	return output;
}

/**
 * The environment that points n8n's Community nodes installer at this registry. `N8N_COMMUNITY_PACKAGES_REGISTRY`
 * is the installer's setting; npm's own registry setting is needed too, because n8n 2.41 runs its update check
 * (`npm outdated`, for the Community nodes screen's "Update") without passing the registry. A custom registry is a
 * licensed (enterprise) feature of n8n; see `N8nServer.enableCustomCommunityRegistry` for how tests unlock it.
 */
export function communityRegistryEnvironment(registry: LocalRegistry): Record<string, string> {
	return { N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url.replace(/\/+$/, ''), npm_config_registry: registry.url };
}
