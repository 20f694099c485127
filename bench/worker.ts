/**
 * Runs one scenario in a fresh process through n8n's real engine (the engine harness) and reports its figures over
 * the IPC channel. Environment: BENCH_SCENARIO (JSON), BENCH_URL (the provider), BENCH_SMTP (host:port),
 * BENCH_CACHE (the peers' folder).
 */
import '../test/engine/harness';

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { TargetSmsSandbox } from '../test/sandbox/server';
import { TargetSmsSmtpSandbox } from '../test/sandbox/smtp/server';
import type { HarnessNode, RunResult } from '../test/engine/harness';
import { loadNodeType, runWorkflow } from '../test/engine/harness';
import { EMAIL_FROM, emailItems, PEER_BODY_EXPRESSION, phoneOf, SENDER, smsItems, textOf } from './data';
import { loadHttpRequestNode, minimalEmailNode, minimalSmsNode, sequentialNode } from './peers';
import type { ParameterReads, Scenario, ScenarioResult, WorkerCommand, WorkerMessage } from './protocol';

const scenario = JSON.parse(process.env.BENCH_SCENARIO ?? '{}') as Scenario;
const providerUrl = process.env.BENCH_URL ?? '';
const [smtpHost, smtpPort] = (process.env.BENCH_SMTP ?? '127.0.0.1:0').split(':');

const SMS_TYPE = 'n8n-nodes-targetsms.targetSms';
const EMAIL_TYPE = 'n8n-nodes-targetsms.targetSmsEmail';
const EMAIL2SMS_TYPE = 'n8n-nodes-targetsms.targetSmsEmail2Sms';
const STATUS_TYPE = 'n8n-nodes-targetsms.targetSmsStatus';
const MEASURED = 'Measured';

const LOGIN = { login: TargetSmsSandbox.DEFAULT_LOGIN, password: TargetSmsSandbox.DEFAULT_PASSWORD };

const credentials = {
	targetSmsApi: {
		data: {
			login: TargetSmsSandbox.DEFAULT_LOGIN,
			password: TargetSmsSandbox.DEFAULT_PASSWORD,
			smsBaseUrl: providerUrl,
			apiBaseUrl: providerUrl,
		},
	},
	targetSmsEmail2SmsApi: {
		data: {
			host: smtpHost,
			port: Number(smtpPort),
			secure: false,
			user: TargetSmsSmtpSandbox.DEFAULT_SMTP_USER,
			password: TargetSmsSmtpSandbox.DEFAULT_SMTP_PASSWORD,
			from: TargetSmsSmtpSandbox.DEFAULT_RETURN_ADDRESS,
			smsLogin: TargetSmsSmtpSandbox.DEFAULT_SMS_LOGIN,
			smsPassword: TargetSmsSmtpSandbox.DEFAULT_SMS_PASSWORD,
			gatewayAddress: TargetSmsSmtpSandbox.DEFAULT_GATEWAY_ADDRESS,
		},
	},
};

/** CPU of the main thread alone (Linux: /proc, 10 ms ticks), in ms; NaN elsewhere. */
export function mainThreadCpuMs(): number {
	try {
		const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
	} catch {
		return Number.NaN;
	}
}

function cpuMs(since?: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(since);
	return (used.user + used.system) / 1000;
}

/** What the measured node spent, filled in by {@link measured} each time it runs (the last run counts). */
interface NodeMeter extends CpuMeter {
	wallMs: number;
	reads: Map<string, ParameterReads>;
	/** Every getNodeParameter call's arguments, in order, for the replay. */
	calls: unknown[][];
	/** What each of those calls returned (or threw), in the same order, for the answered run. */
	answers: Answer[];
}

type Answer = { value: unknown } | { thrown: unknown };

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(containsExpression);
	return false;
}

function rawParameter(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as IDataObject)[key] : undefined;
	return value;
}

type ParameterContext = { getNodeParameter: (...args: unknown[]) => unknown };

/** CPU of a piece of work: the whole process's and the main thread's. */
interface CpuMeter {
	cpuMs: number;
	mainThreadCpuMs: number;
}

/** Runs `work`, writing its CPU into `meter` when it ends (also when it throws). */
async function metered<T>(meter: CpuMeter, work: () => Promise<T>): Promise<T> {
	const startCpu = process.cpuUsage();
	const startMain = mainThreadCpuMs();
	try {
		return await work();
	} finally {
		meter.cpuMs = cpuMs(startCpu);
		meter.mainThreadCpuMs = mainThreadCpuMs() - startMain;
	}
}

