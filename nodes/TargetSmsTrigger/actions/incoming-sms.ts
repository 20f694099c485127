import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { providerId } from '../../shared/protocol/sms/reply';
import { buildIncomingRequest, INCOMING_PATH, parseIncomingResponse } from '../../shared/protocol/sms/trigger';
import type { IncomingSmsRow } from '../../shared/protocol/sms/trigger';
import { formatProviderTime, providerTimeMs, providerTimeToIso } from '../../shared/protocol/status';
import { callSmsApi } from './call';

export const INCOMING_SMS = 'incomingSms';

const SECOND_MS = 1_000;
const DAY_MS = 24 * 60 * 60 * SECOND_MS;
const PROVIDER_SECOND = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Where the last poll stopped: the newest `date_receive` seen and the ids received in that second. */
interface Cursor {
	lastReceived: string;
	idsAtLast: string[];
}

function readCursor(staticData: IDataObject): Cursor | undefined {
	const { lastReceived, idsAtLast } = staticData;
	if (typeof lastReceived !== 'string' || !PROVIDER_SECOND.test(lastReceived)) return undefined;
	return { lastReceived, idsAtLast: Array.isArray(idsAtLast) ? idsAtLast.map(String) : [] };
}

function smsItem(sms: IncomingSmsRow): INodeExecutionData {
	return {
		json: {
			smsId: providerId(sms.id) ?? sms.id,
			receivedAt: providerTimeToIso(sms.receivedAt),
			from: sms.from,
			to: sms.to,
			prefix: sms.prefix,
			text: sms.text,
		},
	};
}

/**
 * Every SMS received since the last one seen, once. `start` is exclusive and has one-second resolution, so each window
 * starts a second before the newest SMS seen and the ids of that second are skipped. The first poll (at activation)
 * starts then; the editor's manual test shows the last 24 hours and moves no cursor.
 */
export async function pollIncomingSms(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	if (this.getNodeParameter('event', INCOMING_SMS) !== INCOMING_SMS) return null;
	const now = Date.now();
	if (this.getMode() === 'manual') {
		const rows = await fetchSince(this, formatProviderTime(now - DAY_MS));
		return rows.length > 0 ? [rows.map(smsItem)] : null;
	}
	const staticData = this.getWorkflowStaticData('node');
	const cursor = readCursor(staticData) ?? { lastReceived: formatProviderTime(now), idsAtLast: [] };
	const rows = await fetchSince(this, formatProviderTime(providerTimeMs(cursor.lastReceived) - SECOND_MS));
	const skipped = new Set(cursor.idsAtLast);
	const fresh = rows.filter((sms) => PROVIDER_SECOND.test(sms.receivedAt) && sms.receivedAt >= cursor.lastReceived && !skipped.has(sms.id));
	let { lastReceived, idsAtLast } = cursor;
	for (const sms of fresh) {
		if (sms.receivedAt > lastReceived) {
			lastReceived = sms.receivedAt;
			idsAtLast = [];
		}
		if (sms.receivedAt === lastReceived) idsAtLast = [...idsAtLast, sms.id];
	}
	staticData.lastReceived = lastReceived;
	staticData.idsAtLast = idsAtLast;
	return fresh.length > 0 ? [fresh.map(smsItem)] : null;
}

async function fetchSince(context: IPollFunctions, start: string): Promise<IncomingSmsRow[]> {
	const rows = await callSmsApi(context, INCOMING_PATH, (login) => buildIncomingRequest(login, start), parseIncomingResponse);
	return [...rows].sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
}
