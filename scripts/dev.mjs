#!/usr/bin/env node
/**
 * `npm run dev`, the part that needs no build: reads the options, checks that the ports are free (before anything
 * is built), builds the package and the scripts with a line per phase, then hands over to
 * build-test/scripts/n8n/dev.js (in this same process, so a signal to it reaches everything it started).
 *
 *   npm run dev -- --n8n-port 5679 --port 8788 --smtp-port 2526 [--fresh]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const argv = process.argv.slice(2);
const say = (line) => process.stdout.write(`${line}\n`);

export const USAGE = [
	'Usage: npm run dev -- [options]',
	'',
	'A real n8n on http://127.0.0.1:5678 with this package installed through its Community nodes installer, the local',
	'TargetSMS sandbox, its credentials and the example workflows. Ctrl+C stops everything.',
	'',
	'Options:',
	'  --n8n-port N     n8n (default 5678, or N8N_PORT)',
	'  --port N         the sandbox\'s HTTP API (default 8787, or TARGETSMS_SANDBOX_PORT)',
	'  --smtp-port N    the sandbox\'s SMTP gateway (default 2525, or TARGETSMS_SMTP_SANDBOX_PORT)',
	'  --fresh          start from an empty n8n user folder (.dev/n8n)',
	'  -h, --help       print this help',
].join('\n');

function flag(name) {
	const index = argv.findIndex((argument) => argument === name || argument.startsWith(`${name}=`));
	if (index < 0) return undefined;
	const argument = argv[index];
	return argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : argv[index + 1];
}

function port(text, what) {
	const value = Number(text);
	if (!/^[0-9]+$/.test(text) || value < 1 || value > 65535) throw new Error(`Invalid ${what}: ${text}\n\n${USAGE}`);
	return value;
}

function checkArguments() {
	for (let index = 0; index < argv.length; index += 1) {
		const argument = argv[index];
		if (['--n8n-port', '--port', '--smtp-port'].includes(argument)) index += 1;
		else if (!/^--(n8n-port|port|smtp-port)=/.test(argument) && argument !== '--fresh') {
			throw new Error(`Unknown option: ${argument}\n\n${USAGE}`);
		}
	}
}

function isFree(value) {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(value, HOST, () => probe.close(() => resolve(true)));
	});
}

const PHASES = 7;
let phase = 0;
let phaseStarted = Date.now();
const started = Date.now();
const seconds = (ms) => `${Math.round(ms / 1000)} s`;

/** "[n/7] what …", and the previous phase's duration. */
export function startPhase(what) {
	if (phase > 0) say(`      done in ${seconds(Date.now() - phaseStarted)}`);
	phase += 1;
	phaseStarted = Date.now();
	say(`[${phase}/${PHASES}] ${what} …`);
}

function npmRun(script) {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const take = (chunk) => void (output += chunk.toString('utf8'));
		child.stdout.on('data', take);
		child.stderr.on('data', take);
		const heartbeat = setInterval(() => say(`      … ${seconds(Date.now() - phaseStarted)}`), 15_000);
		const stop = () => child.kill('SIGTERM');
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
		child.on('close', (code, signal) => {
			clearInterval(heartbeat);
			process.removeListener('SIGINT', stop);
			process.removeListener('SIGTERM', stop);
			if (signal !== null) process.exit(130);
			if (code === 0) resolve();
			else reject(new Error(`npm run ${script} failed:\n${output.trimEnd()}`));
		});
	});
}

async function main() {
	if (argv.includes('--help') || argv.includes('-h')) {
		say(USAGE);
		return;
	}
	checkArguments();
	const ports = [
		[port(flag('--n8n-port') ?? process.env.N8N_PORT ?? '5678', 'n8n port'), 'n8n', '--n8n-port'],
		[port(flag('--port') ?? process.env.TARGETSMS_SANDBOX_PORT ?? '8787', 'sandbox port'), 'the sandbox (HTTP)', '--port'],
		[port(flag('--smtp-port') ?? process.env.TARGETSMS_SMTP_SANDBOX_PORT ?? '2525', 'SMTP sandbox port'), 'the sandbox (SMTP)', '--smtp-port'],
	];
	startPhase(`Checking ports ${ports.map(([value]) => value).join(', ')} on ${HOST}`);
	const busy = [];
	for (const [value, what, option] of ports) if (!(await isFree(value))) busy.push({ value, what, option });
	if (busy.length > 0) {
		throw new Error(
			busy.map(({ value, what }) => `Port ${value} (${what}) is in use on ${HOST}.`).join('\n') +
				`\nStop what uses it, or choose other ports, e.g.\n  npm run dev -- ${busy.map(({ option, value }) => `${option} ${value + 1}`).join(' ')}`,
		);
	}
	startPhase('Building the package (dist/)');
	await npmRun('build');
	startPhase('Building the scripts and the sandbox (build-test/)');
	await npmRun('build:test');
	const require = createRequire(import.meta.url);
	const { runDev } = require(join(root, 'build-test/scripts/n8n/dev.js'));
	await runDev(argv, { phase, phases: PHASES, started, phaseStarted });
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