/** The node type with another execute(), everything else (description, methods) its own. */
function withExecute(nodeType: INodeType, execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>): INodeType {
	const wrapped = Object.create(nodeType) as INodeType;
	wrapped.execute = execute;
	return wrapped;
}

/** The node type with its execute() metered: CPU and wall while it runs, and each n8n parameter read counted and recorded. */
function measured(nodeType: INodeType, meter: NodeMeter, record = false): INodeType {
	return withExecute(nodeType, async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const context = this as unknown as ParameterContext;
		const original = context.getNodeParameter;
		const parameters = this.getNode().parameters;
		const reads = new Map<string, ParameterReads>();
		const calls: unknown[][] = [];
		const answers: Answer[] = [];
		context.getNodeParameter = (...args: unknown[]) => {
			const name = String(args[0]);
			let entry = reads.get(name);
			if (!entry) {
				entry = { name, reads: 0, expression: containsExpression(rawParameter(parameters, name)) };
				reads.set(name, entry);
			}
			entry.reads++;
			if (!record) return original(...args);
			calls.push(args);
			try {
				const value = original(...args);
				answers.push({ value });
				return value;
			} catch (thrown) {
				answers.push({ thrown });
				throw thrown;
			}
		};
		const startWall = performance.now();
		try {
			return await metered(meter, async () => (await nodeType.execute!.call(this)) as INodeExecutionData[][]);
		} finally {
			meter.wallMs = performance.now() - startWall;
			meter.reads = reads;
			meter.calls = calls;
			meter.answers = answers;
		}
	});
}

/**
 * The node's own work, measured directly: the same node on the same items, its getNodeParameter answered from a
 * recording of the same run's reads (same calls, same order, same values), so neither n8n's expression evaluation nor
 * its garbage is in the figure. A call that differs from the recording fails the run.
 */
function answered(nodeType: INodeType, calls: readonly unknown[][], answers: readonly Answer[], meter: CpuMeter): INodeType {
	return withExecute(nodeType, async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const context = this as unknown as ParameterContext;
		let next = 0;
		context.getNodeParameter = (...args: unknown[]) => {
			const index = next++;
			if (index >= calls.length || calls[index][0] !== args[0] || calls[index][1] !== args[1]) {
				throw new Error(`The answered run read ${String(args[0])} of item ${String(args[1])}, the recording read ${String(calls[index]?.[0])} of item ${String(calls[index]?.[1])}`);
			}
			const answer = answers[index];
			if ('thrown' in answer) throw answer.thrown;
			return answer.value;
		};
		return await metered(meter, async () => (await nodeType.execute!.call(this)) as INodeExecutionData[][]);
	});
}

/**
 * n8n's parameter evaluation, measured as CPU: the same node type (same description, so the same validation), whose
 * execute() only makes the recorded getNodeParameter calls, in order, and outputs nothing. Its CPU includes what
 * those reads cost afterwards (their garbage), which timing each call would miss.
 */
function replaying(nodeType: INodeType, calls: readonly unknown[][], meter: CpuMeter): INodeType {
	return withExecute(nodeType, async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const context = this as unknown as ParameterContext;
		const kept = await metered(meter, async () => {
			let count = 0;
			for (const args of calls) {
				try {
					if (context.getNodeParameter(...args) !== undefined) count++;
				} catch {
					// A read that fails in the node fails here too.
				}
			}
			return count;
		});
		return [[{ json: { kept } }]];
	});
}

function distNode(dist: string, folder: string, className: string): INodeType {
	return loadNodeType(resolve(dist, `nodes/${folder}/${folder}.node.js`), className);
}

/** Sends the bench `message` and waits for its `reply`. */
async function handshake(message: WorkerMessage, reply: WorkerCommand['type']): Promise<void> {
	await new Promise<void>((resolveWait) => {
		process.once('message', (command: WorkerCommand) => {
			if (command.type === reply) resolveWait();
		});
		process.send?.(message);
	});
}

/** Tells the bench the worker is warmed up and waits until it has reset the provider's records. */
const waitForMeasure = (): Promise<void> => handshake({ type: 'warmedUp' }, 'measure');

/** Tells the bench the measured run is over and waits until it has read the provider's figures. */
const reportMeasured = (): Promise<void> => handshake({ type: 'measured' }, 'continue');

