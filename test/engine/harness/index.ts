/**
 * Runs n8n nodes inside n8n's real workflow engine (n8n-core `WorkflowExecute`), in-process.
 *
 * A run is a linear workflow: a start node (`harness.start`, named `Start`) that emits
 * `options.items`, connected main → main to `options.nodes[0]`, then `options.nodes[1]`, and so on.
 * Parameters (expressions included), credentials, `continueOnFail` / `onError`, `retryOnFail`,
 * paired items and HTTP requests made through `this.helpers` all go through n8n-core and
 * n8n-workflow as they do in n8n itself.
 *
 * Usable from jest (ts-jest) and from plain Node after `tsc -p tsconfig.test.json`; it uses no test
 * framework globals. Import this module before anything else from n8n-core (see `environment.ts`).
 */
import './environment';

import { resolve as resolvePath } from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';

import {
	CredentialTestContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import { deepCopy, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ExecutionBaseError,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialType,
	ICredentialTestFunction,
	IConnections,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeCredentials,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	OnError,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { HarnessCredentialsHelper } from './credentials-helper';
import type { HarnessCredentials } from './credentials-helper';
import { harnessUserFolder } from './environment';
import {
	defaultTypeVersion,
	HarnessNodeTypes,
	HarnessUnknownNodeTypeError,
	isVersionedNodeType,
} from './node-types';
import type { AnyNodeType } from './node-types';
import {
	createStartNodeType,
	HARNESS_START_NODE_NAME,
	HARNESS_START_NODE_TYPE,
} from './start-node';

export { HarnessCredentialNotFoundError, HarnessCredentialsHelper } from './credentials-helper';
export type { HarnessCredential, HarnessCredentials } from './credentials-helper';
export { HarnessNodeTypes, HarnessUnknownNodeTypeError } from './node-types';
export {
	createStartNodeType,
	HARNESS_START_NODE_NAME,
	HARNESS_START_NODE_TYPE,
} from './start-node';
export { harnessUserFolder };

/** A node of the chain after the start node (the n8n `INode` fields a test usually sets). */
export interface HarnessNode {
	name: string;
	type: string;
	/** Defaults to the version the n8n editor gives a new node of this type. */
	typeVersion?: number;
	parameters: INodeParameters;
	/**
	 * `{ [credentialType]: { id, name } }`. When left out, the node refers to every credential
	 * type its description lists and the run was given credentials for (`RunOptions.credentials`).
	 */
	credentials?: INodeCredentials;
	continueOnFail?: boolean;
	/** The newer form of `continueOnFail` (n8n's "On Error" setting). */
	onError?: OnError;
	retryOnFail?: boolean;
	/** n8n clamps it to 2..5 (default 3). */
	maxTries?: number;
	/** Milliseconds; n8n clamps it to 0..5000 (default 1000). */
	waitBetweenTries?: number;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	disabled?: boolean;
}

export interface RunOptions {
	/** Node type name → instance. The harness adds its own start node type. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** JSON of the items the start node emits, one item each. */
	items: IDataObject[];
	/** The chain after the start node, connected main → main in order. */
	nodes: HarnessNode[];
	/** Plain credential data by credential type name. */
	credentials?: HarnessCredentials;
	/**
	 * Credential type definitions by name. Only needed when a credential type defines
	 * `authenticate`, `preAuthentication`, `extends` or property defaults that should apply.
	 */
	credentialTypes?: Record<string, ICredentialType>;
	/** Workflow settings timezone (default 'Europe/Moscow'). */
	timezone?: string;
	/** Further workflow settings (`timezone` above wins). */
	settings?: IWorkflowSettings;
	/** Default: a random numeric id, like n8n's. */
	executionId?: string;
	/** n8n's execution mode (default 'manual'); 'trigger' or 'webhook' run as a production execution does. */
	mode?: WorkflowExecuteMode;
	/**
	 * Runs the workflow as n8n's execution Retry of this failed run does (n8n 2.41's ExecutionService.retry): a new
	 * execution in mode 'retry' whose `retryOf` is the failed one, reusing its run data — the failed node's errored
	 * run removed — and continuing from the failed node. `items` and `nodes` must describe the same workflow.
	 */
	retryOf?: RunResult;
}

export interface RunResult {
	run: IRun;
	/** Main output 0 of that node's run; throws if the node did not run (that often). */
	output(nodeName: string, runIndex?: number): INodeExecutionData[];
	/** All main outputs of that node's run (e.g. the error output of `onError: 'continueErrorOutput'`). */
	outputs(nodeName: string, runIndex?: number): INodeExecutionData[][];
	/** `run.data.resultData.error`, if any. */
	error?: ExecutionBaseError | Error;
	/** The error recorded on that node's task data (of the given run, else of its last run). */
	nodeError(nodeName: string, runIndex?: number): Error | undefined;
	/** Names of the nodes in the order they finished, start node included. */
	executedNodes: string[];
	/** The credentials helper of the run (holds credential data the engine wrote back). */
	credentialsHelper: HarnessCredentialsHelper;
	executionId: string;
}

const DEFAULT_TIMEZONE = 'Europe/Moscow';
const WORKFLOW_ID = 'harnessWorkflow1';
const BASE_URL = 'http://localhost:5678';

interface AdditionalDataOptions {
	credentialsHelper: HarnessCredentialsHelper;
	hooks?: ExecutionLifecycleHooks;
	executionId?: string;
	settings?: IWorkflowSettings;
}

/** The `IWorkflowExecuteAdditionalData` the CLI would build (URLs of a default local n8n). */
export function createAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: options.credentialsHelper,
		hooks: options.hooks,
		executionId: options.executionId,
		executeWorkflow: async () => {
			throw new Error('Running sub-workflows is not supported by the engine harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		currentNodeParameters: undefined,
		userId: 'harness-user',
		workflowId: WORKFLOW_ID,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Task runners (Code node) are not available in the engine harness');
		},
		externalSecretsProxy: new ExternalSecretsProxy(),
		workflowSettings: options.settings,
	};
}

function credentialsFor(
	node: HarnessNode,
	nodeType: INodeType,
	credentialsHelper: HarnessCredentialsHelper,
): INodeCredentials | undefined {
	if (node.credentials !== undefined) return deepCopy(node.credentials);
	const credentials: INodeCredentials = {};
	for (const { name } of nodeType.description.credentials ?? []) {
		if (credentialsHelper.has(name)) credentials[name] = credentialsHelper.detailsFor(name);
	}
	return Object.keys(credentials).length > 0 ? credentials : undefined;
}

function toWorkflowNode(
	node: HarnessNode,
	index: number,
	nodeTypes: HarnessNodeTypes,
	credentialsHelper: HarnessCredentialsHelper,
): INode {
	if (!nodeTypes.has(node.type)) throw new HarnessUnknownNodeTypeError(node.type);
	const typeVersion = node.typeVersion ?? defaultTypeVersion(nodeTypes.getByName(node.type));
	const workflowNode: INode = {
		id: randomUUID(),
		name: node.name,
		type: node.type,
		typeVersion,
		position: [250 * (index + 1), 300],
		parameters: deepCopy(node.parameters),
	};
	const credentials = credentialsFor(
		node,
		nodeTypes.getByNameAndVersion(node.type, typeVersion),
		credentialsHelper,
	);
	if (credentials !== undefined) workflowNode.credentials = credentials;
	const settings = [
		'continueOnFail',
		'onError',
		'retryOnFail',
		'maxTries',
		'waitBetweenTries',
		'alwaysOutputData',
		'executeOnce',
		'disabled',
	] as const;
	for (const key of settings) {
		if (node[key] !== undefined) Object.assign(workflowNode, { [key]: node[key] });
	}
	return workflowNode;
}

function chainConnections(names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function validateOptions(options: RunOptions): void {
	if (!Array.isArray(options.items))
		throw new TypeError('RunOptions.items must be an array of objects');
	const names = new Set<string>([HARNESS_START_NODE_NAME]);
	for (const node of options.nodes) {
		if (names.has(node.name)) {
			throw new Error(
				`Node name "${node.name}" is used twice (the start node is named "${HARNESS_START_NODE_NAME}")`,
			);
		}
		names.add(node.name);
	}
}

function buildResult(
	run: IRun,
	executedNodes: string[],
	credentialsHelper: HarnessCredentialsHelper,
	executionId: string,
): RunResult {
	const { runData } = run.data.resultData;
	const taskOf = (nodeName: string, runIndex: number) => {
		const task = runData[nodeName]?.[runIndex];
		if (task === undefined) {
			const runs = runData[nodeName]?.length ?? 0;
			throw new Error(
				runs === 0
					? `Node "${nodeName}" did not run (nodes that ran: ${Object.keys(runData).join(', ') || 'none'})`
					: `Node "${nodeName}" ran ${runs} time(s); there is no run index ${runIndex}`,
			);
		}
		return task;
	};
	const outputs = (nodeName: string, runIndex = 0): INodeExecutionData[][] =>
		(taskOf(nodeName, runIndex).data?.main ?? []).map((items) => items ?? []);
	return {
		run,
		output: (nodeName, runIndex = 0) => outputs(nodeName, runIndex)[0] ?? [],
		outputs,
		error: run.data.resultData.error,
		nodeError: (nodeName, runIndex) => {
			const tasks = runData[nodeName] ?? [];
			return tasks[runIndex ?? tasks.length - 1]?.error;
		},
		executedNodes,
		credentialsHelper,
		executionId,
	};
}

/** The run data n8n's Retry starts from: the failed run's, without its error and the failed node's errored run. */
function retryData(failed: RunResult): IRunExecutionData {
	const data = deepCopy(failed.run.data);
	const { lastNodeExecuted } = data.resultData;
	delete data.resultData.error;
	if (lastNodeExecuted !== undefined) {
		const runs = data.resultData.runData[lastNodeExecuted] ?? [];
		if (runs.length > 0 && runs[runs.length - 1].error !== undefined) runs.pop();
	}
	return data;
}

/** Runs `Start → nodes[0] → nodes[1] → …` through n8n-core's `WorkflowExecute` in 'manual' mode. */
export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	validateOptions(options);
	const executionId = options.executionId ?? String(randomInt(1, 2 ** 47));
	const nodeTypes = new HarnessNodeTypes({
		...options.nodeTypes,
		[HARNESS_START_NODE_TYPE]: createStartNodeType(options.items),
	});
	const credentialsHelper = new HarnessCredentialsHelper(
		options.credentials,
		options.credentialTypes,
	);

	const startNode: INode = {
		id: randomUUID(),
		name: HARNESS_START_NODE_NAME,
		type: HARNESS_START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 300],
		parameters: {},
	};
	const nodes = [
		startNode,
		...options.nodes.map((node, index) =>
			toWorkflowNode(node, index, nodeTypes, credentialsHelper),
		),
	];
	const connections = chainConnections(nodes.map((node) => node.name));
	const settings: IWorkflowSettings = {
		executionOrder: 'v1',
		...options.settings,
		timezone: options.timezone ?? options.settings?.timezone ?? DEFAULT_TIMEZONE,
	};

	const workflowData: IWorkflowBase = {
		id: WORKFLOW_ID,
		name: 'Engine harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: deepCopy(nodes),
		connections,
		settings,
		staticData: {},
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings,
		staticData: {},
	});

	const mode: WorkflowExecuteMode = options.retryOf ? 'retry' : (options.mode ?? 'manual');
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData, options.retryOf?.executionId);
	const executedNodes: string[] = [];
	let finished: IRun | undefined;
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executedNodes.push(nodeName);
	});
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		finished = fullRunData;
	});

	const additionalData = createAdditionalData({ credentialsHelper, hooks, executionId, settings });
	let returned: IRun;
	if (options.retryOf) {
		returned = await new WorkflowExecute(additionalData, mode, retryData(options.retryOf)).processRunExecutionData(workflow);
	} else {
		returned = await new WorkflowExecute(additionalData, mode).run({
			workflow,
			startNode: workflow.getNode(HARNESS_START_NODE_NAME) ?? undefined,
		});
	}
	return buildResult(finished ?? returned, executedNodes, credentialsHelper, executionId);
}

