/**
 * `npm run bench`: the figures of issue 9 through n8n's real engine (in-process, one fresh worker process per
 * measurement) against the TargetSMS sandbox in its own process with a simulated latency. Prints a table and writes
 * bench/results.json. Figures b and c also measure the minimal node of peers.ts: what any node inside n8n pays.
 *
 * Options: --only=a,b,c,d,e,f,g (figures; default all), --repeat=N (rounds of figures b and c, default 3),
 * --latency=MS (default 30), --compare=LABEL=DIST (also measure the nodes of another build's dist folder, side by
 * side; repeatable), --cpu-prof=DIR (profile the 10,000-item SMS workers), --worker-flags='FLAGS' (more Node flags
 * for those workers), --items=N (fewer items, for a quick look), --out=FILE.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem, type as osType, release } from 'node:os';
import { join, resolve } from 'node:path';

import { ensurePeers, N8N_NODES_BASE_VERSION } from './install';
import type { ProviderAnswer, ProviderCommand, ProviderReady, ProviderStats, Scenario, ScenarioResult, WorkerMessage } from './protocol';
import { DEFAULT_LATENCY_MS } from './protocol';

const ROOT = resolve(__dirname, '../..');
const BUILT = resolve(__dirname);
const FIGURES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'] as const;
type Figure = (typeof FIGURES)[number];

/** Items of figures a, b, f and g (10,000; `--items=N` for a quick look, not for the figures). */
let SMS_ITEMS = 10_000;
const BATCH_SIZE = 500;
const IDS_PER_REQUEST = 500;
const EMAILS = 1_000;
/** Measured runs per worker process for the CPU figures (each worker reports the least). */
const SAMPLES = 3;
/** Passes of the floor per worker (each a fraction of a second; more of them steady its least). */
const FLOOR_SAMPLES = 6;
const EMAIL2SMS_PHONES = 1_000;
/** The HTTP Request node's Batching as a careful user would set it: 50 items per batch, a batch every 100 ms. */
const CAREFUL_BATCHING = { batchSize: 50, batchInterval: 100 };

interface Options {
	only: Set<Figure>;
	repeat: number;
	latencyMs: number;
	contenders: Array<{ label: string; dist: string }>;
	cpuProfDir?: string;
	/** Further Node flags for the 10,000-item SMS workers (e.g. --trace-gc), space-separated. */
	workerFlags: string[];
	out: string;
	items: number;
}