interface Workflow {
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	items: IDataObject[];
	nodes: HarnessNode[];
}

async function timedRun(workflow: Workflow, meter?: NodeMeter): Promise<ScenarioResult> {
	const startCpu = process.cpuUsage();
	const startWall = performance.now();
	const run = await runWorkflow({ ...workflow, credentials });
	const wallMs = performance.now() - startWall;
	const processCpuMs = cpuMs(startCpu);
	return summarise(run, wallMs, processCpuMs, meter);
}

function summarise(run: RunResult, wallMs: number, processCpuMs: number, meter?: NodeMeter): ScenarioResult {
	const error = run.error ?? run.nodeError(MEASURED);
	let output: INodeExecutionData[] = [];
	try {
		output = run.output(MEASURED);
	} catch {
		output = [];
	}
	const result: ScenarioResult = {
		wallMs,
		processCpuMs,
		outputItems: output.length,
		errorItems: output.filter((item) => item.json.error !== undefined).length,
		error: error ? `${error.message}${(error as { description?: string }).description ? ` (${(error as { description?: string }).description})` : ''}` : undefined,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
	};
	if (meter) {
		result.nodeWallMs = meter.wallMs;
		result.nodeCpuMs = meter.cpuMs;
		result.parameterReads = [...meter.reads.values()];
	}
	return result;
}

function newMeter(): NodeMeter {
	return { cpuMs: 0, mainThreadCpuMs: 0, wallMs: 0, reads: new Map(), calls: [], answers: [] };
}

const SMS_PARAMETERS: INodeParameters = {
	operation: 'send',
	channel: 'sms',
	phones: '={{ $json.phone }}',
	smsSender: SENDER,
	smsText: '={{ $json.text }}',
	options: {},
};

async function runSms(run: Extract<Scenario, { kind: 'sms' }>): Promise<ScenarioResult> {
	const meter = newMeter();
	const nodeType = run.node === 'minimal' ? minimalSmsNode(LOGIN, `${providerUrl}/xml/message.php`) : distNode(run.dist, 'TargetSms', 'TargetSms');
	// Recording the calls (for the replay) only where the run is warmed up: the 100,000-recipient runs measure memory.
	const nodeTypes = { [SMS_TYPE]: measured(nodeType, meter, run.warmup) };
	const nodes = [{ name: MEASURED, type: SMS_TYPE, parameters: SMS_PARAMETERS }];
	if (run.warmup) await timedRun({ nodeTypes, items: smsItems(500, run.phonesPerItem), nodes });
	const samples: NonNullable<ScenarioResult['samples']> = [];
	let result: ScenarioResult | undefined;
	for (let sample = 0; sample < (run.samples ?? 1); sample++) {
		const items = smsItems(run.items, run.phonesPerItem);
		await waitForMeasure();
		result = await timedRun({ nodeTypes, items, nodes }, meter);
		if (run.warmup) {
			await reportMeasured();
			// The same reads again, alone, on the same items: n8n's share of the node's CPU.
			const replay: CpuMeter = { cpuMs: 0, mainThreadCpuMs: 0 };
			const own: CpuMeter = { cpuMs: 0, mainThreadCpuMs: 0 };
			const { calls, answers } = meter;
			meter.calls = [];
			meter.answers = [];
			await runWorkflow({ nodeTypes: { [SMS_TYPE]: replaying(nodeType, calls, replay) }, items, nodes, credentials });
			// A new execution, so new derived ids: the provider accepts these sends as it accepted the measured run's.
			const answeredRun = await runWorkflow({ nodeTypes: { [SMS_TYPE]: answered(nodeType, calls, answers, own) }, items, nodes, credentials });
			if (answeredRun.error) throw answeredRun.error;
			result.parameterCpuMs = replay.cpuMs;
			result.nodeOwnCpuMs = own.cpuMs;
			result.nodeLessParametersCpuMs = (result.nodeCpuMs ?? 0) - replay.cpuMs;
			result.mainThread = { nodeCpuMs: meter.mainThreadCpuMs, parameterCpuMs: replay.mainThreadCpuMs, nodeOwnCpuMs: own.mainThreadCpuMs };
		}
		const { wallMs, processCpuMs, nodeCpuMs, parameterCpuMs, nodeOwnCpuMs, nodeLessParametersCpuMs, mainThread } = result;
		samples.push({ wallMs, processCpuMs, nodeCpuMs, parameterCpuMs, nodeOwnCpuMs, nodeLessParametersCpuMs, mainThread });
	}
	return leastOf(result!, samples);
}

