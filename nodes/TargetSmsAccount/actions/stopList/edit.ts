import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { askInBatches, callGateway, readKeys, startAccountRun } from '../../../shared/account';
import { phonesProperty } from '../../../shared/descriptions';
import type { StopAction } from '../../../shared/protocol/sms/account';
import { STOP_PATH, buildStopRequest, parseStopResponse } from '../../../shared/protocol/sms/account';
import { parsePhoneList } from '../../../shared/validation/phones';

export function stopListPhones(operation: string, note: string): INodeProperties[] {
	return [phonesProperty({ resource: ['stopList'], operation: [operation] }, note)];
}

/** Adds phones to the stop list or removes them; one item per phone with the provider's `add`/`delete`/`not_found`. */
export async function editStopList(node: IExecuteFunctions, action: StopAction): Promise<INodeExecutionData[][]> {
	const run = await startAccountRun(node);
	const requests = readKeys(run, 'phones', (raw) => parsePhoneList(raw));
	return await askInBatches(
		run,
		requests,
		(phones) => callGateway(run, STOP_PATH, buildStopRequest(run.credentials, action, phones), parseStopResponse),
		(phone, result) =>
			result === undefined ? { phone, result: null, error: 'TargetSMS did not report on this phone' } : { phone, result },
		'phone',
	);
}
