import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { editStopList, stopListPhones } from './edit';

export const description = stopListPhones('remove', 'A phone that is not on the list is reported as not_found.');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await editStopList(this, 'delete');
}
