import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { callGateway, listProperties, readLimit, readOnce, startAccountRun } from '../../../shared/account';
import { LIST_STOP_PATH, buildAccountRequest, parseStopListResponse } from '../../../shared/protocol/sms/account';

export const description = listProperties({ resource: ['stopList'], operation: ['getAll'] });

/** One item per phone on the account's stop list. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await startAccountRun(this);
	const limit = readLimit(run);
	return await readOnce(
		run,
		() => callGateway(run, LIST_STOP_PATH, buildAccountRequest(run.credentials), parseStopListResponse),
		(phones) => phones.slice(0, limit).map((phone) => ({ phone })),
	);
}
