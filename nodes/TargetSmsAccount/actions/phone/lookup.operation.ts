import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { askInBatches, lookUpPhones, readKeys, startAccountRun } from '../../../shared/account';
import { phonesProperty } from '../../../shared/descriptions';
import { parsePhoneList } from '../../../shared/validation/phones';

const show = { resource: ['phone'], operation: ['lookup'] };

export const description: INodeProperties[] = [
	phonesProperty(show, 'Phones of all items are looked up together, up to 500 per request.'),
];

/** One item per phone: its operator, region and hours ahead of Moscow; an unknown phone is `found: false`. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await startAccountRun(this);
	const requests = readKeys(run, 'phones', (raw) => parsePhoneList(raw));
	return await askInBatches(
		run,
		requests,
		(phones) => lookUpPhones(run, phones),
		(phone, info) => ({
			phone,
			found: info !== undefined,
			operator: info?.operator ?? null,
			region: info?.region ?? null,
			moscowOffsetHours: info?.moscowOffsetHours ?? null,
		}),
		'phone',
	);
}
