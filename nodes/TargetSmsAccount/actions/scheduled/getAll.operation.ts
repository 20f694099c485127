import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { AccountRun } from '../../../shared/account';
import { callGateway, listProperties, readLimit, readOnce, startAccountRun } from '../../../shared/account';
import type { ScheduledSms } from '../../../shared/protocol/sms/account';
import { LIST_SCHEDULED_PATH, buildListScheduledRequest, parseListScheduledResponse } from '../../../shared/protocol/sms/account';
import { providerId } from '../../../shared/protocol/sms/reply';
import { providerTimeToIso } from '../../../shared/protocol/status';
import type { ProviderResult } from '../../../shared/transport';

export const description = listProperties({ resource: ['scheduled'], operation: ['getAll'] });

/** The provider lists scheduled SMS a page at a time; pages are followed until the limit or the last page. */
async function readPages(run: AccountRun, limit: number): Promise<ProviderResult<ScheduledSms[]>> {
	const rows: ScheduledSms[] = [];
	for (let page = 1; ; page++) {
		const result = await callGateway(run, LIST_SCHEDULED_PATH, buildListScheduledRequest(run.credentials, page), parseListScheduledResponse);
		if (!result.ok) return result;
		rows.push(...result.value.scheduled);
		if (rows.length >= limit || page >= result.value.pages || result.value.scheduled.length === 0) break;
	}
	return { ok: true, value: rows.slice(0, limit) };
}

function numberOrNull(value: string): number | null {
	return /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}

/** One item per SMS waiting for its send time; provider times as ISO 8601 with +03:00. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await startAccountRun(this);
	const limit = readLimit(run);
	return await readOnce(
		run,
		() => readPages(run, limit),
		(rows) =>
			rows.map((row) => ({
				smsId: providerId(row.smsId) ?? row.smsId,
				queuedAt: providerTimeToIso(row.queuedAt),
				sender: row.sender,
				phone: row.phone,
				type: row.type,
				text: row.text,
				parts: numberOrNull(row.parts),
				deliveryName: row.deliveryName,
				sendAt: providerTimeToIso(row.sendAt),
				validUntil: providerTimeToIso(row.validUntil),
			})),
	);
}
