/**
 * What n8n's queue mode needs besides n8n: Redis (the job queue) and PostgreSQL (the database every main and worker
 * share), Debian's packages, installed with apt-get when missing (as root, else through sudo), each started here as
 * its own process on a free loopback port with its data in a folder of the caller's, and stopped with it.
 * PostgreSQL refuses to run as root: as root, `initdb` and `postgres` run as the `postgres` user (`runuser`).
 *
 *   await ensureQueueServices(log);
 *   const redis = await startRedis(join(folder, 'redis'));
 *   const postgres = await startPostgres(join(folder, 'postgres'));   // database `n8n`, user `postgres`, trust
 *   const env = { ...queueModeEnvironment(redis, postgres) };         // for every n8n process
 *   await Promise.all([redis.stop(), postgres.stop()]);
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import { freePort } from './instance';
import type { Log } from './install';
import { cleanEnvironment, GroupProcess, runChecked } from './process';

/** The Debian package of each service. */
const PACKAGES = { redis: 'redis-server', postgres: 'postgresql' } as const;
const POSTGRES_ROOT = '/usr/lib/postgresql';
const POSTGRES_USER = 'postgres';
export const N8N_DATABASE = 'n8n';

/** `redis-server` on PATH (or Debian's /usr/bin), or undefined. */
export function redisServerBinary(): string | undefined {
	const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin'].filter((entry) => entry.startsWith('/'));
	return folders.map((entry) => join(entry, 'redis-server')).find((file) => existsSync(file));
}

