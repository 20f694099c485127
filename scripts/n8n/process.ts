/** Child processes of the runtime: npm and n8n commands, with their output kept for error reports. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface RunOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** Appends stdout and stderr to this file as they come. */
	logFile?: string;
	/** Kills the process (SIGKILL) after this many milliseconds. */
	timeoutMs?: number;
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export class CommandError extends Error {
	constructor(
		readonly command: string,
		readonly result: RunResult,
	) {
		super(`${command} failed (${result.signal ?? `exit code ${String(result.code)}`})\n${tail(result.stdout + result.stderr, 60)}`);
		this.name = 'CommandError';
	}
}

export function tail(text: string, lines: number): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * The environment without what an outer `npm run` or jest put there (npm_* variables, NODE_OPTIONS, and jest's
 * NODE_ENV=test, under which n8n's commands silently do nothing), so nested commands start clean.
 */
export function cleanEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const environment: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(base)) {
		if (/^(npm_|JEST_)/i.test(key) || ['INIT_CWD', 'NODE_OPTIONS', 'NODE_ENV'].includes(key)) continue;
		environment[key] = value;
	}
	return environment;
}

/** Commands started by `run` that have not ended yet. */
const running = new Set<ChildProcess>();

/** SIGTERM to every command `run` started that is still running (a script stopping early, e.g. on Ctrl+C). */
export function stopRunningCommands(): void {
	for (const child of running) child.kill('SIGTERM');
}

/** Runs a command to its end and collects its output; never rejects because of the exit code. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		child.on('close', () => running.delete(child));
		const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
		log?.write(`\n$ ${command} ${args.join(' ')}\n`);
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => {
			stdout.push(chunk);
			log?.write(chunk);
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr.push(chunk);
			log?.write(chunk);
		});
		const timer =
			options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
		child.on('error', (error) => {
			if (timer) clearTimeout(timer);
			log?.end();
			reject(error);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			log?.end();
			resolve({
				code,
				signal,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
			});
		});
	});
}

/** Like `run`, but rejects with the output's tail unless the command exits 0. */
export async function runChecked(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
	const result = await run(command, args, options);
	if (result.code !== 0) throw new CommandError(`${command} ${args.join(' ')}`, result);
	return result;
}

export function formatDuration(milliseconds: number): string {
	const seconds = Math.round(milliseconds / 1000);
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
