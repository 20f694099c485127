import { sha256Hex } from './protocol/sha256';
import type { IExecuteFunctions, IRunData, IRunExecutionData } from 'n8n-workflow';

/**
 * What stays the same in every retry of one execution. n8n's execution Retry (the executions list's Retry, REST
 * `POST /rest/executions/:id/retry`) starts a new execution with a new id, and its `retryOf` names only the execution
 * it retries, not the first of a chain; what it carries over unchanged, through every retry of a chain, is the run
 * data of the nodes that ran before the failed one. The first of them — the trigger — anchors the execution: its
 * name, its start time and its first item.
 *
 * Relies on n8n-core (2.41) exposing `runExecutionData` on the execute context (a public field of its class, not part
 * of `IExecuteFunctions`); the engine tests and the end-to-end Retry test fail if that changes. Without it, the
 * execution id is used: a new execution then stays new, but n8n's Retry would no longer be recognised.
 *
 * A manual run from the editor is anchored to its execution id: "Execute step" reuses the earlier nodes' data, and a
 * user who clicks it again means to send again.
 */
export function executionAnchor(context: IExecuteFunctions): string {
	const byExecution = `execution:${context.getExecutionId() ?? ''}`;
	if (context.getMode() === 'manual') return byExecution;
	const runData = (context as unknown as { runExecutionData?: IRunExecutionData | null }).runExecutionData?.resultData
		?.runData;
	const trigger = firstTask(runData, context.getNode().name);
	return trigger ?? byExecution;
}

function firstTask(runData: IRunData | undefined, ownName: string): string | undefined {
	let first: { name: string; startTime: number; firstItem: unknown } | undefined;
	for (const [name, tasks] of Object.entries(runData ?? {})) {
		const task = tasks?.[0];
		if (name === ownName || !task || typeof task.startTime !== 'number') continue;
		if (first === undefined || task.startTime < first.startTime || (task.startTime === first.startTime && name < first.name)) {
			first = { name, startTime: task.startTime, firstItem: task.data?.main?.[0]?.[0]?.json };
		}
	}
	if (first === undefined) return undefined;
	// The first item tells apart two executions whose triggers started in the same millisecond.
	const item = sha256Hex(JSON.stringify(first.firstItem ?? null)).slice(0, 16);
	return `trigger:${first.name}:${first.startTime}:${item}`;
}
