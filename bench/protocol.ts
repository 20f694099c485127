/** Messages between the bench's processes (Node's IPC channel of `child_process.fork`), and the scenario shapes. */

export const DEFAULT_LATENCY_MS = 30;

export interface ProviderReady {
	type: 'ready';
	url: string;
	smtp: { host: string; port: number };
}

export interface ProviderStats {
	type: 'stats';
	/** HTTP requests by path since the last reset. */
	requests: Record<string, number>;
	/** HTTP requests answered with another status than 200. */
	failedRequests: number;
	emails: number;
	smtpConnections: number;
}

export type ProviderCommand =
	| { type: 'reset' }
	| { type: 'stats' }
	/** Writes the reply bodies of every request to `path` since the last reset, as a JSON array, to `file`. */
	| { type: 'dumpReplies'; path: string; file: string };

export type ProviderAnswer = ProviderReady | ProviderStats | { type: 'reset' } | { type: 'dumped'; count: number };

/**
 * What one worker process runs. `dist`: the build whose nodes it loads (this checkout's, or a compared one);
 * `node: 'minimal'`: the minimal node of peers.ts in its place.
 */
export type Scenario =
	/** `samples`: measured runs in the one process (each followed by its replay, see worker.ts); the least CPU counts. */
	| { kind: 'sms'; items: number; phonesPerItem: number; warmup: boolean; dist: string; samples?: number; node?: 'minimal' }
	| { kind: 'httpRequest'; items: number; batching?: { batchSize: number; batchInterval: number } }
	| { kind: 'sequential'; items: number }
	| { kind: 'floor'; items: number; repliesFile: string; samples?: number }
	| { kind: 'email'; items: number; concurrency?: number; warmup: boolean; dist: string; node?: 'minimal' }
	| { kind: 'email2sms'; layout: 'onePhoneList' | 'onePhonePerItem'; phones: number; dist: string }
	| { kind: 'status'; ids: number; dist: string };

export interface ParameterReads {
	name: string;
	reads: number;
	/** Whether the parameter's raw value holds an expression (a string starting with `=`, anywhere inside it). */
	expression: boolean;
}

export interface ScenarioResult {
	/** Whole workflow run, wall clock. */
	wallMs: number;
	/** Whole process CPU (user + system, every thread) during the workflow run. */
	processCpuMs: number;
	/** Wall clock while the measured node's execute() ran. */
	nodeWallMs?: number;
	/** CPU while the measured node's execute() ran. */
	nodeCpuMs?: number;
	/** CPU inside n8n's getNodeParameter (the measuring's own cost taken out). */
	parameterCpuMs?: number;
	/** The same on the main thread alone (no GC helper or compiler threads), 10 ms resolution. */
	mainThread?: { nodeCpuMs: number; parameterCpuMs: number; nodeOwnCpuMs?: number };
	/**
	 * The node's own work: CPU while the same node ran on the same items with its parameter reads answered from a
	 * recording (no expression evaluation, none of its garbage).
	 */
	nodeOwnCpuMs?: number;
	/** nodeCpuMs less parameterCpuMs: the node's own work by difference (includes the GC of n8n's expression garbage). */
	nodeLessParametersCpuMs?: number;
	parameterReads?: ParameterReads[];
	/** Output items of the measured node, and how many of them are errors. */
	outputItems: number;
	errorItems: number;
	/** The run's error, if it failed. */
	error?: string;
	/** Peak resident set size of the worker process (its whole life), MB. */
	peakRssMb: number;
	/** Floor only: its build and parse shares. */
	buildCpuMs?: number;
	parseCpuMs?: number;
	/** Each measured run of a worker that made several (`samples`); the figures above are their least. */
	samples?: Array<Pick<ScenarioResult, 'wallMs' | 'processCpuMs' | 'nodeCpuMs' | 'parameterCpuMs' | 'nodeOwnCpuMs' | 'nodeLessParametersCpuMs' | 'mainThread' | 'buildCpuMs' | 'parseCpuMs'>>;
}

/** `measured`: the measured run is over (the provider's figures are taken now); the worker waits for `continue`. */
export type WorkerMessage = { type: 'warmedUp' } | { type: 'measured' } | { type: 'result'; result: ScenarioResult };
export type WorkerCommand = { type: 'measure' } | { type: 'continue' };