/** The bin folder of the newest PostgreSQL under /usr/lib/postgresql (Debian's layout), or undefined. */
export function postgresBinFolder(): string | undefined {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const versions = readdirSync(POSTGRES_ROOT)
		.filter((version) => /^\d+$/.test(version) && existsSync(join(POSTGRES_ROOT, version, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length === 0 ? undefined : join(POSTGRES_ROOT, versions[0], 'bin');
}

/** Installs `redis-server` and `postgresql` from Debian when missing (`apt-get update` first); skips when present. */
export async function ensureQueueServices(log: Log = (line) => process.stderr.write(`${line}\n`)): Promise<void> {
	const missing = [
		...(redisServerBinary() === undefined ? [PACKAGES.redis] : []),
		...(postgresBinFolder() === undefined ? [PACKAGES.postgres] : []),
	];
	if (missing.length === 0) return;
	const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
	log(`Installing ${missing.join(', ')} with apt-get …`);
	const started = Date.now();
	const environment = { ...cleanEnvironment(), DEBIAN_FRONTEND: 'noninteractive' };
	const apt = async (args: string[]): Promise<void> => {
		const [command, ...rest] = [...asRoot, 'apt-get', ...args];
		await runChecked(command, rest, { cwd: '/', env: environment, timeoutMs: 15 * 60_000 });
	};
	await apt(['update']);
	await apt(['install', '-y', '--no-install-recommends', ...missing]);
	if (redisServerBinary() === undefined || postgresBinFolder() === undefined) {
		throw new Error(`apt-get installed ${missing.join(', ')}, but redis-server or PostgreSQL's binaries are still missing`);
	}
	log(`Installed ${missing.join(', ')} (${Math.round((Date.now() - started) / 1000)} s).`);
}

/** A Redis server of this process. */
export class RedisService {
	constructor(
		readonly server: GroupProcess,
		readonly port: number,
	) {}

	async stop(): Promise<void> {
		await this.server.stop(10_000);
	}
}

/** `redis-server` on 127.0.0.1 and a free port, no persistence, its working folder `dataFolder`. */
export async function startRedis(dataFolder: string): Promise<RedisService> {
	const binary = redisServerBinary();
	if (binary === undefined) throw new Error('redis-server is not installed (ensureQueueServices installs it)');
	mkdirSync(dataFolder, { recursive: true });
	const port = await freePort();
	const redis = GroupProcess.spawn(
		'redis-server',
		binary,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dataFolder, '--daemonize', 'no'],
		{ cwd: dataFolder, env: cleanEnvironment() },
	);
	await redis.waitForOutput('Ready to accept connections', 30_000);
	return new RedisService(redis, port);
}

/** A PostgreSQL server of this process, with the database `n8n`; user `postgres`, no password (trust, loopback only). */
export class PostgresService {
	readonly user = POSTGRES_USER;
	readonly database = N8N_DATABASE;

	constructor(
		readonly server: GroupProcess,
		readonly port: number,
		private readonly binFolder: string,
	) {}

	/** Runs SQL with `psql` and returns its unaligned rows (columns split on `|`). */
	async query(sql: string): Promise<string[][]> {
		const { stdout } = await runChecked(
			join(this.binFolder, 'psql'),
			['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user, '-d', this.database, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql],
			{ cwd: '/', env: cleanEnvironment(), timeoutMs: 60_000 },
		);
		return stdout
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('|'));
	}

	/** Fast shutdown (SIGINT), SIGKILL to the group after 15 s. */
	async stop(): Promise<void> {
		await this.server.stop(15_000, 'SIGINT');
	}
}

/**
 * `initdb` into `<dataFolder>/data` and `postgres` on 127.0.0.1 and a free port (its socket in `<dataFolder>/socket`;
 * durability off, it is thrown away), then `createdb n8n`. As root, both run as the `postgres` user, who then owns
 * `dataFolder`; the folders above it must let that user through.
 */
export async function startPostgres(dataFolder: string): Promise<PostgresService> {
	const binFolder = postgresBinFolder();
	if (binFolder === undefined) throw new Error('PostgreSQL is not installed (ensureQueueServices installs it)');
	const data = join(dataFolder, 'data');
	const socket = join(dataFolder, 'socket');
	mkdirSync(socket, { recursive: true });
	const asRoot = process.getuid?.() === 0;
	const asPostgres = (command: string, args: string[]): [string, string[]] =>
		asRoot ? ['runuser', ['-u', POSTGRES_USER, '--', command, ...args]] : [command, args];
	if (asRoot) {
		const { uid, gid } = await postgresIds();
		for (const path of [dataFolder, socket]) chownSync(path, uid, gid);
		chmodSync(dataFolder, 0o700);
	}
	const environment = cleanEnvironment();
	const [initCommand, initArgs] = asPostgres(join(binFolder, 'initdb'), ['-D', data, '-U', POSTGRES_USER, '-A', 'trust', '-E', 'UTF8', '--no-sync']);
	await runChecked(initCommand, initArgs, { cwd: '/', env: environment, timeoutMs: 120_000 });
	const port = await freePort();
	const [command, args] = asPostgres(join(binFolder, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		socket,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	]);
	const server = GroupProcess.spawn('postgres', command, args, { cwd: '/', env: environment });
	const service = new PostgresService(server, port, binFolder);
	try {
		await server.waitForOutput('database system is ready to accept connections', 60_000);
		await runChecked(join(binFolder, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES_USER, N8N_DATABASE], {
			cwd: '/',
			env: environment,
			timeoutMs: 60_000,
		});
	} catch (error) {
		await service.stop();
		throw error;
	}
	return service;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
	const { stdout } = await runChecked('id', [POSTGRES_USER], { cwd: '/', env: cleanEnvironment() });
	const uid = /uid=(\d+)/.exec(stdout)?.[1];
	const gid = /gid=(\d+)/.exec(stdout)?.[1];
	if (uid === undefined || gid === undefined) throw new Error(`No ids for the ${POSTGRES_USER} user: ${stdout}`);
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * The environment of every n8n process of a queue-mode set-up (main and workers): queue mode, the Redis queue, the
 * shared PostgreSQL database.
 */
export function queueModeEnvironment(redis: RedisService, postgres: PostgresService): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: 'postgres',
	};
}
