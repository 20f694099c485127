/**
 * A real n8n around one user folder: the package installed the way a community install does it, credentials and
 * workflows imported with n8n's own commands, headless runs (`n8n execute`), and a server (`n8n start`) with owner
 * setup and login for tests that drive the REST API or the editor.
 *
 *   const instance = await N8nInstance.create({ userFolder });   // installs n8n into the cache when missing
 *   await instance.installPackage(await packPackage(tmp));
 *   await instance.importCredentials(sandboxCredentials(...));
 *   const id = await instance.importWorkflow(workflowJson);
 *   const result = await instance.execute(id);                   // result.run: n8n's run data
 *   const server = await instance.start({ port: 0 });             // server.url, after "Editor is now accessible"
 *   const cookie = await server.setUpOwner();                     // 'n8n-auth=…'
 *   await server.stop();
 *
 * Queue mode (`queue-services.ts`): give the instance `env: queueModeEnvironment(redis, postgres)`, publish the
 * workflows (`publishWorkflow`) before `start`, then `startWorker()` for each worker.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { n8nFlatted } from './database';
import { ensureN8n, type Log, type N8nRuntime, nodeEnvironment } from './install';
import { repositoryRoot } from './paths';
import { cleanEnvironment, CommandError, GroupProcess, run, runChecked, spawnInGroup } from './process';

/** The key n8n encrypts stored credentials with. Fixed, so a kept user folder stays readable across runs. */
export const ENCRYPTION_KEY = 'targetsms-local-n8n-encryption-key';

export const DEFAULT_OWNER: Owner = {
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'TargetSms-Demo-1',
};

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export interface N8nInstanceOptions {
	/** `N8N_USER_FOLDER`: n8n keeps its database, settings and community nodes in `<userFolder>/.n8n`. */
	userFolder: string;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/** Where the first install's progress goes (default: stderr). */
	log?: Log;
}

/** One credential as `n8n import:credentials` reads it (`data` in plain text; n8n encrypts it on import). */
export interface CredentialExport {
	id: string;
	name: string;
	type: string;
	data: Record<string, string | number | boolean>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<{ name: string; type: string; [key: string]: unknown }>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface ExecuteResult {
	/** The exit code: 1 when a node failed. */
	code: number | null;
	/** n8n's run data as printed with `--rawOutput` (absent when nothing parseable was printed). */
	run?: N8nRun;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface N8nRunError {
	message?: string;
	description?: string | null;
	node?: { name?: string };
	[key: string]: unknown;
}

/** The parts of n8n's run data the tests read. */
export interface N8nRun {
	status?: string;
	data: {
		resultData: {
			error?: N8nRunError;
			lastNodeExecuted?: string;
			runData: Record<
				string,
				Array<{
					error?: N8nRunError;
					data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
					[key: string]: unknown;
				}>
			>;
		};
	};
	[key: string]: unknown;
}

/** An execution as n8n's executions list shows it. */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	retryOf?: string | null;
	retrySuccessId?: string | null;
	[key: string]: unknown;
}

/** An execution with its run data, in the shape `n8n execute --rawOutput` prints (so nodeOutput/runErrors read it). */
export interface ExecutionDetail extends ExecutionSummary {
	run: N8nRun;
}

export class N8nInstance {
	readonly userFolder: string;
	private readonly extraEnvironment: Record<string, string>;

	constructor(
		readonly runtime: N8nRuntime,
		options: N8nInstanceOptions,
	) {
		this.userFolder = options.userFolder;
		this.extraEnvironment = options.env ?? {};
		mkdirSync(this.dataFolder, { recursive: true });
	}

	/** Installs n8n into the cache first when it is not there yet (minutes, once). */
	static async create(options: N8nInstanceOptions): Promise<N8nInstance> {
		return new N8nInstance(await ensureN8n({ log: options.log }), options);
	}

	/** `<userFolder>/.n8n`. */
	get dataFolder(): string {
		return join(this.userFolder, '.n8n');
	}

	/** The environment of every n8n process of this instance (the cached Node.js 24 first on PATH). */
	environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		return nodeEnvironment(this.runtime, {
			...cleanEnvironment(),
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_LOG_OUTPUT: 'console',
			...this.extraEnvironment,
			...extra,
		});
	}

