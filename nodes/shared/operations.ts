import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface Operation {
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

/** Runs the operation the node is set to; every node routes through here. */
export async function runOperation(
	context: IExecuteFunctions,
	operations: Record<string, Operation>,
): Promise<INodeExecutionData[][]> {
	const operation = String(context.getNodeParameter('operation', 0));
	const selected = Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation] : undefined;
	if (!selected) throw new NodeOperationError(context.getNode(), `The operation "${operation}" is not supported`);
	return await selected.execute.call(context);
}

/** Runs the operation of the resource the node is set to (nodes with several resources). */
export async function runResourceOperation(
	context: IExecuteFunctions,
	resources: Record<string, Record<string, Operation>>,
): Promise<INodeExecutionData[][]> {
	const resource = String(context.getNodeParameter('resource', 0));
	const operations = Object.prototype.hasOwnProperty.call(resources, resource) ? resources[resource] : undefined;
	if (!operations) throw new NodeOperationError(context.getNode(), `The resource "${resource}" is not supported`);
	return await runOperation(context, operations);
}
