/**
 * Process environment for running n8n-core in-process.
 *
 * This module must be evaluated before n8n-core builds its first service: n8n-core's
 * `InstanceSettings` reads `N8N_USER_FOLDER` when it is first resolved from the DI
 * container and writes `<folder>/.n8n/config` (holding the encryption key) there.
 * `index.ts` imports this module before anything from n8n-core or n8n-workflow.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];

function setDefault(name: string, value: string): void {
	if (process.env[name] === undefined || process.env[name] === '') {
		process.env[name] = value;
	}
}

/**
 * When an HTTP(S) proxy is configured in the environment, n8n-core routes requests through it
 * (it honours `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY`). Test servers live on loopback, so keep
 * loopback out of the proxy.
 */
function bypassProxyForLoopback(): void {
	const proxyVariables = [
		'HTTP_PROXY',
		'HTTPS_PROXY',
		'ALL_PROXY',
		'http_proxy',
		'https_proxy',
		'all_proxy',
	];
	if (!proxyVariables.some((name) => process.env[name])) return;
	for (const name of ['NO_PROXY', 'no_proxy']) {
		const current = (process.env[name] ?? '')
			.split(',')
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '');
		const missing = LOOPBACK_HOSTS.filter((host) => !current.includes(host));
		if (current.includes('*') || missing.length === 0) continue;
		process.env[name] = [...current, ...missing].join(',');
	}
}

const FOLDER_PREFIX = 'n8n-engine-harness-';

function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Removes user folders left by earlier processes that have ended. Under jest the `exit` listener
 * below never fires (jest gives each test file its own `process` object), so folders are
 * reclaimed here instead, the next time the harness is loaded.
 */
function removeStaleUserFolders(): void {
	let entries: string[];
	try {
		entries = readdirSync(tmpdir());
	} catch {
		return;
	}
	for (const entry of entries) {
		const match = new RegExp(`^${FOLDER_PREFIX}(\\d+)-`).exec(entry);
		if (match === null) continue;
		const pid = Number(match[1]);
		if (pid === process.pid || isProcessAlive(pid)) continue;
		try {
			rmSync(join(tmpdir(), entry), { recursive: true, force: true });
		} catch {
			// another process may be removing it at the same time
		}
	}
}

function createUserFolder(): string {
	removeStaleUserFolders();
	const folder = mkdtempSync(join(tmpdir(), `${FOLDER_PREFIX}${process.pid}-`));
	process.once('exit', () => {
		try {
			rmSync(folder, { recursive: true, force: true });
		} catch {
			// best effort: the folder only holds n8n-core's settings file
		}
	});
	return folder;
}

/** The fresh user folder n8n-core uses in this process (it writes `<folder>/.n8n/config`). */
export const harnessUserFolder: string = createUserFolder();

process.env.N8N_USER_FOLDER = harnessUserFolder;
// A fixed key keeps n8n-core from generating one (and logging about it) on first use.
setDefault('N8N_ENCRYPTION_KEY', 'n8n-engine-harness-encryption-key');
setDefault('N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS', 'false');
setDefault('N8N_DIAGNOSTICS_ENABLED', 'false');
setDefault('N8N_VERSION_NOTIFICATIONS_ENABLED', 'false');
// Node errors are reported through n8n-core's ErrorReporter, which logs them at error level;
// they are part of the run result, so keep the console quiet unless asked otherwise.
setDefault('N8N_LOG_LEVEL', 'silent');
bypassProxyForLoopback();
