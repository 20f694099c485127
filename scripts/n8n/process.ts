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

/**
 * A long-running child started in its own process group (a server, an n8n worker, Redis, PostgreSQL), with its
 * output kept. `stop` and `kill` signal the whole group, so helpers it started (n8n's task runners, PostgreSQL's
 * backends, `runuser`'s child) end with it; a group still running when this process exits is killed then.
 */
export class GroupProcess {
	/** Everything the process printed so far (stdout and stderr). */
	output = '';
	onOutput?: (chunk: string) => void;
	/** Resolves when the process has exited. */
	readonly exited: Promise<void>;
	private exitCode: number | null | undefined;

	constructor(
		protected readonly child: ChildProcess,
		/** Names the process in error messages. */
		readonly label: string,
	) {
		const take = (chunk: Buffer): void => {
			const text = chunk.toString('utf8');
			this.output += text;
			this.onOutput?.(text);
		};
		child.stdout?.on('data', take);
		child.stderr?.on('data', take);
		this.exited = new Promise((resolve) => {
			child.on('exit', (code) => {
				this.exitCode = code;
				resolve();
			});
		});
		const killOnExit = (): void => this.kill('SIGKILL');
		process.once('exit', killOnExit);
		void this.exited.then(() => process.removeListener('exit', killOnExit));
	}

	/** Spawns `command` as the leader of a new process group, stdout and stderr piped. */
	static spawn(label: string, command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): GroupProcess {
		return new GroupProcess(spawnInGroup(command, args, options), label);
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get running(): boolean {
		return this.exitCode === undefined;
	}

	/** Resolves once the output contains `text`; rejects (and stops the process) when it exits or the time is up. */
	async waitForOutput(text: string | RegExp, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		const found = (): boolean => (typeof text === 'string' ? this.output.includes(text) : text.test(this.output));
		while (!found()) {
			if (!this.running) throw new Error(`${this.label} exited with code ${String(this.exitCode)} while starting:\n${tail(this.output, 60)}`);
			if (Date.now() > deadline) {
				await this.stop();
				throw new Error(`${this.label} did not print "${String(text)}" within ${timeoutMs / 1000} s:\n${tail(this.output, 60)}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	/** `signal` to the group, SIGKILL to it after `graceMs`, and SIGKILL once more to whatever is left in it. */
	async stop(graceMs = 20_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		if (this.running) {
			this.kill(signal);
			const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
			await this.exited;
			clearTimeout(timer);
		}
		this.kill('SIGKILL');
	}

	/** Sends `signal` to the whole process group. */
	kill(signal: NodeJS.Signals): void {
		if (this.child.pid === undefined) return;
		try {
			process.kill(-this.child.pid, signal);
		} catch {
			// already gone
		}
	}
}

export function spawnInGroup(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
	return spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}