function parseOptions(argv: readonly string[]): Options {
	const value = (name: string) => argv.filter((argument) => argument.startsWith(`--${name}=`)).map((argument) => argument.slice(name.length + 3));
	const only = value('only')[0];
	const options: Options = {
		only: new Set((only ? only.split(',') : FIGURES) as Figure[]),
		repeat: Number(value('repeat')[0] ?? 3),
		latencyMs: Number(value('latency')[0] ?? DEFAULT_LATENCY_MS),
		contenders: [{ label: 'this build', dist: join(ROOT, 'dist') }],
		cpuProfDir: value('cpu-prof')[0],
		workerFlags: (value('worker-flags')[0] ?? '').split(' ').filter((flag) => flag !== ''),
		out: value('out')[0] ?? join(ROOT, 'bench', 'results.json'),
		items: Number(value('items')[0] ?? 10_000),
	};
	for (const compare of value('compare')) {
		const [label, dist] = compare.includes('=') ? [compare.slice(0, compare.indexOf('=')), compare.slice(compare.indexOf('=') + 1)] : [compare, compare];
		options.contenders.push({ label, dist: resolve(dist) });
	}
	return options;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

class Provider {
	private readonly waiting: Array<(answer: ProviderAnswer) => void> = [];
	private constructor(
		private readonly child: ChildProcess,
		readonly ready: ProviderReady,
	) {
		child.on('message', (answer: ProviderAnswer) => this.waiting.shift()?.(answer));
	}

	static async start(latencyMs: number): Promise<Provider> {
		const child = fork(join(BUILT, 'provider.js'), [String(latencyMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const ready = await new Promise<ProviderReady>((resolveReady, reject) => {
			child.once('message', (message: ProviderAnswer) => (message.type === 'ready' ? resolveReady(message) : reject(new Error('provider'))));
			child.once('exit', (code) => reject(new Error(`The provider exited (${code})`)));
		});
		return new Provider(child, ready);
	}

	ask<T extends ProviderAnswer>(command: ProviderCommand): Promise<T> {
		return new Promise((resolveAnswer) => {
			this.waiting.push((answer) => resolveAnswer(answer as T));
			this.child.send(command);
		});
	}

	stop(): void {
		this.child.disconnect();
	}
}

interface Measurement {
	result: ScenarioResult;
	provider: ProviderStats;
}

/**
 * Runs one worker. The provider's records are reset before each measured run; a worker that runs more after a
 * measured run (the SMS worker's replay and answered runs) reports `measured` first, and the figures (and, with
 * `dumpRepliesTo`, the replies for the floor) are taken from the provider at that moment.
 */
async function measure(provider: Provider, scenario: Scenario, execArgv: string[] = [], dumpRepliesTo?: string): Promise<Measurement> {
	const child = fork(join(BUILT, 'worker.js'), [], {
		execArgv,
		env: {
			...process.env,
			BENCH_SCENARIO: JSON.stringify(scenario),
			BENCH_URL: provider.ready.url,
			BENCH_SMTP: `${provider.ready.smtp.host}:${provider.ready.smtp.port}`,
			BENCH_CACHE: peersFolder,
		},
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	let measuredStats: ProviderStats | undefined;
	const snapshot = async (): Promise<void> => {
		measuredStats = await provider.ask<ProviderStats>({ type: 'stats' });
		if (dumpRepliesTo) await provider.ask({ type: 'dumpReplies', path: '/xml/message.php', file: dumpRepliesTo });
	};
	const result = await new Promise<ScenarioResult>((resolveResult, reject) => {
		child.on('message', (message: WorkerMessage) => {
			if (message.type === 'warmedUp') void provider.ask({ type: 'reset' }).then(() => child.send({ type: 'measure' }));
			else if (message.type === 'measured') void snapshot().then(() => child.send({ type: 'continue' }));
			else resolveResult(message.result);
		});
		child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`A worker (${scenario.kind}) exited with ${code}`))));
	});
	const stats = measuredStats ?? (await provider.ask<ProviderStats>({ type: 'stats' }));
	if (dumpRepliesTo && !measuredStats) await provider.ask({ type: 'dumpReplies', path: '/xml/message.php', file: dumpRepliesTo });
	await new Promise((resolveExit) => (child.exitCode === null ? child.once('exit', resolveExit) : resolveExit(undefined)));
	if (result.error) log(`  ! ${scenario.kind}: ${result.error.slice(0, 300)}`);
	return { result, provider: stats };
}

let peersFolder = '';

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`);
const ratio = (value: number) => `${value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2)}×`;

interface Row {
	figure: string;
	what: string;
	values: string[];
	target: string;
	met?: boolean;
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const has = (figure: Figure) => options.only.has(figure);
	SMS_ITEMS = options.items;
	if (has('a')) peersFolder = ensurePeers(log);
	const scratch = mkdtempSync(join(tmpdir(), 'targetsms-bench-'));
	const loadBefore = loadavg();
	const started = new Date();
	const provider = await Provider.start(options.latencyMs);
	log(`Provider (sandbox, ${options.latencyMs} ms latency) at ${provider.ready.url}; ${cpus().length} cores; load ${loadBefore.map((load) => load.toFixed(2)).join(' ')}`);
	const contenders = options.contenders;
	const figures: Record<string, unknown> = {};
	const rows: Row[] = [];
	// A reference the same for every contender (the minimal node): shown once, in the first column.
	const once = (value: string) => contenders.map((_contender, index) => (index === 0 ? value : ''));
	const main = contenders[0];

	// a, b, g: the 10,000-item SMS run, side by side with the floor, repeated.
	const smsRuns = new Map<string, Measurement[]>(contenders.map((contender) => [contender.label, []]));
	const floorRuns: Measurement[] = [];
	const minimalRuns: Measurement[] = [];
	if (has('a') || has('b') || has('g')) {
		const repliesFile = join(scratch, 'replies.json');
		for (let round = 0; round < options.repeat; round++) {
			for (const contender of contenders) {
				log(`SMS ${SMS_ITEMS} items (${contender.label}), round ${round + 1}/${options.repeat}`);
				const execArgv = [...options.workerFlags, ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, contender.label.replace(/\W+/g, '-'))}`] : [])];
				if (options.cpuProfDir) mkdirSync(join(options.cpuProfDir, contender.label.replace(/\W+/g, '-')), { recursive: true });
				const dump = contender === main && round === 0 ? repliesFile : undefined;
				smsRuns.get(contender.label)!.push(await measure(provider, { kind: 'sms', items: SMS_ITEMS, phonesPerItem: 1, warmup: true, dist: contender.dist, samples: SAMPLES }, execArgv, dump));
			}
			if (has('b')) {
				log(`Minimal node ${SMS_ITEMS} items, round ${round + 1}/${options.repeat}`);
				minimalRuns.push(await measure(provider, { kind: 'sms', items: SMS_ITEMS, phonesPerItem: 1, warmup: true, dist: '', samples: SAMPLES, node: 'minimal' }));
			}
			log(`Floor (fast-xml-parser), round ${round + 1}/${options.repeat}`);
			floorRuns.push(await measure(provider, { kind: 'floor', items: SMS_ITEMS, repliesFile, samples: FLOOR_SAMPLES }));
		}
	}
	const smsMedian = (label: string, pick: (result: ScenarioResult) => number) => median(smsRuns.get(label)!.map((run) => pick(run.result)));

	if (has('a')) {
		log(`HTTP Request node, defaults (${SMS_ITEMS} requests at once)`);
		const httpDefault = await measure(provider, { kind: 'httpRequest', items: SMS_ITEMS });
		log(`HTTP Request node, Batching ${CAREFUL_BATCHING.batchSize} items every ${CAREFUL_BATCHING.batchInterval} ms`);
		const httpBatched = await measure(provider, { kind: 'httpRequest', items: SMS_ITEMS, batching: CAREFUL_BATCHING });
		log(`One request at a time (${SMS_ITEMS} requests; about ${Math.round((SMS_ITEMS * (options.latencyMs + 2)) / 60_000)} min)`);
		const sequential = await measure(provider, { kind: 'sequential', items: SMS_ITEMS });
		const walls = contenders.map((contender) => smsMedian(contender.label, (result) => result.wallMs));
		const requests = contenders.map((contender) => smsRuns.get(contender.label)![0].provider.requests['/xml/message.php'] ?? 0);
		const expected = Math.ceil(SMS_ITEMS / BATCH_SIZE);
		figures.a = {
			items: SMS_ITEMS,
			contenders: contenders.map((contender, index) => ({ label: contender.label, requests: requests[index], wallMs: walls[index] })),
			httpRequestDefaults: { wallMs: httpDefault.result.wallMs, requests: httpDefault.provider.requests['/xml/message.php'] ?? 0, errorItems: httpDefault.result.errorItems, error: httpDefault.result.error, processCpuMs: httpDefault.result.processCpuMs },
			httpRequestBatching: { ...CAREFUL_BATCHING, wallMs: httpBatched.result.wallMs, requests: httpBatched.provider.requests['/xml/message.php'] ?? 0, error: httpBatched.result.error, processCpuMs: httpBatched.result.processCpuMs },
			sequential: { wallMs: sequential.result.wallMs, requests: sequential.provider.requests['/xml/message.php'] ?? 0, error: sequential.result.error, processCpuMs: sequential.result.processCpuMs },
		};
		rows.push({ figure: 'a', what: `requests for ${SMS_ITEMS.toLocaleString('en')} items`, values: requests.map(String), target: `= ${expected}`, met: requests[0] === expected });
		rows.push({ figure: 'a', what: 'wall', values: walls.map(ms), target: '' });
		rows.push({ figure: 'a', what: `vs one at a time (${ms(sequential.result.wallMs)})`, values: walls.map((wall) => ratio(sequential.result.wallMs / wall)), target: '≥ 50×', met: sequential.result.wallMs / walls[0] >= 50 });
		rows.push({ figure: 'a', what: `vs HTTP Request, defaults (${ms(httpDefault.result.wallMs)})`, values: walls.map((wall) => ratio(httpDefault.result.wallMs / wall)), target: '> 1×', met: httpDefault.result.wallMs > walls[0] });
		rows.push({ figure: 'a', what: `vs HTTP Request, Batching ${CAREFUL_BATCHING.batchSize}/${CAREFUL_BATCHING.batchInterval} ms (${ms(httpBatched.result.wallMs)})`, values: walls.map((wall) => ratio(httpBatched.result.wallMs / wall)), target: '> 1×', met: httpBatched.result.wallMs > walls[0] });
	}

	if (has('b')) {
		// Each round's node against the floor measured right beside it, then the median over rounds.
		const floor = median(floorRuns.map((run) => run.result.processCpuMs));
		const ownToFloor = (runs: readonly Measurement[]) =>
			median(runs.map((run, round) => (run.result.nodeOwnCpuMs ?? 0) / floorRuns[round].result.processCpuMs));
		const own = contenders.map((contender) => smsMedian(contender.label, (result) => result.nodeOwnCpuMs ?? 0));
		const ratios = contenders.map((contender) => ownToFloor(smsRuns.get(contender.label)!));
		const minimalOwn = median(minimalRuns.map((run) => run.result.nodeOwnCpuMs ?? 0));
		const minimalRatio = ownToFloor(minimalRuns);
		figures.b = {
			recipients: SMS_ITEMS,
			how: "each worker: a warm-up run, then 3 measured runs, each followed by a replay of its parameter reads alone (n8n's parameter evaluation) and by the same node answered from a recording of those reads (the node's own); the least of each; the floor's worker: the whole work once to warm up, then 6 passes, the least; the minimal node (peers.ts) measured as the node; the median over rounds; the ratio per round against the floor measured beside it",
			floorCpuMs: floor,
			floorRuns: floorRuns.map((run) => ({ cpuMs: run.result.processCpuMs, buildCpuMs: run.result.buildCpuMs, parseCpuMs: run.result.parseCpuMs, samples: run.result.samples })),
			contenders: contenders.map((contender, index) => ({
				label: contender.label,
				processCpuMs: smsMedian(contender.label, (result) => result.processCpuMs),
				parameterCpuMs: smsMedian(contender.label, (result) => result.parameterCpuMs ?? 0),
				nodeCpuMs: smsMedian(contender.label, (result) => result.nodeCpuMs ?? 0),
				nodeOwnCpuMs: own[index],
				nodeOwnMainThreadCpuMs: smsMedian(contender.label, (result) => result.mainThread?.nodeOwnCpuMs ?? 0),
				nodeLessParametersCpuMs: smsMedian(contender.label, (result) => result.nodeLessParametersCpuMs ?? 0),
				ownToFloor: ratios[index],
				runs: smsRuns.get(contender.label)!.map((run) => ({ processCpuMs: run.result.processCpuMs, nodeCpuMs: run.result.nodeCpuMs, parameterCpuMs: run.result.parameterCpuMs, nodeOwnCpuMs: run.result.nodeOwnCpuMs, nodeLessParametersCpuMs: run.result.nodeLessParametersCpuMs, samples: run.result.samples })),
			})),
			minimal: { nodeOwnCpuMs: minimalOwn, ownToFloor: minimalRatio, runs: minimalRuns.map((run) => ({ nodeOwnCpuMs: run.result.nodeOwnCpuMs, requests: run.provider.requests['/xml/message.php'] ?? 0, outputItems: run.result.outputItems, samples: run.result.samples })) },
		};
		rows.push({ figure: 'b', what: 'whole process CPU', values: contenders.map((contender) => ms(smsMedian(contender.label, (result) => result.processCpuMs))), target: '' });
		rows.push({ figure: 'b', what: "n8n's parameter evaluation (CPU)", values: contenders.map((contender) => ms(smsMedian(contender.label, (result) => result.parameterCpuMs ?? 0))), target: '' });
		rows.push({ figure: 'b', what: "node's CPU less n8n's parameter evaluation", values: contenders.map((contender) => ms(smsMedian(contender.label, (result) => result.nodeLessParametersCpuMs ?? 0))), target: '' });
		rows.push({ figure: 'b', what: "node's own CPU (reads answered from a recording)", values: own.map(ms), target: '' });
		rows.push({ figure: 'b', what: `node's own ÷ floor (floor ${ms(floor)})`, values: ratios.map(ratio), target: '≤ 1.5×', met: ratios[0] <= 1.5 });
		rows.push({ figure: 'b', what: 'minimal node (peers.ts): own CPU', values: once(ms(minimalOwn)), target: '' });
		rows.push({ figure: 'b', what: 'minimal node: own ÷ floor', values: once(ratio(minimalRatio)), target: '' });
	}

	if (has('g')) {
		const reads = contenders.map((contender) => smsRuns.get(contender.label)![0].result.parameterReads ?? []);
		figures.g = { items: SMS_ITEMS, contenders: contenders.map((contender, index) => ({ label: contender.label, reads: reads[index] })) };
		const describe = (list: ReturnType<typeof reads.at> & object, expression: boolean) =>
			list.filter((entry) => entry.expression === expression).map((entry) => `${entry.name} ${entry.reads}`).join(', ') || '—';
		rows.push({ figure: 'g', what: 'reads of static parameters per run', values: reads.map((list) => describe(list, false)), target: '1 each', met: reads[0].filter((entry) => !entry.expression).every((entry) => entry.reads === 1) });
		rows.push({ figure: 'g', what: 'reads of expression parameters per run', values: reads.map((list) => describe(list, true)), target: `${SMS_ITEMS} each (1 per item)` });
	}

	if (has('c')) {
		type EmailPair = { concurrent: Measurement[]; sequential: Measurement[] };
		const pairOf = (): EmailPair => ({ concurrent: [], sequential: [] });
		const runs = new Map<string, EmailPair>(contenders.map((contender) => [contender.label, pairOf()]));
		const minimal = pairOf();
		// Each round: every contender, then the minimal node, side by side.
		const entrants = [...contenders.map((contender) => ({ label: contender.label, pair: runs.get(contender.label)!, scenario: { dist: contender.dist } })), { label: 'minimal node', pair: minimal, scenario: { dist: '', node: 'minimal' as const } }];
		for (let round = 0; round < Math.max(2, options.repeat); round++) {
			for (const { label, pair, scenario } of entrants) {
				log(`Email ${EMAILS} (${label}), default concurrency and one at a time, round ${round + 1}`);
				pair.concurrent.push(await measure(provider, { kind: 'email', items: EMAILS, warmup: true, ...scenario }, options.workerFlags));
				pair.sequential.push(await measure(provider, { kind: 'email', items: EMAILS, concurrency: 1, warmup: true, ...scenario }));
			}
		}
		const medianWall = (measurements: readonly Measurement[]) => median(measurements.map((run) => run.result.wallMs));
		const speedupOf = ({ concurrent, sequential }: EmailPair) => medianWall(sequential) / medianWall(concurrent);
		const minimalSpeedup = speedupOf(minimal);
		const speedups = contenders.map((contender) => speedupOf(runs.get(contender.label)!));
		figures.c = {
			emails: EMAILS,
			contenders: contenders.map((contender, index) => {
				const { concurrent, sequential } = runs.get(contender.label)!;
				return {
					label: contender.label,
					speedup: speedups[index],
					concurrentWallMs: concurrent.map((run) => run.result.wallMs),
					sequentialWallMs: sequential.map((run) => run.result.wallMs),
					concurrentNodeOwnCpuMs: concurrent.map((run) => run.result.nodeOwnCpuMs),
					requests: concurrent[0].provider.requests['/clients/api.php'] ?? 0,
				};
			}),
			minimal: { speedup: minimalSpeedup, concurrentWallMs: minimal.concurrent.map((run) => run.result.wallMs), sequentialWallMs: minimal.sequential.map((run) => run.result.wallMs) },
		};
		rows.push({ figure: 'c', what: `${EMAILS} emails: concurrency 5 vs 1`, values: speedups.map(ratio), target: '≥ 4.5×', met: speedups[0] >= 4.5 });
		rows.push({ figure: 'c', what: 'wall at concurrency 5 / 1', values: contenders.map((contender) => { const { concurrent, sequential } = runs.get(contender.label)!; return `${ms(medianWall(concurrent))} / ${ms(medianWall(sequential))}`; }), target: '' });
		rows.push({ figure: 'c', what: 'minimal node (peers.ts): concurrency 5 vs 1', values: once(ratio(minimalSpeedup)), target: '' });
	}

	if (has('d')) {
		const results = [];
		for (const contender of contenders) {
			log(`Email2SMS (${contender.label})`);
			const list = await measure(provider, { kind: 'email2sms', layout: 'onePhoneList', phones: EMAIL2SMS_PHONES, dist: contender.dist });
			const items = await measure(provider, { kind: 'email2sms', layout: 'onePhonePerItem', phones: EMAIL2SMS_PHONES, dist: contender.dist });
			results.push({ label: contender.label, list, items });
		}
		figures.d = results.map(({ label, list, items }) => ({
			label,
			onePhoneList: { emails: list.provider.emails, connections: list.provider.smtpConnections, outputItems: list.result.outputItems, error: list.result.error },
			onePhonePerItemGrouped: { emails: items.provider.emails, connections: items.provider.smtpConnections, outputItems: items.result.outputItems, error: items.result.error },
		}));
		const show = (measurement: Measurement) => `${measurement.provider.emails} emails, ${measurement.provider.smtpConnections} conn.`;
		const ok = (measurement: Measurement) => measurement.provider.emails === 50 && measurement.provider.smtpConnections === 1;
		rows.push({ figure: 'd', what: `1 item × ${EMAIL2SMS_PHONES} phones`, values: results.map(({ list }) => show(list)), target: '50 emails, 1 conn.', met: ok(results[0].list) });
		rows.push({ figure: 'd', what: `${EMAIL2SMS_PHONES} one-phone items, groupItems`, values: results.map(({ items }) => show(items)), target: '50 emails, 1 conn.', met: ok(results[0].items) });
	}

	if (has('e')) {
		const results = [];
		for (const contender of contenders) {
			log(`100,000 recipients (${contender.label}): 100,000 items × 1 phone, then 20,000 × 5`);
			const single = await measure(provider, { kind: 'sms', items: 100_000, phonesPerItem: 1, warmup: false, dist: contender.dist });
			const five = await measure(provider, { kind: 'sms', items: 20_000, phonesPerItem: 5, warmup: false, dist: contender.dist });
			results.push({ label: contender.label, single, five });
		}
		figures.e = results.map(({ label, single, five }) => ({
			label,
			onePhoneItems: { peakRssMb: single.result.peakRssMb, wallMs: single.result.wallMs, requests: single.provider.requests['/xml/message.php'] ?? 0, outputItems: single.result.outputItems, error: single.result.error },
			fivePhoneItems: { peakRssMb: five.result.peakRssMb, wallMs: five.result.wallMs, requests: five.provider.requests['/xml/message.php'] ?? 0, outputItems: five.result.outputItems, error: five.result.error },
		}));
		rows.push({ figure: 'e', what: 'peak RSS, 100,000 items × 1 phone', values: results.map(({ single }) => `${single.result.peakRssMb.toFixed(0)} MB`), target: '< 512 MB', met: results[0].single.result.peakRssMb < 512 });
		rows.push({ figure: 'e', what: 'peak RSS, 20,000 items × 5 phones', values: results.map(({ five }) => `${five.result.peakRssMb.toFixed(0)} MB`), target: '< 512 MB', met: results[0].five.result.peakRssMb < 512 });
	}

	if (has('f')) {
		const results = [];
		for (const contender of contenders) {
			log(`Status of ${SMS_ITEMS} ids (${contender.label})`);
			results.push({ label: contender.label, run: await measure(provider, { kind: 'status', ids: SMS_ITEMS, dist: contender.dist }) });
		}
		const expected = Math.ceil(SMS_ITEMS / IDS_PER_REQUEST);
		figures.f = results.map(({ label, run }) => ({ label, requests: run.provider.requests['/xml/state_message.php'] ?? 0, nodeWallMs: run.result.nodeWallMs, nodeCpuMs: run.result.nodeCpuMs, outputItems: run.result.outputItems, error: run.result.error }));
		rows.push({ figure: 'f', what: `status requests for ${SMS_ITEMS.toLocaleString('en')} ids`, values: results.map(({ run }) => String(run.provider.requests['/xml/state_message.php'] ?? 0)), target: `= ${expected}`, met: (results[0].run.provider.requests['/xml/state_message.php'] ?? 0) === expected });
		rows.push({ figure: 'f', what: 'Status node: wall / CPU (parameter reads included)', values: results.map(({ run }) => `${ms(run.result.nodeWallMs ?? 0)} / ${ms(run.result.nodeCpuMs ?? 0)}`), target: '' });
	}

	provider.stop();
	const loadAfter = loadavg();
	const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: +(totalmem() / 2 ** 30).toFixed(1), os: `${osType()} ${release()}`, loadBefore, loadAfter };
	const results = {
		date: started.toISOString(),
		durationS: Math.round((Date.now() - started.getTime()) / 1000),
		node: process.version,
		engine: { 'n8n-core': '2.41.1', 'n8n-workflow': '2.41.0', 'n8n-nodes-base': N8N_NODES_BASE_VERSION },
		latencyMs: options.latencyMs,
		repeat: options.repeat,
		machine,
		contenders: contenders.map(({ label }) => label),
		table: rows,
		figures,
	};
	writeFileSync(options.out, JSON.stringify(results, null, '\t') + '\n');
	printTable(rows, contenders.map(({ label }) => label));
	log(`\nNode ${process.version}, ${machine.cpus} × ${machine.cpuModel}; load ${loadBefore.map((load) => load.toFixed(2)).join(' ')} → ${loadAfter.map((load) => load.toFixed(2)).join(' ')}; ${results.durationS} s. Written to ${options.out}`);
}

function printTable(rows: readonly Row[], labels: readonly string[]): void {
	const header = ['#', 'figure', ...labels, 'target', 'met'];
	const lines = rows.map((row) => [row.figure, row.what, ...row.values, row.target, row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
	const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
	const format = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
	process.stdout.write([format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n') + '\n');
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
