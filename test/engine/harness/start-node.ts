import { deepCopy, NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

/** Type name of the start node the harness puts in front of every workflow. */
export const HARNESS_START_NODE_TYPE = 'harness.start';

/** Name of the start node in the workflow (and in `run.data.resultData.runData`). */
export const HARNESS_START_NODE_NAME = 'Start';

const description: INodeTypeDescription = {
	displayName: 'Harness Start',
	name: HARNESS_START_NODE_TYPE,
	group: ['trigger'],
	version: 1,
	description: 'Starts a workflow run with fixed items',
	defaults: { name: HARNESS_START_NODE_NAME },
	inputs: [],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
};

/**
 * A trigger-like node type without inputs that emits the given items, one item per object, the
 * way a Manual Trigger with pinned data starts a run in the editor. A new node type object is made
 * for each run so that the items travel with it and never go through parameter (expression)
 * resolution: a string such as `'=x'` in an item stays a plain string.
 */
export function createStartNodeType(items: IDataObject[]): INodeType {
	const frozen = deepCopy(items);
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [deepCopy(frozen).map((json) => ({ json }))];
		},
	};
}
