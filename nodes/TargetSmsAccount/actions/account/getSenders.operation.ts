import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callGateway, readOnce, startAccountRun } from '../../../shared/account';
import { ORIGINATOR_PATH, buildAccountRequest, parseOriginatorResponse } from '../../../shared/protocol/sms/account';

export const description: INodeProperties[] = [];

/** One item per sender name with its state, or one `{ anySender: true }` when the account may use any name. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await startAccountRun(this);
	return await readOnce(
		run,
		() => callGateway(run, ORIGINATOR_PATH, buildAccountRequest(run.credentials), parseOriginatorResponse),
		(names) => (names.anySender ? [{ anySender: true }] : names.senders.map(({ sender, state }) => ({ sender, state }))),
	);
}
