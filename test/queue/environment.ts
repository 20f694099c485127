/**
 * n8n in queue mode, the way users scale it out: Redis and PostgreSQL (Debian's, installed when missing, started here
 * on free loopback ports), one main (`n8n start`: webhooks, the editor) and two workers (`n8n worker`), all from the one
 * n8n install in the cache and sharing one user folder, in which the package is installed as n8n installs a
 * community package; the TargetSMS sandbox in this process, its credential imported, and example 01 (new order →
 * SMS) imported and published before the main starts. Everything started here is stopped by `stop()`.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sandboxCredentials } from '../../scripts/n8n/credentials';
import { N8nInstance, type N8nServer, type N8nWorker, packPackage, type WorkflowJson } from '../../scripts/n8n/instance';
import { formatDuration } from '../../scripts/n8n/process';
import {
	ensureQueueServices,
	type PostgresService,
	queueModeEnvironment,
	type RedisService,
	startPostgres,
	startRedis,
} from '../../scripts/n8n/queue-services';
import { examplesFolder, readWorkflow } from '../../scripts/n8n/workflows';
import { TargetSmsSandbox } from '../sandbox/server';
import { TargetSmsSmtpSandbox } from '../sandbox/smtp/server';

/**
 * How long a worker's lock on a job lasts, how often it renews it and how often the workers look for stalled jobs
 * (n8n 2.41.1: `QUEUE_WORKER_LOCK_DURATION` 60 s, `QUEUE_WORKER_LOCK_RENEW_TIME` 10 s, `QUEUE_WORKER_STALLED_INTERVAL`
 * 30 s by default; n8n sets Bull's maxStalledCount to 0, so a stalled job fails at once). Shortened, so that the
 * executions of a killed worker fail within seconds instead of minutes.
 */
export const SHORT_LOCKS: Readonly<Record<string, string>> = {
	QUEUE_WORKER_LOCK_DURATION: '8000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '4000',
};

export const WORKER_CONCURRENCY = 5;
const EXAMPLE = '01-order-webhook-sms.json';

export class QueueEnvironment {
	readonly workers: N8nWorker[] = [];
	main: N8nServer | undefined;
	redis: RedisService | undefined;
	postgres: PostgresService | undefined;
	instance: N8nInstance | undefined;
	workflow: WorkflowJson | undefined;
	readonly sandbox = new TargetSmsSandbox();
	private readonly smtp = new TargetSmsSmtpSandbox();
	readonly folder = mkdtempSync(join(tmpdir(), 'targetsms-queue-'));

	private constructor(private readonly log: (line: string) => void) {
		// PostgreSQL runs as its own user (when this runs as root), which must get through to its folder in here.
		chmodSync(this.folder, 0o711);
	}

	/** Starts everything; on a failure, stops what already runs and rethrows. */
	static async start(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<QueueEnvironment> {
		const environment = new QueueEnvironment(log);
		try {
			await environment.setUp();
			return environment;
		} catch (error) {
			process.stderr.write(environment.outputTails());
			await environment.stop();
			throw error;
		}
	}

	/** The example's production webhook. */
	get webhookUrl(): string {
		return `${this.server.url}/webhook/order`;
	}

	/** The main n8n (webhooks, REST). */
	get server(): N8nServer {
		if (!this.main) throw new Error('The main n8n is not running');
		return this.main;
	}

	get workflowId(): string {
		if (!this.workflow?.id) throw new Error('The example is not imported');
		return this.workflow.id;
	}

	private async setUp(): Promise<void> {
		const started = Date.now();
		const phase = (text: string): void => this.log(`[${formatDuration(Date.now() - started)}] ${text}`);
		await ensureQueueServices(this.log);
		const sandboxUrl = await this.sandbox.start();
		const smtpAddress = await this.smtp.start();
		[this.redis, this.postgres] = await Promise.all([startRedis(join(this.folder, 'redis')), startPostgres(join(this.folder, 'postgres'))]);
		phase(`Redis on port ${this.redis.port}, PostgreSQL on port ${this.postgres.port}`);
		const instance = await N8nInstance.create({
			userFolder: join(this.folder, 'n8n'),
			log: this.log,
			env: { ...queueModeEnvironment(this.redis, this.postgres), ...SHORT_LOCKS },
		});
		this.instance = instance;
		await instance.installPackage(await packPackage(join(this.folder, 'pack')));
		phase('package installed as a community package');
		await instance.importCredentials(sandboxCredentials(sandboxUrl, { ...smtpAddress, sandbox: this.smtp }));
		const workflow = readWorkflow(join(examplesFolder(), EXAMPLE));
		const id = await instance.importWorkflow(workflow);
		this.workflow = { ...workflow, id };
		await instance.publishWorkflow(id);
		phase('credentials and example 01 imported, example published');
		this.main = await instance.start({ port: 0 });
		phase(`main at ${this.main.url}`);
		const workers = await Promise.all(
			['worker A', 'worker B'].map((label) => instance.startWorker({ concurrency: WORKER_CONCURRENCY, label })),
		);
		this.workers.push(...workers);
		await this.main.waitForWebhook('order', 'POST');
		phase(`two workers ready (concurrency ${WORKER_CONCURRENCY} each), webhook registered`);
	}

	/** The example's executions, oldest first, from the database. */
	async executions(afterId = 0): Promise<Array<{ id: string; status: string; mode: string }>> {
		if (!this.postgres) throw new Error('PostgreSQL is not running');
		const rows = await this.postgres.query(
			`SELECT id, status, mode FROM execution_entity WHERE "workflowId" = '${this.workflowId}' AND id > ${afterId} ORDER BY id`,
		);
		return rows.map(([id, status, mode]) => ({ id, status, mode }));
	}

	/** The last lines each n8n process printed (for a failure's report). */
	outputTails(lines = 40): string {
		const processes = [...(this.main ? [this.main] : []), ...this.workers];
		return processes.map((child) => `--- ${child.label}:\n${child.output.split('\n').slice(-lines).join('\n')}\n`).join('');
	}

	/** Stops the workers, the main, Redis, PostgreSQL and the sandboxes; removes the folder. */
	async stop(): Promise<void> {
		await Promise.allSettled(this.workers.map((worker) => worker.stop()));
		await this.main?.stop();
		await Promise.allSettled([this.redis?.stop(), this.postgres?.stop(), this.sandbox.stop(), this.smtp.stop()]);
		if (process.env.TARGETSMS_E2E_KEEP === '1') {
			process.stderr.write(`Kept ${this.folder}\n`);
		} else {
			rmSync(this.folder, { recursive: true, force: true });
		}
	}
}
