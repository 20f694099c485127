import { resolve } from 'node:path';

import type { IDataObject, INodeParameters, WorkflowExecuteMode } from 'n8n-workflow';

import { TargetSmsSandbox } from '../sandbox/server';
import type { HarnessNode, RunResult } from './harness';
import { loadNodeType, runWorkflow } from './harness';

export const DIST = resolve(__dirname, '../../dist');
export const TARGET_SMS_TYPE = 'n8n-nodes-targetsms.targetSms';
export const NODE_NAME = 'TargetSMS';

/** The built nodes, loaded the way n8n loads a community package's dist files. */
export const targetSmsNodeType = loadNodeType(resolve(DIST, 'nodes/TargetSms/TargetSms.node.js'), 'TargetSms');

export const NODE_TYPES = {
	[TARGET_SMS_TYPE]: targetSmsNodeType,
	'n8n-nodes-targetsms.targetSmsEmail': loadNodeType(resolve(DIST, 'nodes/TargetSmsEmail/TargetSmsEmail.node.js'), 'TargetSmsEmail'),
	'n8n-nodes-targetsms.targetSmsOtp': loadNodeType(resolve(DIST, 'nodes/TargetSmsOtp/TargetSmsOtp.node.js'), 'TargetSmsOtp'),
	'n8n-nodes-targetsms.targetSmsStatus': loadNodeType(resolve(DIST, 'nodes/TargetSmsStatus/TargetSmsStatus.node.js'), 'TargetSmsStatus'),
	'n8n-nodes-targetsms.targetSmsAccount': loadNodeType(resolve(DIST, 'nodes/TargetSmsAccount/TargetSmsAccount.node.js'), 'TargetSmsAccount'),
};

/** The built transport module the nodes above use (the same module instance), to shorten its waits in tests. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const distTransport = require(resolve(DIST, 'nodes/shared/transport.js')) as typeof import('../../nodes/shared/transport');

/** Waits between attempts shortened so that retries take milliseconds; the deadline stays long enough for CI. */
export const FAST_TIMING = { backoffMs: [[5, 10], [5, 10]] as Array<[number, number]>, maxRetryAfterMs: 1_000, attemptDeadlineMs: 20_000 };

export function sandboxCredentials(
	sandbox: TargetSmsSandbox,
	password = TargetSmsSandbox.DEFAULT_PASSWORD,
	extra: IDataObject = {},
) {
	return {
		targetSmsApi: {
			data: {
				login: TargetSmsSandbox.DEFAULT_LOGIN,
				password,
				smsBaseUrl: sandbox.url,
				apiBaseUrl: sandbox.url,
				...extra,
			},
		},
	};
}

export interface SendRun {
	items: IDataObject[];
	parameters: INodeParameters;
	settings?: Partial<HarnessNode>;
	executionId?: string;
	password?: string;
	/** Further fields of the TargetSMS API credential (e.g. otpSecret). */
	credentialData?: IDataObject;
	timezone?: string;
	mode?: WorkflowExecuteMode;
	/** Runs as n8n's execution Retry of this failed run. */
	retryOf?: RunResult;
}

export function runTargetSms(sandbox: TargetSmsSandbox, run: SendRun): Promise<RunResult> {
	return runNodes(sandbox, run, [{ name: NODE_NAME, type: TARGET_SMS_TYPE, parameters: run.parameters, ...run.settings }]);
}

/** Runs a chain of this package's nodes after the start node, with the sandbox credential. */
export function runNodes(
	sandbox: TargetSmsSandbox,
	run: Omit<SendRun, 'parameters' | 'settings'>,
	nodes: HarnessNode[],
): Promise<RunResult> {
	return runWorkflow({
		nodeTypes: NODE_TYPES,
		items: run.items,
		nodes,
		credentials: sandboxCredentials(sandbox, run.password, run.credentialData),
		executionId: run.executionId,
		timezone: run.timezone,
		mode: run.mode,
		retryOf: run.retryOf,
	});
}

/** Runs one node of this package (by its short type name) on the given items. */
export function runNode(
	sandbox: TargetSmsSandbox,
	type: 'targetSmsEmail' | 'targetSmsOtp' | 'targetSmsStatus' | 'targetSmsAccount',
	run: SendRun,
	name = 'Node',
): Promise<RunResult> {
	return runNodes(sandbox, run, [{ name, type: `n8n-nodes-targetsms.${type}`, parameters: run.parameters, ...run.settings }]);
}

/** The requests the node made to one endpoint, in order. */
export function requestsTo(sandbox: TargetSmsSandbox, path: string) {
	return sandbox.requests.filter((request) => request.path === path);
}

export function startSandbox(): { sandbox: TargetSmsSandbox } {
	const holder = { sandbox: new TargetSmsSandbox() };
	beforeAll(async () => {
		distTransport.setTransportTimingForTests(FAST_TIMING);
		await holder.sandbox.start();
	});
	afterAll(async () => {
		distTransport.setTransportTimingForTests(undefined);
		await holder.sandbox.stop();
	});
	beforeEach(() => holder.sandbox.reset());
	return holder;
}