/** `require()`s a built node (or credential) file and instantiates the exported class. */
export function loadNodeType<T extends AnyNodeType = INodeType>(
	distPath: string,
	className: string,
): T {
	const file = resolvePath(distPath);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = (require(file) as Record<string, unknown>)[className];
	if (typeof exported !== 'function') {
		throw new Error(`${file} does not export a class named "${className}"`);
	}
	const instance = new (exported as new () => T)();
	if (typeof instance !== 'object' || instance === null || !('description' in instance)) {
		throw new Error(`${className} from ${file} is not a node type (it has no description)`);
	}
	return instance;
}

/** `require()`s a built credential file and instantiates the exported class. */
export function loadCredentialType(distPath: string, className: string): ICredentialType {
	const file = resolvePath(distPath);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = (require(file) as Record<string, unknown>)[className];
	if (typeof exported !== 'function') {
		throw new Error(`${file} does not export a class named "${className}"`);
	}
	const instance = new (exported as new () => ICredentialType)();
	if (typeof instance.name !== 'string' || !Array.isArray(instance.properties)) {
		throw new Error(`${className} from ${file} is not a credential type`);
	}
	return instance;
}

function findCredentialTest(
	nodeType: AnyNodeType,
	methodName: string,
): ICredentialTestFunction | undefined {
	const candidates: INodeType[] = isVersionedNodeType(nodeType)
		? Object.keys(nodeType.nodeVersions)
				.map(Number)
				.sort((a, b) => b - a)
				.map((version) => nodeType.nodeVersions[version])
		: [nodeType];
	for (const candidate of candidates) {
		const test = candidate.methods?.credentialTest?.[methodName];
		if (test !== undefined) return test;
	}
	return undefined;
}

