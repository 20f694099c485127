import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readOnce, readSenderNames, startAccountRun } from '../../../shared/account';

export const description: INodeProperties[] = [];

/** One item per sender name with its state, or one `{ anySender: true }` when the account may use any name. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await startAccountRun(this);
	return await readOnce(
		run,
		() => readSenderNames(run),
		(names) => (names.anySender ? [{ anySender: true }] : names.senders.map(({ sender, state }) => ({ sender, state }))),
	);
}