	/**
	 * Installs a package tarball (from `packPackage`) with the steps n8n's own community install takes
	 * (CommunityPackagesService.downloadPackage in n8n 2.41): unpack it into `<userFolder>/.n8n/nodes/node_modules/
	 * <package>`, drop its dev, peer and optional dependencies from its package.json, `npm install` its runtime
	 * dependencies inside it (shallow, scripts off), and list it in `nodes/package.json`. Its node types then read
	 * `<package>.<node>`, as after an install from the editor's Community Nodes page.
	 */
	async installPackage(tarball: string): Promise<{ name: string; version: string }> {
		const nodesFolder = join(this.dataFolder, 'nodes');
		const unpacked = join(nodesFolder, '.unpack');
		rmSync(unpacked, { recursive: true, force: true });
		mkdirSync(unpacked, { recursive: true });
		await runChecked('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], { cwd: nodesFolder, env: cleanEnvironment() });
		const manifestPath = join(unpacked, 'package.json');
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; version: string; [key: string]: unknown };
		for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[key];
		writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf8');
		const packageFolder = join(nodesFolder, 'node_modules', manifest.name);
		rmSync(packageFolder, { recursive: true, force: true });
		mkdirSync(join(nodesFolder, 'node_modules'), { recursive: true });
		renameSync(unpacked, packageFolder);
		await runChecked(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: packageFolder, env: cleanEnvironment(), timeoutMs: 300_000 },
		);
		const listPath = join(nodesFolder, 'package.json');
		const list = existsSync(listPath)
			? (JSON.parse(readFileSync(listPath, 'utf8')) as { dependencies?: Record<string, string> })
			: {};
		const updated = { name: 'installed-nodes', private: true, ...list, dependencies: { ...list.dependencies, [manifest.name]: manifest.version } };
		writeFileSync(listPath, JSON.stringify(updated, null, 2), 'utf8');
		return { name: manifest.name, version: manifest.version };
	}

	async importCredentials(credentials: readonly CredentialExport[]): Promise<void> {
		const file = this.importFile('credentials.json', credentials);
		await this.command(['import:credentials', `--input=${file}`]);
	}

	/**
	 * Imports one workflow and returns its id: the workflow's own, else one derived from its name, so that the
	 * same workflow imported again replaces itself.
	 */
	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const id = workflow.id ?? derivedWorkflowId(workflow.name);
		const file = this.importFile(`workflow-${id}.json`, { ...workflow, id, active: false });
		await this.command(['import:workflow', `--input=${file}`]);
		return id;
	}

	/** Runs a workflow headless from its Manual Trigger: `n8n execute --id=<id> --rawOutput`. */
	async execute(workflowId: string, options: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const started = Date.now();
		const result = await run(this.runtime.node, [this.runtime.n8nEntry, 'execute', `--id=${workflowId}`, '--rawOutput'], {
			cwd: this.userFolder,
			env: this.environment({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) }),
			timeoutMs: options.timeoutMs ?? 180_000,
		});
		return { ...result, run: parseRunOutput(result.stdout), durationMs: Date.now() - started };
	}

	/** Starts `n8n start` on 127.0.0.1 (port 0 = any free port) and resolves once the editor is accessible. */
	async start(
		options: { port?: number; timeoutMs?: number; onOutput?: (chunk: string) => void; env?: Record<string, string> } = {},
	): Promise<N8nServer> {
		const port = options.port === undefined || options.port === 0 ? await freePort() : options.port;
		const url = `http://127.0.0.1:${port}`;
		const child = spawnInGroup(this.runtime.node, [this.runtime.n8nEntry, 'start'], {
			cwd: this.userFolder,
			env: this.environment({
				N8N_PORT: String(port),
				N8N_HOST: '127.0.0.1',
				N8N_PROTOCOL: 'http',
				N8N_EDITOR_BASE_URL: `${url}/`,
				N8N_WEBHOOK_URL: `${url}/`,
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				...options.env,
			}),
		});
		const server = new N8nServer(child, url, port);
		server.onOutput = options.onOutput;
		await server.ready(options.timeoutMs ?? 180_000);
		return server;
	}

	/**
	 * Starts `n8n worker --concurrency=N` (queue mode: give the instance `EXECUTIONS_MODE=queue` and the Redis and
	 * PostgreSQL settings) with its own task-runner broker port and its health server on a free loopback port, and
	 * resolves once it logs "n8n worker is now ready". Its log names each execution it starts ("Worker started
	 * execution <id>").
	 */
	async startWorker(
		options: { concurrency?: number; timeoutMs?: number; label?: string; env?: Record<string, string> } = {},
	): Promise<N8nWorker> {
		const healthPort = await freePort();
		const child = spawnInGroup(this.runtime.node, [this.runtime.n8nEntry, 'worker', `--concurrency=${options.concurrency ?? 5}`], {
			cwd: this.userFolder,
			env: this.environment({
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				...options.env,
			}),
		});
		const worker = new N8nWorker(child, options.label ?? 'n8n worker', healthPort);
		await worker.waitForOutput('n8n worker is now ready', options.timeoutMs ?? 180_000);
		return worker;
	}

	/** Activates an imported workflow from the command line (`n8n publish:workflow`), for a server started after it. */
	async publishWorkflow(workflowId: string): Promise<void> {
		await this.command(['publish:workflow', `--id=${workflowId}`]);
	}

	/** Runs an n8n command to its end; rejects with its output unless it exits 0. */
	async command(args: string[], timeoutMs = 180_000): Promise<string> {
		const result = await run(this.runtime.node, [this.runtime.n8nEntry, ...args], {
			cwd: this.userFolder,
			env: this.environment({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) }),
			timeoutMs,
		});
		if (result.code !== 0) throw new CommandError(`n8n ${args.join(' ')}`, result);
		return result.stdout;
	}

	private importFile(name: string, content: unknown): string {
		const folder = join(this.userFolder, 'imports');
		mkdirSync(folder, { recursive: true });
		const file = join(folder, name);
		writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
		return file;
	}
}

