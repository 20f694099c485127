import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { attemptRunKey } from './attempt-memory';
import { executionAnchor } from './execution-anchor';
import type { RunIdentity } from './protocol/client-id';
import type { ProviderFailure } from './transport';
import { toNodeApiError } from './transport';
import { InputError } from './validation/input-error';
import { checkInteger } from './validation/text';

/** Output items per input item, in input order; flattened at the end so pairing follows the input. */
export type ItemResults = INodeExecutionData[][];

export function emptyResults(count: number): ItemResults {
	return Array.from({ length: count }, () => []);
}

/**
 * Reads and validates every item before anything is sent. A refused item stops the node, or, with
 * continueOnFail, becomes an error item while the others go on.
 */
export function readEachItem<T>(
	context: IExecuteFunctions,
	results: ItemResults,
	read: (itemIndex: number) => T,
): Array<{ itemIndex: number; value: T }> {
	const accepted: Array<{ itemIndex: number; value: T }> = [];
	for (let itemIndex = 0; itemIndex < results.length; itemIndex++) {
		try {
			accepted.push({ itemIndex, value: read(itemIndex) });
		} catch (error) {
			refuseItem(context, results, itemIndex, error);
		}
	}
	return accepted;
}

/** An item refused before anything was sent: the node fails, or, with continueOnFail, the item gets an error item. */
export function refuseItem(context: IExecuteFunctions, results: ItemResults, itemIndex: number, error: unknown): void {
	const failure = itemInputFailure(context.getNode(), itemIndex, error);
	if (!context.continueOnFail()) throw failure;
	results[itemIndex].push({ json: { error: failure.message }, pairedItem: { item: itemIndex } });
}

/** A refused value as n8n's error for the item, naming the item and the field; nothing is sent for that item. */
export function itemInputFailure(node: INode, itemIndex: number, error: unknown): NodeOperationError {
	if (error instanceof InputError) {
		return new NodeOperationError(node, `Item ${itemIndex}: ${error.message}`, {
			itemIndex,
			description: `Nothing was sent for this item. Check the "${error.field}" field.`,
		});
	}
	if (error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}

/** What a failed request carried for one input item: the fields its error item keeps (a phone, an id). */
export interface FailedTarget {
	itemIndex: number;
	fields?: IDataObject;
}

/**
 * A request the provider refused or never answered: with continueOnFail an error item for each target it carried
 * (saying, for a send, whether it may have been sent), otherwise the node fails with the provider's words and whatever
 * the caller adds (what was already sent).
 */
export function reportRequestFailure(
	context: IExecuteFunctions,
	results: ItemResults,
	failure: ProviderFailure,
	targets: readonly FailedTarget[],
	options: { secrets: readonly string[]; extraDescription?: string; sends: boolean },
): void {
	if (!context.continueOnFail()) {
		const indexes = new Set(targets.map((target) => target.itemIndex));
		throw toNodeApiError(context.getNode(), failure, {
			itemIndex: indexes.size === 1 ? targets[0].itemIndex : undefined,
			extraDescription: options.extraDescription,
			secrets: options.secrets,
		});
	}
	for (const { itemIndex, fields } of targets) {
		results[itemIndex].push({
			json: {
				...fields,
				error: failure.message,
				...(failure.description ? { description: failure.description } : {}),
				...(options.sends ? { mayHaveBeenSent: failure.mayHaveBeenProcessed } : {}),
			},
			pairedItem: { item: itemIndex },
		});
	}
}

/** "Already accepted by TargetSMS (n):" and one line per accepted send, or nothing when none was. */
export function describeAlreadySent(lines: readonly string[]): string {
	return lines.length === 0 ? '' : `Already accepted by TargetSMS (${lines.length}):\n${lines.join('\n')}`;
}

/** A whole-number node option read once for the run (from the first item), within bounds. */
export function readIntegerOption(
	context: IExecuteFunctions,
	option: { path: string; field: string; fallback: number; min: number; max: number },
): number {
	try {
		const raw = context.getNodeParameter(option.path, 0, option.fallback);
		return checkInteger(raw, option.field, option.min, option.max) ?? option.fallback;
	} catch (error) {
		throw itemInputFailure(context.getNode(), 0, error);
	}
}

/** This node run's identity, from which send operations derive their client ids. */
export function runIdentity(context: IExecuteFunctions): RunIdentity {
	return {
		instanceId: context.getInstanceId() ?? '',
		workflowId: String(context.getWorkflow().id ?? ''),
		executionAnchor: executionAnchor(context),
		nodeName: context.getNode().name,
		runIndex: context.getWorkflowDataProxy(0).$runIndex,
	};
}

/** This node run as the key of the attempt memory (the same in every Retry On Fail try of it). */
export function attemptRun(context: IExecuteFunctions): string {
	return attemptRunKey({
		instanceId: context.getInstanceId() ?? '',
		workflowId: String(context.getWorkflow().id ?? ''),
		executionId: context.getExecutionId() ?? '',
		nodeName: context.getNode().name,
		runIndex: context.getWorkflowDataProxy(0).$runIndex,
	});
}

/** Said when a send the provider does not de-duplicate (email, OTP) failed after others went out. */
export const NOT_DEDUPLICATED_RETRY =
	"The node's Retry On Fail does not send again what is listed as already sent. n8n's Retry of this execution, or a new execution, would send it again: TargetSMS does not recognise repeated requests of this kind.";
