/**
 * `npm run dev`: the package in a real n8n on http://127.0.0.1:5678, talking to the local TargetSMS sandbox.
 *
 * `scripts/dev.mjs` checks the ports and builds, then calls `runDev` here (same process): n8n is installed into the
 * cache when missing; the package is packed, published to a local registry (Verdaccio on loopback) and installed
 * through n8n's own Community nodes installer, so Settings → Community nodes lists it as a user's install would be
 * (n8n allows a custom registry only with an enterprise license: that one install runs on a short-lived n8n in n8n's
 * end-to-end test mode, on a random port, which unlocks it; the n8n you then use runs normally). Then the sandbox
 * (HTTP 8787, SMTP 2525) starts, the sandbox credentials and every `examples/*.json` are imported, and n8n starts
 * with the owner created; the URL and the login are printed. n8n's own output goes to `.dev/n8n.log`; lines that
 * report errors still show in the terminal (minus the known noise of a machine without internet).
 *
 * Ctrl+C, or a SIGINT/SIGTERM to this process (or its parent, e.g. npm, going away) stops everything it started.
 *
 * The user folder is kept between runs (your own workflows and executions stay); the credentials and the examples
 * are imported again each time, so edits made to the examples inside n8n are replaced by the files' content.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { TargetSmsSmtpSandbox } from '../../test/sandbox/smtp/server';
import { sandboxCredentials } from './credentials';
import { DEFAULT_OWNER, N8nInstance, type N8nServer, packPackage } from './instance';
import { repositoryRoot } from './paths';
import { cleanEnvironment, formatDuration, stopRunningCommands } from './process';
import { communityRegistryEnvironment, LocalRegistry } from './registry';
import { examplesFolder, listWorkflowFiles, readWorkflow } from './workflows';

const HOST = '127.0.0.1';

function flag(argv: readonly string[], name: string): string | undefined {
	const index = argv.findIndex((argument) => argument === name || argument.startsWith(`${name}=`));
	if (index < 0) return undefined;
	const argument = argv[index];
	return argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : argv[index + 1];
}

function port(text: string, what: string): number {
	const value = Number(text);
	if (!/^[0-9]+$/.test(text) || value < 1 || value > 65535) throw new Error(`Invalid ${what}: ${text}`);
	return value;
}

function assertPortFree(value: number, what: string, option: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', () =>
			reject(new Error(`Port ${value} (${what}) is in use on ${HOST}. Stop what uses it, or choose another: npm run dev -- ${option} ${value + 1}`)),
		);
		probe.listen(value, HOST, () => probe.close(() => resolve()));
	});
}

/** Starts the sandbox's own command line (its banner is the one users know) and resolves with its banner. */
function startSandbox(root: string, httpPort: number, smtpPort: number): Promise<{ child: ChildProcess; banner: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[join(root, 'build-test/test/sandbox/cli.js'), '--port', String(httpPort), '--smtp-port', String(smtpPort)],
			// Its own process group: Ctrl+C reaches this script only, which stops n8n first, then the sandbox.
			{ cwd: root, env: cleanEnvironment(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
		);
		process.once('exit', () => child.kill('SIGKILL'));
		let output = '';
		const take = (chunk: Buffer): void => {
			output += chunk.toString('utf8');
			const end = output.indexOf('Press Ctrl+C to stop.');
			if (end >= 0) resolve({ child, banner: output.slice(0, end).trimEnd() });
		};
		child.stdout.on('data', take);
		child.stderr.on('data', take);
		child.once('exit', (code) => reject(new Error(`The sandbox exited (code ${String(code)}):\n${output}`)));
	});
}

const PACKAGE = 'n8n-nodes-targetsms';

/** n8n lines the terminal does not need: expected on a machine without internet, or the user's own run errors. */
const NOISE = [
	/ENOTFOUND api(-staging)?\.n8n\.io/,
	/getaddrinfo/,
	/Python task runner/i,
	/license SDK/i,
	/NodeOperationError|NodeApiError/,
	/^\s+at /,
	/deprecat/i,
];

/** Whether an n8n output line is an error the developer should see (the rest stays in the log file). */
export function isTerminalWorthy(line: string): boolean {
	if (!/\b(error|fatal|EADDRINUSE)\b/i.test(line)) return false;
	return !NOISE.some((pattern) => pattern.test(line));
}

export interface DevProgress {
	phase: number;
	phases: number;
	started: number;
	phaseStarted: number;
}

