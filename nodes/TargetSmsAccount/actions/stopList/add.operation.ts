import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { editStopList, stopListPhones } from './edit';

export const description = stopListPhones('add', 'TargetSMS sends nothing to a phone on the stop list.');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await editStopList(this, 'add');
}
