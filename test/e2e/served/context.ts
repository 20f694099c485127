/**
 * What the suites that drive a running `n8n start` share: the run's one environment and one server (started by
 * examples.e2e.ts, which calls these suites inside its "served by `n8n start`" block, so the whole end-to-end run
 * starts n8n's server once), and small helpers to build webhook workflows and call them.
 */
import { randomUUID } from 'node:crypto';

import type { ExecutionSummary, N8nServer, WorkflowJson } from '../../../scripts/n8n/instance';
import type { TargetSmsSandbox } from '../../sandbox/server';
import type { E2eEnvironment } from '../environment';

export interface ServedSuiteContext {
	environment(): E2eEnvironment;
	server(): N8nServer;
	/** The owner's auth cookie. */
	cookie(): string;
}

export type WorkflowNode = WorkflowJson['nodes'][number];

/** A node as the suites write it: everything but its id and position, which `webhookWorkflow` adds. */
export interface NodeSpec {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
}

/**
 * A workflow: a Webhook (`POST /webhook/<path>`, answering with every item of the last node once the execution
 * ends, or n8n's 500 when it fails), then `nodes` one after the other.
 */
export function webhookWorkflow(name: string, path: string, nodes: readonly NodeSpec[]): WorkflowJson {
	const webhook: WorkflowNode = {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
	const all: WorkflowNode[] = [webhook, ...nodes.map((node, index) => ({ ...node, id: randomUUID(), position: [240 * (index + 1), 0] }))];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index + 1 < all.length; index += 1) {
		connections[all[index].name] = { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes: all, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** POSTs JSON to a production webhook; the answer's status and parsed body (text when it is not JSON). */
export async function postWebhook(server: N8nServer, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
	const response = await fetch(`${server.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, body: parsed };
}

/**
 * Drops the sandbox's pending faults but keeps its records and its memory of client ids (which `reset()` would clear,
 * making a repeated id look new).
 */
export function clearFaults(sandbox: TargetSmsSandbox): void {
	const withApi = sandbox as unknown as { clearFaults?: () => void; faults?: { clear(): void } };
	if (typeof withApi.clearFaults === 'function') withApi.clearFaults();
	else if (withApi.faults && typeof withApi.faults.clear === 'function') withApi.faults.clear();
	else throw new Error('The sandbox offers no way to clear only its faults');
}

/** Polls `probe` every 250 ms until it gives something other than undefined. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await probe();
		if (found !== undefined) return found;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** A workflow's executions that have ended (newest first). */
export async function finishedExecutions(server: N8nServer, cookie: string, workflowId: string): Promise<ExecutionSummary[]> {
	const all = await server.listExecutions(cookie, workflowId);
	return all.filter(({ status }) => !['new', 'running', 'waiting'].includes(status));
}

/** The editor's "unpublish": `POST /rest/workflows/:id/deactivate`. */
export async function deactivateWorkflow(server: N8nServer, cookie: string, workflowId: string): Promise<void> {
	const answer = await server.rest<{ active?: boolean }>(cookie, 'POST', `/rest/workflows/${workflowId}/deactivate`, {});
	if (answer.active === true) throw new Error(`Workflow ${workflowId} is still active after deactivation`);
}

/**
 * A copy of a workflow whose polling nodes poll on four fixed seconds a minute, 15 s apart, the first ≈10 s from now:
 * n8n refuses a poll time that fires more than once a minute, but several poll times may be given.
 */
export function withQuickPolls(workflow: WorkflowJson, nodeType: string): { workflow: WorkflowJson; seconds: number[] } {
	const first = (new Date().getUTCSeconds() + 10) % 60;
	const seconds = [0, 15, 30, 45].map((offset) => (first + offset) % 60);
	const pollTimes = { item: seconds.map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) };
	const nodes = workflow.nodes.map((node) =>
		node.type === nodeType ? { ...node, parameters: { ...(node.parameters as Record<string, unknown>), pollTimes } } : node,
	);
	return { workflow: { ...workflow, nodes }, seconds };
}
