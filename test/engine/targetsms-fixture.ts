import { resolve } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TargetSmsSandbox } from '../sandbox/server';
import type { HarnessNode, RunResult } from './harness';
import { loadNodeType, runWorkflow } from './harness';

export const DIST = resolve(__dirname, '../../dist');
export const TARGET_SMS_TYPE = 'n8n-nodes-targetsms.targetSms';
export const NODE_NAME = 'TargetSMS';

/** The built node, loaded the way n8n loads a community package's dist files. */
export const targetSmsNodeType = loadNodeType(resolve(DIST, 'nodes/TargetSms/TargetSms.node.js'), 'TargetSms');

export function sandboxCredentials(sandbox: TargetSmsSandbox, password = TargetSmsSandbox.DEFAULT_PASSWORD) {
	return {
		targetSmsApi: {
			data: {
				login: TargetSmsSandbox.DEFAULT_LOGIN,
				password,
				smsBaseUrl: sandbox.url,
				apiBaseUrl: sandbox.url,
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
	timezone?: string;
}

export function runTargetSms(sandbox: TargetSmsSandbox, run: SendRun): Promise<RunResult> {
	return runWorkflow({
		nodeTypes: { [TARGET_SMS_TYPE]: targetSmsNodeType },
		items: run.items,
		nodes: [{ name: NODE_NAME, type: TARGET_SMS_TYPE, parameters: run.parameters, ...run.settings }],
		credentials: sandboxCredentials(sandbox, run.password),
		executionId: run.executionId,
		timezone: run.timezone,
	});
}

/** The requests the node made to one endpoint, in order. */
export function requestsTo(sandbox: TargetSmsSandbox, path: string) {
	return sandbox.requests.filter((request) => request.path === path);
}

export function startSandbox(): { sandbox: TargetSmsSandbox } {
	const holder = { sandbox: new TargetSmsSandbox() };
	beforeAll(async () => {
		await holder.sandbox.start();
	});
	afterAll(async () => {
		await holder.sandbox.stop();
	});
	beforeEach(() => holder.sandbox.reset());
	return holder;
}