/**
 * Calls a node's `methods.credentialTest[methodName]` the way n8n's CredentialsTester does: with
 * n8n-core's `CredentialTestContext` as `this` (so `this.helpers.request` performs real HTTP) and an
 * `ICredentialsDecrypted` carrying the given data.
 */
export async function testCredential(
	nodeType: INodeType | IVersionedNodeType,
	methodName: string,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const test = findCredentialTest(nodeType, methodName);
	if (test === undefined) {
		throw new Error(
			`Node type "${nodeType.description.name}" has no methods.credentialTest.${methodName}`,
		);
	}
	const credentials: ICredentialsDecrypted = {
		id: `${credentialType}-id`,
		name: `${credentialType} (engine harness)`,
		type: credentialType,
		data: deepCopy(data),
	};
	return await test.call(new CredentialTestContext(), credentials);
}

export interface ListSearchOptions {
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** The node as the editor describes it: its type, version and current parameters. */
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	/** The parameter's path as the editor sends it (e.g. `parameters.smsSender`). */
	path: string;
	methodName: string;
	/** Plain credential data by type; the node refers to each credential type its description lists. */
	credentials?: HarnessCredentials;
	filter?: string;
	paginationToken?: string;
}

/**
 * Calls a node's `methods.listSearch[methodName]` the way n8n 2.41's DynamicNodeParametersService does for the
 * editor's resource locator lists (`POST /rest/dynamic-node-parameters/resource-locator-results`): the node alone in a
 * workflow as `Temp-Node`, n8n-core's `LoadOptionsContext` as `this` (so `this.helpers.httpRequest` performs real
 * HTTP and `this.getCredentials` decrypts through the credentials helper), the current parameters in
 * `additionalData.currentNodeParameters`, inside the workflow's expression isolate.
 */