/**
 * The least of each figure over the samples: other work on the machine only ever adds CPU time, so the least is the
 * closest to the work itself. The node's own share is the least node CPU less the least parameter evaluation.
 */
function leastOf(last: ScenarioResult, samples: NonNullable<ScenarioResult['samples']>): ScenarioResult {
	const least = (pick: (sample: (typeof samples)[number]) => number | undefined) => {
		const values = samples.map(pick).filter((value): value is number => value !== undefined);
		return values.length === 0 ? undefined : Math.min(...values);
	};
	const result: ScenarioResult = { ...last, samples, wallMs: least((sample) => sample.wallMs)!, processCpuMs: least((sample) => sample.processCpuMs)! };
	result.nodeCpuMs = least((sample) => sample.nodeCpuMs);
	result.parameterCpuMs = least((sample) => sample.parameterCpuMs);
	result.buildCpuMs = least((sample) => sample.buildCpuMs);
	result.parseCpuMs = least((sample) => sample.parseCpuMs);
	result.nodeOwnCpuMs = least((sample) => sample.nodeOwnCpuMs);
	if (result.nodeCpuMs !== undefined && result.parameterCpuMs !== undefined) result.nodeLessParametersCpuMs = result.nodeCpuMs - result.parameterCpuMs;
	return result;
}

async function runHttpRequest(run: Extract<Scenario, { kind: 'httpRequest' }>): Promise<ScenarioResult> {
	const nodeTypes = { 'n8n-nodes-base.httpRequest': loadHttpRequestNode(process.env.BENCH_CACHE ?? '') };
	const parameters: INodeParameters = {
		method: 'POST',
		url: `${providerUrl}/xml/message.php`,
		sendBody: true,
		contentType: 'raw',
		rawContentType: 'text/xml; charset=utf-8',
		body: PEER_BODY_EXPRESSION,
		options: run.batching ? { batching: { batch: run.batching } } : {},
	};
	const items = smsItems(run.items);
	await waitForMeasure();
	return await timedRun({ nodeTypes, items, nodes: [{ name: MEASURED, type: 'n8n-nodes-base.httpRequest', parameters }] });
}

async function runSequential(run: Extract<Scenario, { kind: 'sequential' }>): Promise<ScenarioResult> {
	const parameters: INodeParameters = { url: `${providerUrl}/xml/message.php`, body: PEER_BODY_EXPRESSION };
	const items = smsItems(run.items);
	await waitForMeasure();
	return await timedRun({ nodeTypes: { 'bench.sequential': sequentialNode }, items, nodes: [{ name: MEASURED, type: 'bench.sequential', parameters }] });
}

/**
 * The floor: fast-xml-parser alone building the documents the node sends (same requests, same elements) from the
 * same items, and parsing the replies the provider gave the node.
 */
async function runFloor(run: Extract<Scenario, { kind: 'floor' }>): Promise<ScenarioResult> {
	const replies = JSON.parse(readFileSync(run.repliesFile, 'utf8')) as string[];
	const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: true });
	const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false });
	const perRequest = Math.ceil(run.items / Math.max(1, replies.length));
	const build = (count: number): number => {
		let bytes = 0;
		for (let start = 0; start < count; start += perRequest) {
			const messages = [];
			for (let index = start; index < Math.min(count, start + perRequest); index++) {
				messages.push({
					send_viber: '0',
					send_sms: '1',
					sender_sms: SENDER,
					text_sms: textOf(index),
					abonent: { '@_phone': phoneOf(index), '@_client_id_message': String(1_000_000_000 + index) },
				});
			}
			const document = { request: { security: { login: { '@_value': 'demo' }, password: { '@_value': 'demo1234' } }, message: messages } };
			bytes += (builder.build(document) as string).length;
		}
		return bytes;
	};
	const parse = (bodies: readonly string[]): number => bodies.reduce((count, body) => count + Object.keys(parser.parse(body) as object).length, 0);
	// Warmed up by the whole work once, as the node is by its warm-up run: the samples measure compiled code.
	build(run.items);
	parse(replies);
	const samples: NonNullable<ScenarioResult['samples']> = [];
	for (let sample = 0; sample < (run.samples ?? 1); sample++) {
		await waitForMeasure();
		const startCpu = process.cpuUsage();
		const startWall = performance.now();
		build(run.items);
		const buildCpuMs = cpuMs(startCpu);
		const parseStart = process.cpuUsage();
		parse(replies);
		const parseCpuMs = cpuMs(parseStart);
		samples.push({ wallMs: performance.now() - startWall, processCpuMs: cpuMs(startCpu), buildCpuMs, parseCpuMs });
	}
	const result = leastOf({ wallMs: 0, processCpuMs: 0, outputItems: run.items, errorItems: 0, peakRssMb: process.resourceUsage().maxRSS / 1024 }, samples);
	result.processCpuMs = (result.buildCpuMs ?? 0) + (result.parseCpuMs ?? 0);
	return result;
}

