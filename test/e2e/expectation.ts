/**
 * What an example's expectation module exports. Each workflow the end-to-end run executes — `examples/<name>.json`
 * and `test/e2e/fixtures/<name>.json` — has one module beside it in this folder's layout:
 * `test/e2e/examples/<name>.ts` or `test/e2e/fixtures/<name>.ts`, exporting `expectation`.
 *
 * The run itself is already checked before `check` is called: `n8n execute` exited 0, printed run data, and no node
 * reported an error. `check` asserts what the sandboxes recorded and what the nodes put out. `viaServer`, when
 * given, runs later against `n8n start` (one server for all of them).
 */
import type { ExecuteResult, N8nRun, N8nServer, WorkflowJson } from '../../scripts/n8n/instance';
import type { TargetSmsSandbox } from '../sandbox/server';
import type { TargetSmsSmtpSandbox } from '../sandbox/smtp/server';

export interface ExampleContext {
	/** The workflow as imported (its id filled in). */
	workflow: WorkflowJson;
	/** The HTTP sandbox, reset just before this workflow ran: its records are this run's only. */
	sandbox: TargetSmsSandbox;
	/** The Email2SMS SMTP sandbox, reset likewise. */
	smtp: TargetSmsSmtpSandbox;
	/** The HTTP sandbox's URL (both base URLs of the imported credential). */
	sandboxUrl: string;
}

export interface ExampleRun extends ExampleContext {
	result: ExecuteResult;
	run: N8nRun;
	/** The JSON of every item the node put out (on `outputIndex`, default the first; all runs); throws when the node did not run. */
	output(node: string, outputIndex?: number): Array<Record<string, unknown>>;
	/**
	 * Runs the same workflow headless once more and checks that run as the first one was (exit 0, no node error). The
	 * sandboxes keep their state and records: reset or set them first where the second run needs it.
	 */
	runAgain(): Promise<ExampleRun>;
}

/** A running n8n (`n8n start`) with the owner logged in, for workflows whose real trigger is a webhook. */
export interface ServerContext extends ExampleContext {
	server: N8nServer;
	/** The owner's auth cookie (`n8n-auth=…`) for REST calls. */
	cookie: string;
}

export interface ExampleExpectation {
	/** Prepares the sandboxes before the run (a refused phone, a fault, …). */
	before?(context: ExampleContext): void | Promise<void>;
	/** Asserts the run (with jest's `expect`). */
	check(run: ExampleRun): void | Promise<void>;
	/**
	 * Optional: exercises the workflow's real trigger in a running n8n (after all headless runs), e.g. activates it
	 * and calls its webhook. The sandboxes are reset before.
	 */
	viaServer?(context: ServerContext): Promise<void>;
}

function findNode(workflow: WorkflowJson, name: string): { parameters?: Record<string, unknown> } {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`The workflow "${workflow.name}" has no node "${name}"`);
	return node as { parameters?: Record<string, unknown> };
}

/** The input item each output item of a node (first output, all runs) is paired to, in output order. */
export function pairedInputs(run: N8nRun, node: string): unknown[] {
	const runs = run.data.resultData.runData[node] ?? [];
	return runs.flatMap((nodeRun) => nodeRun.data?.main?.[0] ?? []).map((item) => (item as { pairedItem?: unknown }).pairedItem);
}

/** A node parameter by its dotted path (`options.deliveryName`), as written in the workflow file. */
export function parameter(workflow: WorkflowJson, node: string, path: string): unknown {
	let value: unknown = findNode(workflow, node).parameters;
	for (const key of path.split('.')) {
		value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
	}
	return value;
}

/**
 * The value an Edit Fields (Set 3.x) node assigns to a field, as written in the workflow file: lets an expectation
 * follow a sample text the example's author rewords, while still checking that it reached the provider unchanged.
 */
export function assignedValue(workflow: WorkflowJson, node: string, field: string): unknown {
	const assignments = parameter(workflow, node, 'assignments.assignments');
	const found = Array.isArray(assignments)
		? (assignments as Array<{ name?: string; value?: unknown }>).find((assignment) => assignment.name === field)
		: undefined;
	if (!found) throw new Error(`The node "${node}" of "${workflow.name}" assigns no field "${field}"`);
	return found.value;
}
