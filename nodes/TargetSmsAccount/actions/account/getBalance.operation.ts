import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callGateway, readOnce, startAccountRun } from '../../../shared/account';
import { BALANCE_PATH, buildAccountRequest, parseBalanceResponse } from '../../../shared/protocol/sms/account';

export const description: INodeProperties[] = [];

/** One item: the money left and, per direction, how many SMS it still buys. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await startAccountRun(this);
	return await readOnce(
		run,
		() => callGateway(run, BALANCE_PATH, buildAccountRequest(run.credentials), parseBalanceResponse),
		(balance) => [{ money: balance.money, currency: balance.currency, directions: balance.directions.map((direction) => ({ ...direction })) }],
	);
}
