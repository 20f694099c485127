/**
 * `npm run dev`: the package in a real n8n on http://127.0.0.1:5678, talking to the local TargetSMS sandbox.
 *
 * Builds nothing itself (the npm script builds first); installs n8n into the cache when missing, packs this package
 * and installs the tarball into the n8n user folder `.dev/n8n` as a community install does, starts the sandbox
 * (HTTP 8787, SMTP 2525), imports the sandbox credentials and every `examples/*.json`, starts n8n, creates the owner
 * and prints the login. Ctrl+C stops everything.
 *
 * The user folder is kept between runs (your own workflows and executions stay); the credentials and the examples
 * are imported again each time, so edits made to the examples inside n8n are replaced by the files' content.
 *
 * Options: --fresh (start from an empty user folder), --n8n-port N (default 5678, or N8N_PORT), and the sandbox's
 * own --port N / --smtp-port N (or TARGETSMS_SANDBOX_PORT / TARGETSMS_SMTP_SANDBOX_PORT).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { TargetSmsSmtpSandbox } from '../../test/sandbox/smtp/server';
import { sandboxCredentials } from './credentials';
import { DEFAULT_OWNER, N8nInstance, type N8nServer, packPackage } from './instance';
import { repositoryRoot } from './paths';
import { cleanEnvironment, formatDuration } from './process';
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

function assertPortFree(value: number, what: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', () =>
			reject(new Error(`Port ${value} (${what}) is in use on ${HOST}. Stop what uses it, or choose another port.`)),
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

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	const root = repositoryRoot();
	const n8nPort = port(flag(argv, '--n8n-port') ?? process.env.N8N_PORT ?? '5678', 'n8n port');
	const httpPort = port(flag(argv, '--port') ?? process.env.TARGETSMS_SANDBOX_PORT ?? '8787', 'sandbox port');
	const smtpPort = port(flag(argv, '--smtp-port') ?? process.env.TARGETSMS_SMTP_SANDBOX_PORT ?? '2525', 'SMTP sandbox port');
	const userFolder = join(root, '.dev', 'n8n');
	const started = Date.now();
	const say = (line: string): void => void process.stdout.write(`${line}\n`);

	await assertPortFree(n8nPort, 'n8n');
	await assertPortFree(httpPort, 'sandbox');
	await assertPortFree(smtpPort, 'SMTP sandbox');

	if (argv.includes('--fresh')) rmSync(userFolder, { recursive: true, force: true });
	say('Preparing n8n (the first run installs it into the cache and takes several minutes) …');
	const instance = await N8nInstance.create({ userFolder, log: say });
	say(`n8n ${instance.runtime.n8nVersion} on Node.js ${instance.runtime.nodeVersion}; user folder ${userFolder}`);

	say('Installing the package as a community package …');
	const tarball = await packPackage(join(root, '.dev', 'pack'), root);
	await instance.installPackage(tarball);

	const sandbox = await startSandbox(root, httpPort, smtpPort);
	let server: N8nServer | undefined;
	let stopping = false;
	const stop = async (code: number): Promise<void> => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the sandbox …');
		await server?.stop();
		sandbox.child.kill('SIGTERM');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	sandbox.child.on('exit', () => {
		if (!stopping) {
			say('The sandbox stopped unexpectedly.');
			void stop(1);
		}
	});

	try {
		say('Importing the sandbox credentials and the example workflows …');
		const sandboxUrl = `http://${HOST}:${httpPort}`;
		await instance.importCredentials(
			sandboxCredentials(sandboxUrl, { host: HOST, port: smtpPort, sandbox: smtpAccountDefaults() }),
		);
		const imported: string[] = [];
		for (const { name, file } of listWorkflowFiles(examplesFolder(root))) {
			try {
				const workflow = readWorkflow(file);
				await instance.importWorkflow(workflow);
				imported.push(`  ${workflow.name} (examples/${name}.json)`);
			} catch (error) {
				say(`  Skipped examples/${name}.json: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
			}
		}

		say(`Starting n8n on ${HOST}:${n8nPort} …`);
		server = await instance.start({ port: n8nPort });
		await server.setUpOwner(DEFAULT_OWNER);

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
				`Ready in ${formatDuration(Date.now() - started)}. Press Ctrl+C to stop.`,
			].join('\n'),
		);
		server.onOutput = (chunk) => void process.stdout.write(chunk);
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

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