/** Runs `npm run dev` from its n8n phase on; `scripts/dev.mjs` has checked the ports and built. */
export async function runDev(argv: readonly string[], progress: DevProgress = { phase: 0, phases: 4, started: Date.now(), phaseStarted: Date.now() }): Promise<void> {
	const root = repositoryRoot();
	const n8nPort = port(flag(argv, '--n8n-port') ?? process.env.N8N_PORT ?? '5678', 'n8n port');
	const httpPort = port(flag(argv, '--port') ?? process.env.TARGETSMS_SANDBOX_PORT ?? '8787', 'sandbox port');
	const smtpPort = port(flag(argv, '--smtp-port') ?? process.env.TARGETSMS_SMTP_SANDBOX_PORT ?? '2525', 'SMTP sandbox port');
	const devFolder = join(root, '.dev');
	const userFolder = join(devFolder, 'n8n');
	const logFile = join(devFolder, 'n8n.log');
	const say = (line: string): void => void process.stdout.write(`${line}\n`);
	const phase = (what: string): void => {
		if (progress.phase > 0) say(`      done in ${formatDuration(Date.now() - progress.phaseStarted)}`);
		progress.phase += 1;
		progress.phaseStarted = Date.now();
		say(`[${progress.phase}/${progress.phases}] ${what} …`);
	};

	// Everything started so far, stopped in reverse order on a signal, on an error, or when the parent goes away.
	const running: Array<() => Promise<void>> = [];
	let stopping = false;
	const stop = async (code: number): Promise<never> => {
		if (!stopping) {
			stopping = true;
			say('\nStopping n8n and the sandbox …');
			stopRunningCommands();
			for (const release of running.reverse()) await release().catch(() => undefined);
		}
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	process.on('SIGHUP', () => void stop(0));
	const parent = process.ppid;
	const orphanWatch = setInterval(() => {
		if (process.ppid !== parent) void stop(0); // npm (or the terminal) was killed without passing the signal on
	}, 1000);
	orphanWatch.unref();

	// Checked again: scripts/dev.mjs checked before building, but something may have started meanwhile.
	await assertPortFree(n8nPort, 'n8n', '--n8n-port');
	await assertPortFree(httpPort, 'sandbox', '--port');
	await assertPortFree(smtpPort, 'SMTP sandbox', '--smtp-port');

	try {
		if (argv.includes('--fresh')) rmSync(userFolder, { recursive: true, force: true });
		mkdirSync(devFolder, { recursive: true });
		const log = createWriteStream(logFile, { flags: 'w' });
		running.push(() => new Promise<void>((resolve) => log.end(resolve)));
		const toLog = (chunk: string): void => {
			log.write(chunk);
			for (const line of chunk.split('\n')) if (isTerminalWorthy(line)) say(`  n8n: ${line.trim()}`);
		};

		phase('Preparing n8n (the first run installs it into the cache: about 2.8 GB, several minutes)');
		const instance = await N8nInstance.create({ userFolder, log: (line) => say(`      ${line}`) });
		say(`      n8n ${instance.runtime.n8nVersion} on Node.js ${instance.runtime.nodeVersion}; user folder ${userFolder}`);

		phase("Installing the package through n8n's Community nodes installer, from a local registry");
		const tarball = await packPackage(join(devFolder, 'pack'), root);
		rmSync(join(devFolder, 'registry'), { recursive: true, force: true });
		const registry = await LocalRegistry.start(join(devFolder, 'registry'), { log: (line) => say(`      ${line}`) });
		running.push(() => registry.stop());
		await registry.publish(tarball);
		const installer = await instance.start({ port: 0, env: { E2E_TESTS: 'true', ...communityRegistryEnvironment(registry) }, onOutput: toLog });
		running.push(() => installer.stop());
		const installerCookie = await installer.setUpOwner(DEFAULT_OWNER);
		await installer.enableCustomCommunityRegistry();
		if ((await installer.communityPackages(installerCookie)).some(({ packageName }) => packageName === PACKAGE)) {
			await installer.rest(installerCookie, 'DELETE', `/rest/community-packages?name=${PACKAGE}`);
		}
		const installed = await installer.rest<{ installedVersion: string }>(installerCookie, 'POST', '/rest/community-packages', { name: PACKAGE });
		say(`      ${PACKAGE} ${installed.installedVersion} installed; Settings → Community nodes lists it`);
		await installer.stop();
		await registry.stop();

		phase(`Starting the sandbox (HTTP ${httpPort}, SMTP ${smtpPort}) and importing its credentials and the examples`);
		const sandbox = await startSandbox(root, httpPort, smtpPort);
		running.push(async () => void sandbox.child.kill('SIGTERM'));
		sandbox.child.on('exit', () => {
			if (!stopping) {
				say('The sandbox stopped unexpectedly.');
				void stop(1);
			}
		});
		const sandboxUrl = `http://${HOST}:${httpPort}`;
		await instance.importCredentials(sandboxCredentials(sandboxUrl, { host: HOST, port: smtpPort, sandbox: smtpAccountDefaults() }));
		const imported: string[] = [];
		const examples = listWorkflowFiles(examplesFolder(root));
		for (const [index, { name, file }] of examples.entries()) {
			try {
				const workflow = readWorkflow(file);
				await instance.importWorkflow(workflow);
				imported.push(`  ${workflow.name} (examples/${name}.json)`);
				say(`      example ${index + 1}/${examples.length}: ${name}`);
			} catch (error) {
				say(`      skipped examples/${name}.json: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
			}
		}

		phase(`Starting n8n on ${HOST}:${n8nPort} (its log: ${logFile})`);
		let server: N8nServer | undefined;
		server = await instance.start({ port: n8nPort, onOutput: toLog });
		const started = server;
		running.push(() => started.stop());
		await server.setUpOwner(DEFAULT_OWNER);
		say(`      done in ${formatDuration(Date.now() - progress.phaseStarted)}`);

		say(
			[
				'',
				sandbox.banner,
				'',
				'─'.repeat(72),
				`n8n ${instance.runtime.n8nVersion} is running: ${server.url}`,
				`  login:    ${DEFAULT_OWNER.email}`,
				`  password: ${DEFAULT_OWNER.password}`,
				'',
				'Credentials "TargetSMS sandbox" and "TargetSMS Email2SMS sandbox" point at the sandbox above.',
				...triggerHints(server.url, sandboxUrl),
				imported.length > 0 ? `Example workflows:\n${imported.join('\n')}` : 'No example workflows in examples/.',
				`n8n's log: ${logFile} (errors also show here).`,
				`Ready in ${formatDuration(Date.now() - progress.started)}. Press Ctrl+C to stop.`,
			].join('\n'),
		);
		void server.exited.then(() => {
			if (!stopping) {
				say(`n8n stopped unexpectedly; its log: ${logFile}`);
				void stop(1);
			}
		});
	} catch (error) {
		say(error instanceof Error ? error.message : String(error));
		await stop(1);
	}
}

/**
 * How the sandbox and this n8n reach each other for the TargetSMS Trigger: n8n's webhook base URL is its own
 * 127.0.0.1 address (instance.start sets N8N_WEBHOOK_URL), so the URL a published delivery-report trigger registers
 * through get_state.php is one the sandbox's pushes reach; incoming SMS are injected into the sandbox.
 */
function triggerHints(n8nUrl: string, sandboxUrl: string): string[] {
	return [
		'',
		'TargetSMS Trigger:',
		`  Delivery reports: publish a workflow with the trigger (e.g. example 6); it registers ${n8nUrl}/webhook/…/delivery-report`,
		'  with the sandbox, which then pushes every state change of the SMS you send to it (one URL per account).',
		`  What was pushed: curl ${sandboxUrl}/sandbox/pushes`,
		`  Incoming SMS (example 7 polls every minute): curl -X POST ${sandboxUrl}/sandbox/incoming \\`,
		`    -H 'Content-Type: application/json' -d '{"from":"79001234561","text":"Да"}'`,
		'',
	];
}

/** The SMTP sandbox's account as its command line starts it (all defaults). */
function smtpAccountDefaults(): Parameters<typeof sandboxCredentials>[1]['sandbox'] {
	return {
		smtpUser: TargetSmsSmtpSandbox.DEFAULT_SMTP_USER,
		smtpPassword: TargetSmsSmtpSandbox.DEFAULT_SMTP_PASSWORD,
		returnAddress: TargetSmsSmtpSandbox.DEFAULT_RETURN_ADDRESS,
		smsLogin: TargetSmsSmtpSandbox.DEFAULT_SMS_LOGIN,
		smsPassword: TargetSmsSmtpSandbox.DEFAULT_SMS_PASSWORD,
		gatewayAddress: TargetSmsSmtpSandbox.DEFAULT_GATEWAY_ADDRESS,
	};
}

if (require.main === module) {
	runDev(process.argv.slice(2)).catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
