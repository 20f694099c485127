/**
 * A trigger node inside n8n-core as n8n 2.41 drives one: its webhook lifecycle through `HookContext`
 * (`checkExists`, `create`, `delete`, the way ActiveWorkflowManager and TestWebhooks call them), its webhook through
 * `WebhookContext` behind a real HTTP server (a real `ServerResponse`; the raw body read the way n8n's
 * `rawBodyReader` does), its poll through `PollContext`, and the items it emits run through `WorkflowExecute` in
 * mode 'webhook' or 'trigger', as n8n starts an execution from a trigger's data.
 *
 * The workflow's static data is kept here between calls, as n8n keeps it in its database: each call starts from a
 * copy of what was last saved and saves it back only when the node changed it (so two calls at once start from the
 * same copy, as in n8n).
 */
import './environment';

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

import { ExecutionLifecycleHooks, HookContext, PollContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, deepCopy, Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWebhookData,
	IWebhookResponseData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { createAdditionalData } from './index';
import { HarnessCredentialsHelper } from './credentials-helper';
import type { HarnessCredentials } from './credentials-helper';
import { HarnessNodeTypes } from './node-types';

export interface TriggerHarnessOptions {
	type: string;
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials: HarnessCredentials;
	/** The workflow's id (default: a fresh one, so static data and in-process state never leak between tests). */
	workflowId?: string;
	timezone?: string;
}

export type HookMethod = 'checkExists' | 'create' | 'delete';

/** One webhook call as the caller saw it, with the execution its items started (if any). */
export interface WebhookCall {
	status: number;
	contentType: string;
	body: string;
	response: IWebhookResponseData;
	/** Items the node emitted (main output 0), when it started an execution. */
	emitted: INodeExecutionData[] | undefined;
	run: IRun | undefined;
}

export const TRIGGER_NODE_NAME = 'Trigger';
const BASE_URL = 'http://localhost:5678';

export class TriggerHarness {
	readonly workflowId: string;
	readonly node: INode;
	readonly calls: WebhookCall[] = [];
	/** The static data as n8n would have saved it. */
	savedStaticData: IDataObject = {};
	private readonly nodeTypes: HarnessNodeTypes;
	private readonly credentialsHelper: HarnessCredentialsHelper;
	private server: Server | undefined;
	private serverUrl = '';

	constructor(private readonly options: TriggerHarnessOptions) {
		this.workflowId = options.workflowId ?? `wf${randomUUID().replace(/-/g, '').slice(0, 14)}`;
		this.nodeTypes = new HarnessNodeTypes({ [options.type]: options.nodeType });
		this.credentialsHelper = new HarnessCredentialsHelper(options.credentials);
		const credentials: INode['credentials'] = {};
		for (const { name } of options.nodeType.description.credentials ?? []) {
			if (this.credentialsHelper.has(name)) credentials[name] = this.credentialsHelper.detailsFor(name);
		}
		this.node = {
			id: randomUUID(),
			name: TRIGGER_NODE_NAME,
			type: options.type,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: deepCopy(options.parameters),
			credentials,
		};
	}

	/** The node's production (or test) webhook URL, as n8n computes it. */
	webhookUrl(test = false): string {
		return `${BASE_URL}/${test ? 'webhook-test' : 'webhook'}/${this.node.webhookId}/${this.webhookPath()}`;
	}

	/** Calls one of the node's webhook methods through n8n-core's HookContext. */
	async hook(method: HookMethod, { test = false }: { test?: boolean } = {}): Promise<boolean> {
		const workflow = this.loadWorkflow();
		const mode: WorkflowExecuteMode = test ? 'manual' : 'trigger';
		const activation: WorkflowActivateMode = test ? 'manual' : 'activate';
		const additionalData = this.additionalData();
		const webhookData = this.webhookData(additionalData, test);
		const context = new HookContext(workflow, workflow.getNode(TRIGGER_NODE_NAME) as INode, additionalData, mode, activation, webhookData);
		const methods = this.options.nodeType.webhookMethods?.default;
		const result = await methods?.[method]?.call(context);
		this.save(workflow);
		return result === true;
	}

	/**
	 * n8n 2.41's activation of a webhook trigger (ActiveWorkflowManager): `checkExists`, then `create` when it answers
	 * false; a refused `create` is followed by `delete` and retried, up to 5 activations in all. Resolves with every
	 * activation's error (empty when the first one worked).
	 */
	async activate({ attempts = 5, test = false }: { attempts?: number; test?: boolean } = {}): Promise<unknown[]> {
		const errors: unknown[] = [];
		for (let attempt = 0; attempt < attempts; attempt++) {
			try {
				if (!(await this.hook('checkExists', { test }))) await this.hook('create', { test });
				return errors;
			} catch (error) {
				errors.push(error);
				await this.hook('delete', { test }).catch(() => false);
			}
		}
		return errors;
	}

	/** A real HTTP endpoint for the node's webhook: every POST runs the node's `webhook()` in WebhookContext. */
	async listen(): Promise<string> {
		this.server = createServer((request, response) => void this.serve(request, response));
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.serverUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook/${this.node.webhookId}/${this.webhookPath()}`;
		return this.serverUrl;
	}

	async close(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Runs the node's poll through n8n-core's PollContext ('trigger' mode as the scheduled poll, or the editor's manual test). */
	async poll({ manual = false }: { manual?: boolean } = {}): Promise<{ emitted: INodeExecutionData[] | undefined; run: IRun | undefined }> {
		const workflow = this.loadWorkflow();
		const mode: WorkflowExecuteMode = manual ? 'manual' : 'trigger';
		const context = new PollContext(
			workflow,
			workflow.getNode(TRIGGER_NODE_NAME) as INode,
			this.additionalData(),
			mode,
			manual ? 'manual' : 'activate',
		);
		const result = await this.options.nodeType.poll?.call(context);
		this.save(workflow);
		if (!result) return { emitted: undefined, run: undefined };
		return { emitted: result[0], run: await this.runFrom(result, 'trigger') };
	}

	private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		// What n8n's rawBodyReader leaves on the request: the bytes, and a reader that finds them read.
		Object.assign(request, { rawBody: raw, readRawBody: async () => undefined, body: {} });
		const workflow = this.loadWorkflow();
		const additionalData = { ...this.additionalData(), httpRequest: request, httpResponse: response } as ReturnType<TriggerHarness['additionalData']>;
		const webhookData = this.webhookData(additionalData, false);
		const context = new WebhookContext(workflow, workflow.getNode(TRIGGER_NODE_NAME) as INode, additionalData, 'webhook', webhookData, [], null);
		let reply: IWebhookResponseData;
		try {
			reply = (await this.options.nodeType.webhook?.call(context)) ?? {};
		} catch (error) {
			if (!response.headersSent) {
				response.statusCode = 500;
				response.end(String(error));
			}
			return;
		}
		this.save(workflow);
		const record: WebhookCall = { status: 0, contentType: '', body: '', response: reply, emitted: reply.workflowData?.[0], run: undefined };
		this.calls.push(record);
		if (!reply.noWebhookResponse && !response.headersSent) {
			// n8n's answer when a node returns workflowData without responseData (ENVIRONMENT.md).
			response.statusCode = 200;
			response.end(reply.webhookResponse === undefined ? 'firstEntryJson' : JSON.stringify(reply.webhookResponse));
		}
		if (reply.workflowData) record.run = await this.runFrom(reply.workflowData, 'webhook');
	}

	/** Runs the workflow from the trigger's items, as n8n does: the trigger on the stack with its data, passed through. */
	private async runFrom(data: INodeExecutionData[][], mode: WorkflowExecuteMode): Promise<IRun> {
		const workflow = this.loadWorkflow();
		const node = workflow.getNode(TRIGGER_NODE_NAME) as INode;
		const executionId = String(Math.floor(Math.random() * 2 ** 40));
		const hooks = new ExecutionLifecycleHooks(mode, executionId, {
			id: this.workflowId,
			name: 'Trigger harness workflow',
			active: true,
			isArchived: false,
			activeVersionId: null,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes: [deepCopy(this.node)],
			connections: {},
			settings: { executionOrder: 'v1' },
			staticData: {},
		});
		let finished: IRun | undefined;
		hooks.addHandler('workflowExecuteAfter', (run) => {
			finished = run;
		});
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] },
		});
		const additionalData = { ...this.additionalData(), hooks, executionId };
		const returned = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
		return finished ?? returned;
	}

	private additionalData() {
		return createAdditionalData({ credentialsHelper: this.credentialsHelper, settings: { timezone: this.options.timezone ?? 'Europe/Moscow' } });
	}

	private webhookData(additionalData: IWebhookData['workflowExecuteAdditionalData'], isTest: boolean): IWebhookData {
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${this.node.webhookId}/${this.webhookPath()}`,
			webhookDescription: this.webhookDescription(),
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest,
		};
	}

	private webhookDescription() {
		const description = this.options.nodeType.description.webhooks?.[0];
		if (!description) throw new Error(`${this.options.type} has no webhook`);
		return description;
	}

	private webhookPath(): string {
		return String(this.webhookDescription().path);
	}

	private loadWorkflow(): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: 'Trigger harness workflow',
			nodes: [deepCopy(this.node)],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			settings: { executionOrder: 'v1', timezone: this.options.timezone ?? 'Europe/Moscow' },
			staticData: deepCopy(this.savedStaticData),
		});
	}

	private save(workflow: Workflow): void {
		const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (staticData.__dataChanged === true) {
			const copy = deepCopy(staticData);
			delete copy.__dataChanged;
			this.savedStaticData = copy;
		}
	}
}
