import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
	const continueOnFail = context.continueOnFail();
	for (let itemIndex = 0; itemIndex < results.length; itemIndex++) {
		try {
			accepted.push({ itemIndex, value: read(itemIndex) });
		} catch (error) {
			const failure = itemInputFailure(context.getNode(), itemIndex, error);
			if (!continueOnFail) throw failure;
			results[itemIndex].push({ json: { error: failure.message }, pairedItem: { item: itemIndex } });
		}
	}
	return accepted;
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

/**
 * A request the provider refused or never answered: with continueOnFail an error item for each input item it
 * carried, otherwise the node fails with the provider's words and whatever the caller adds (what was already sent).
 */
export function reportRequestFailure(
	context: IExecuteFunctions,
	results: ItemResults,
	failure: ProviderFailure,
	itemIndexes: Iterable<number>,
	options: { secrets: readonly string[]; extraDescription?: string },
): void {
	const indexes = [...new Set(itemIndexes)];
	if (!context.continueOnFail()) {
		throw toNodeApiError(context.getNode(), failure, {
			itemIndex: indexes.length === 1 ? indexes[0] : undefined,
			extraDescription: options.extraDescription,
			secrets: options.secrets,
		});
	}
	for (const itemIndex of indexes) {
		results[itemIndex].push({
			json: { error: failure.message, ...(failure.description ? { description: failure.description } : {}) },
			pairedItem: { item: itemIndex },
		});
	}
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
		executionId: context.getExecutionId() ?? '',
		nodeName: context.getNode().name,
		runIndex: context.getWorkflowDataProxy(0).$runIndex,
	};
}