/** A running `n8n worker`. */
export class N8nWorker extends GroupProcess {
	constructor(
		child: ChildProcess,
		label: string,
		/** Its health server (`/healthz`, `/healthz/readiness`) on 127.0.0.1. */
		readonly healthPort: number,
	) {
		super(child, label);
	}

	/** The ids of the executions this worker started, from its log ("Worker started execution <id> (job <job>)"). */
	get startedExecutions(): string[] {
		return [...this.output.matchAll(/Worker started execution (\d+) \(job /g)].map((match) => match[1]);
	}
}

/** A running `n8n start`. */
export class N8nServer extends GroupProcess {
	constructor(
		child: ChildProcess,
		readonly url: string,
		readonly port: number,
	) {
		super(child, 'n8n');
	}

	/** Resolves once n8n logs "Editor is now accessible" (REST routes can 404 before, even when /healthz is ok). */
	async ready(timeoutMs: number): Promise<void> {
		await this.waitForOutput('Editor is now accessible', timeoutMs);
		const readiness = await fetch(`${this.url}/healthz/readiness`);
		if (!readiness.ok) throw new Error(`${this.url}/healthz/readiness answered ${readiness.status}`);
	}

	/**
	 * Creates the instance owner (`POST /rest/owner/setup`) and returns the auth cookie (`n8n-auth=…`) for REST
	 * calls or a browser context. On a user folder whose owner already exists it logs in instead.
	 */
	async setUpOwner(owner: Owner = DEFAULT_OWNER): Promise<string> {
		const response = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (response.ok) return authCookie(response);
		const text = await response.text();
		if (response.status === 400 && /already/i.test(text)) return this.login(owner.email, owner.password);
		throw new Error(`POST /rest/owner/setup answered ${response.status}: ${text}`);
	}

	/** `POST /rest/login`; returns the auth cookie (`n8n-auth=…`). */
	async login(email: string, password: string): Promise<string> {
		const response = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		if (!response.ok) throw new Error(`POST /rest/login answered ${response.status}: ${await response.text()}`);
		return authCookie(response);
	}