export async function searchList(options: ListSearchOptions): Promise<INodeListSearchResult> {
	const nodeTypes = new HarnessNodeTypes(options.nodeTypes);
	const nodeType = nodeTypes.getByNameAndVersion(options.type, options.typeVersion);
	const method = nodeType.methods?.listSearch?.[options.methodName];
	if (method === undefined) {
		throw new Error(`Node type "${nodeType.description.name}" has no methods.listSearch.${options.methodName}`);
	}
	const credentialsHelper = new HarnessCredentialsHelper(options.credentials);
	const node: INode = {
		parameters: deepCopy(options.parameters),
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: options.type,
		typeVersion: options.typeVersion,
		position: [0, 0],
	};
	const credentials = credentialsFor({ name: node.name, type: node.type, parameters: node.parameters }, nodeType, credentialsHelper);
	if (credentials !== undefined) node.credentials = credentials;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = createAdditionalData({ credentialsHelper });
	additionalData.currentNodeParameters = options.parameters;
	const context = new LoadOptionsContext(workflow, workflow.nodes[node.name], additionalData, options.path);
	const acquired = await workflow.expression.acquireIsolate();
	try {
		return await method.call(context, options.filter, options.paginationToken);
	} finally {
		if (acquired) await workflow.expression.releaseIsolate();
	}
}

/** The node type a workflow node resolves to (handles versioned node types). */
export function resolveNodeType(nodeType: AnyNodeType, version?: number): INodeType {
	return NodeHelpers.getVersionedNodeType(nodeType, version);
}
