import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { askInBatches, callGateway, readKeys, startAccountRun } from '../../../shared/account';
import {
	SCHEDULED_PATH,
	buildCancelScheduledRequest,
	canonicalId,
	parseCancelScheduledResponse,
} from '../../../shared/protocol/sms/account';
import { providerId } from '../../../shared/protocol/sms/reply';
import { parseIdList } from '../../../shared/validation/ids';

export const description: INodeProperties[] = [
	{
		displayName: 'SMS IDs',
		name: 'ids',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.smsId }}',
		displayOptions: { show: { resource: ['scheduled'], operation: ['cancel'] } },
		description:
			'One or more smsId of scheduled SMS (from the TargetSMS node or Get Many), separated by commas, semicolons, spaces or line breaks. The IDs of all items are cancelled together.',
	},
];

/** One item per id: `cancelled` true when TargetSMS removed it (`delete`), false when it was not scheduled. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await startAccountRun(this);
	const requests = readKeys(run, 'ids', (raw) => parseIdList(raw, 'SMS IDs'));
	return await askInBatches(
		run,
		requests,
		(ids) => callGateway(run, SCHEDULED_PATH, buildCancelScheduledRequest(run.credentials, ids), parseCancelScheduledResponse),
		(id, result) => ({
			smsId: providerId(canonicalId(id)) ?? id,
			cancelled: result === 'delete',
			result: result ?? null,
			...(result === undefined ? { error: 'TargetSMS did not report on this ID' } : {}),
		}),
		'smsId',
		canonicalId,
	);
}