	/** A REST call with the cookie; parses JSON and unwraps n8n's `{ data }` envelope. */
	async rest<T = unknown>(cookie: string, method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: { Cookie: cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
		const parsed = JSON.parse(text) as { data?: T };
		return (parsed !== null && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed) as T;
	}

	/**
	 * Activates (publishes) an imported workflow through the REST API, as the editor's toggle does, and resolves once
	 * its Webhook nodes answer on `<url>/webhook/<path>` (n8n registers them a moment after the activation returns).
	 */
	async activateWorkflow(cookie: string, workflowId: string): Promise<void> {
		const workflow = await this.rest<{ versionId: string; nodes: Array<{ type: string; parameters?: Record<string, unknown> }> }>(
			cookie,
			'GET',
			`/rest/workflows/${workflowId}`,
		);
		const activated = await this.rest<{ active?: boolean }>(cookie, 'POST', `/rest/workflows/${workflowId}/activate`, {
			versionId: workflow.versionId,
		});
		if (activated.active !== true) throw new Error(`Workflow ${workflowId} is not active after activation`);
		for (const node of workflow.nodes) {
			if (node.type !== 'n8n-nodes-base.webhook' || typeof node.parameters?.path !== 'string') continue;
			const method = typeof node.parameters.httpMethod === 'string' ? node.parameters.httpMethod : 'GET';
			await this.waitForWebhook(node.parameters.path, method);
		}
	}

	/**
	 * Waits until a production webhook is registered. Asks with a CORS preflight (OPTIONS), which runs no workflow:
	 * n8n answers it 204 for a registered path and an error before.
	 */
	async waitForWebhook(path: string, method = 'POST', timeoutMs = 30_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const response = await fetch(`${this.url}/webhook/${path.replace(/^\//, '')}`, {
				method: 'OPTIONS',
				headers: { Origin: this.url, 'Access-Control-Request-Method': method.toUpperCase() },
			});
			if (response.ok) return;
			if (Date.now() > deadline) throw new Error(`The webhook ${method} /webhook/${path} was not registered within ${timeoutMs / 1000} s`);
			await delay(100);
		}
	}

	/** Saves a new workflow (`POST /rest/workflows`, as the editor's first save does); returns its id and version. */
	async createWorkflow(cookie: string, workflow: WorkflowJson): Promise<{ id: string; versionId: string }> {
		const { id, active: _active, ...rest } = workflow;
		const saved = await this.rest<{ id: string; versionId: string }>(cookie, 'POST', '/rest/workflows', {
			...rest,
			...(id === undefined ? {} : { id }),
			settings: workflow.settings ?? { executionOrder: 'v1' },
		});
		return { id: saved.id, versionId: saved.versionId };
	}

	/** Saves a new credential (`POST /rest/credentials`, as the editor's credential dialog does); returns its id. */
	async createCredential(cookie: string, credential: { name: string; type: string; data: Record<string, unknown> }): Promise<string> {
		const saved = await this.rest<{ id: string }>(cookie, 'POST', '/rest/credentials', credential);
		return saved.id;
	}

	/**
	 * The editor's "Test" of a saved credential: `GET /rest/credentials/:id?includeData=true` (passwords come back
	 * blanked), then `POST /rest/credentials/test` with that data, which n8n merges with the stored secrets.
	 */
	async testCredential(cookie: string, credentialId: string): Promise<{ status: string; message: string }> {
		const stored = await this.rest<{ id: string; name: string; type: string; data: Record<string, unknown> }>(
			cookie,
			'GET',
			`/rest/credentials/${credentialId}?includeData=true`,
		);
		return this.rest(cookie, 'POST', '/rest/credentials/test', {
			credentials: { id: stored.id, name: stored.name, type: stored.type, data: stored.data },
		});
	}

	/** The executions of a workflow, newest first (`GET /rest/executions?filter=…`, as the executions list asks). */
	async listExecutions(cookie: string, workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.rest<{ results: ExecutionSummary[] }>(cookie, 'GET', `/rest/executions?filter=${filter}&limit=100`);
		return page.results.map((execution) => ({ ...execution, id: String(execution.id) }));
	}