async function runEmail(run: Extract<Scenario, { kind: 'email' }>): Promise<ScenarioResult> {
	const meter = newMeter();
	const nodeType = run.node === 'minimal' ? minimalEmailNode(LOGIN, `${providerUrl}/clients/api.php`) : distNode(run.dist, 'TargetSmsEmail', 'TargetSmsEmail');
	const nodeTypes = { [EMAIL_TYPE]: measured(nodeType, meter) };
	const parameters: INodeParameters = {
		operation: 'send',
		format: 'json',
		from: EMAIL_FROM,
		to: '={{ $json.email }}',
		subject: 'Ваш заказ готов',
		body: '={{ $json.body }}',
		options: run.concurrency === undefined ? {} : { concurrency: run.concurrency },
	};
	const nodes = [{ name: MEASURED, type: EMAIL_TYPE, parameters }];
	if (run.warmup) await timedRun({ nodeTypes, items: emailItems(20), nodes });
	await waitForMeasure();
	return await timedRun({ nodeTypes, items: emailItems(run.items), nodes }, meter);
}

async function runEmail2Sms(run: Extract<Scenario, { kind: 'email2sms' }>): Promise<ScenarioResult> {
	const meter = newMeter();
	const nodeTypes = { [EMAIL2SMS_TYPE]: measured(distNode(run.dist, 'TargetSmsEmail2Sms', 'TargetSmsEmail2Sms'), meter) };
	const phones = Array.from({ length: run.phones }, (_, index) => phoneOf(index));
	const onePhonePerItem = run.layout === 'onePhonePerItem';
	const items = onePhonePerItem ? phones.map((phone) => ({ phones: phone })) : [{ phones: phones.join(',') }];
	const parameters: INodeParameters = {
		operation: 'send',
		phones: '={{ $json.phones }}',
		sender: SENDER,
		text: 'Скидка 10% на всё до воскресенья',
		options: onePhonePerItem ? { groupItems: true } : {},
	};
	await waitForMeasure();
	return await timedRun({ nodeTypes, items, nodes: [{ name: MEASURED, type: EMAIL2SMS_TYPE, parameters }] }, meter);
}

async function runStatus(run: Extract<Scenario, { kind: 'status' }>): Promise<ScenarioResult> {
	const meter = newMeter();
	const nodeTypes = {
		[SMS_TYPE]: distNode(run.dist, 'TargetSms', 'TargetSms'),
		[STATUS_TYPE]: measured(distNode(run.dist, 'TargetSmsStatus', 'TargetSmsStatus'), meter),
	};
	await waitForMeasure();
	return await timedRun(
		{
			nodeTypes,
			items: smsItems(run.ids),
			nodes: [
				{ name: 'Send', type: SMS_TYPE, parameters: SMS_PARAMETERS },
				{ name: MEASURED, type: STATUS_TYPE, parameters: { operation: 'get', resource: 'message', ids: '={{ $json.messageId }}' } },
			],
		},
		meter,
	);
}

async function main(): Promise<void> {
	let result: ScenarioResult;
	switch (scenario.kind) {
		case 'sms':
			result = await runSms(scenario);
			break;
		case 'httpRequest':
			result = await runHttpRequest(scenario);
			break;
		case 'sequential':
			result = await runSequential(scenario);
			break;
		case 'floor':
			result = await runFloor(scenario);
			break;
		case 'email':
			result = await runEmail(scenario);
			break;
		case 'email2sms':
			result = await runEmail2Sms(scenario);
			break;
		case 'status':
			result = await runStatus(scenario);
			break;
	}
	process.send?.({ type: 'result', result } satisfies WorkerMessage, undefined, {}, () => process.exit(0));
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