	/**
	 * Waits for a workflow's next finished execution: the newest one not in `known` whose status is final. Webhook
	 * calls answer before n8n has necessarily saved their execution.
	 */
	async nextExecution(cookie: string, workflowId: string, known: ReadonlySet<string>, timeoutMs = 60_000): Promise<ExecutionSummary> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = (await this.listExecutions(cookie, workflowId)).find(
				(execution) => !known.has(execution.id) && !['new', 'running', 'waiting'].includes(execution.status),
			);
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`No new finished execution of workflow ${workflowId} within ${timeoutMs / 1000} s`);
			await delay(200);
		}
	}

	/** One execution with its run data (`GET /rest/executions/:id`; n8n sends the data as flatted text). */
	async execution(cookie: string, executionId: string): Promise<ExecutionDetail> {
		const found = await this.rest<ExecutionSummary & { data: string }>(cookie, 'GET', `/rest/executions/${executionId}`);
		const data = n8nFlatted().parse(found.data) as N8nRun['data'];
		return { ...found, id: String(found.id), run: { status: found.status, data } };
	}

	/**
	 * The executions list's Retry: `POST /rest/executions/:id/retry` with `{ loadWorkflow }` (false: the workflow as
	 * the failed execution saved it; true: the saved workflow). n8n runs the retry to its end before answering, with
	 * the new execution's id, mode, status and retryOf.
	 */
	async retryExecution(cookie: string, executionId: string, loadWorkflow = false): Promise<ExecutionSummary> {
		const retried = await this.rest<ExecutionSummary>(cookie, 'POST', `/rest/executions/${executionId}/retry`, { loadWorkflow });
		return { ...retried, id: String(retried.id) };
	}

	/**
	 * n8n allows a community-package registry other than npm's only with an enterprise license
	 * (`feat:communityNodes:customRegistry`). A server started with `E2E_TESTS=true` (n8n's own end-to-end test mode)
	 * exposes `PATCH /rest/e2e/feature`, which n8n's own browser tests use to switch licensed features on; this does
	 * that for the custom registry. Test servers only: that mode also exposes unauthenticated reset routes.
	 */
	async enableCustomCommunityRegistry(): Promise<void> {
		const response = await fetch(`${this.url}/rest/e2e/feature`, {
			method: 'PATCH',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ feature: 'feat:communityNodes:customRegistry', enabled: true }),
		});
		if (!response.ok) throw new Error(`PATCH /rest/e2e/feature answered ${response.status} (was the server started with E2E_TESTS=true?)`);
	}

	/** The community packages n8n recorded (what Settings → Community nodes lists). */
	async communityPackages(cookie: string): Promise<Array<{ packageName: string; installedVersion: string; updateAvailable?: string; installedNodes: Array<{ type: string }> }>> {
		return this.rest(cookie, 'GET', '/rest/community-packages');
	}
}

/**
 * The run data is printed pretty (two-space indent) after n8n's log lines: it starts at the first line that is
 * exactly `{` and ends at the next line that is exactly `}`. Log lines can follow it (a task runner registering late).
 */
export function parseRunOutput(stdout: string): N8nRun | undefined {
	const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start + 1);
	if (start < 0 || end < 0) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as N8nRun;
	} catch {
		return undefined;
	}
}

/** Every error in a run: the run's own and each node run's, with the node's name. */
export function runErrors(run: N8nRun): Array<{ node: string; message: string }> {
	const errors: Array<{ node: string; message: string }> = [];
	const { error, runData } = run.data.resultData;
	for (const [node, runs] of Object.entries(runData)) {
		for (const nodeRun of runs) {
			if (nodeRun.error) errors.push({ node, message: errorText(nodeRun.error) });
		}
	}
	if (error && errors.length === 0) errors.push({ node: error.node?.name ?? '(workflow)', message: errorText(error) });
	return errors;
}

/** The JSON of every item a node put out on its first output, over all its runs. */
export function nodeOutput(run: N8nRun, node: string, output = 0): Array<Record<string, unknown>> {
	const runs = run.data.resultData.runData[node];
	if (!runs) throw new Error(`Node "${node}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	return runs.flatMap((nodeRun) => nodeRun.data?.main?.[output] ?? []).map((item) => item.json);
}

function errorText(error: N8nRunError): string {
	return [error.message, error.description].filter((part) => typeof part === 'string' && part !== '').join(': ');
}

/** A stable 16-character id (n8n's own are 16 alphanumerics) for a workflow that brings none. */
export function derivedWorkflowId(name: string): string {
	const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
	const digest = createHash('sha256').update(name).digest();
	return Array.from(digest.subarray(0, 16), (byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * `npm pack` of the package as built in `dist/` (run `npm run build` first); returns the tarball's path.
 * The tarball is what `npm publish` would upload, so the install tests exactly what users get.
 */
export async function packPackage(destination: string, root = repositoryRoot()): Promise<string> {
	mkdirSync(destination, { recursive: true });
	const { stdout } = await runChecked('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: root,
		env: cleanEnvironment(),
		timeoutMs: 120_000,
	});
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
	if (!packed) throw new Error(`npm pack printed no file: ${stdout}`);
	return join(destination, packed.filename);
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

function authCookie(response: Response): string {
	const cookies = response.headers.getSetCookie();
	const auth = cookies.map((cookie) => cookie.split(';')[0]).find((pair) => pair.startsWith('n8n-auth='));
	if (!auth) throw new Error(`No n8n-auth cookie in the answer (Set-Cookie: ${cookies.join(' | ') || 'none'})`);
	return auth;
}

function delay(milliseconds: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
