import type { IDataObject, IHookFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { providerId } from '../../shared/protocol/sms/reply';
import {
	buildDeliveryReportAnswer,
	buildGetStateRequest,
	GET_STATE_PATH,
	parseDeliveryReportPush,
	parseGetStateResponse,
} from '../../shared/protocol/sms/trigger';
import type { PushedState } from '../../shared/protocol/sms/trigger';
import { FINAL_STATUSES, providerTimeToIso } from '../../shared/protocol/status';
import { XML_CONTENT_TYPE } from '../../shared/protocol/xml';
import { callSmsApi } from './call';
import { claimNewReports } from './report-memory';

export const DELIVERY_REPORT = 'deliveryReport';

function isDeliveryReport(context: IHookFunctions | IWebhookFunctions): boolean {
	return context.getNodeParameter('event', DELIVERY_REPORT) === DELIVERY_REPORT;
}

async function currentUrl(context: IHookFunctions): Promise<string> {
	return await callSmsApi(context, GET_STATE_PATH, (login) => buildGetStateRequest(login), parseGetStateResponse);
}

async function setUrl(context: IHookFunctions, url: string): Promise<void> {
	const inForce = await callSmsApi(context, GET_STATE_PATH, (login) => buildGetStateRequest(login, { url }), parseGetStateResponse);
	if (inForce !== url) {
		throw new NodeOperationError(context.getNode(), `TargetSMS did not take the delivery-report URL (it answered "${inForce}")`);
	}
}

function ownUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (url === undefined) throw new NodeOperationError(context.getNode(), 'n8n gave this trigger no webhook URL');
	return url;
}

/**
 * URLs replaced by an editor test ("Listen for test event"), restored when the test ends. In this process only: a test
 * webhook lives and ends in the process that registered it.
 */
const replacedByTests = new Map<string, string>();

/** The URL is this workflow's when the account has it; activation registers it; deactivation clears it if still ours. */
export const deliveryReportHooks = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		if (!isDeliveryReport(this)) return true;
		return (await currentUrl(this)) === ownUrl(this);
	},

	async create(this: IHookFunctions): Promise<boolean> {
		if (!isDeliveryReport(this)) return true;
		const url = ownUrl(this);
		const found = await currentUrl(this);
		if (found !== '' && found !== url) {
			if (this.getNodeParameter('replaceExistingUrl', false) !== true) {
				throw new NodeOperationError(this.getNode(), `The TargetSMS account already sends its delivery reports to ${found}`, {
					description:
						'TargetSMS keeps one delivery-report URL per account. Another workflow (or system) uses it, so this workflow was not activated. Deactivate that one first, or turn on "Replace Existing URL" to take the URL over (the other receiver then gets no more reports).',
				});
			}
			if (this.getMode() === 'manual') replacedByTests.set(url, found);
		}
		await setUrl(this, url);
		return true;
	},

	async delete(this: IHookFunctions): Promise<boolean> {
		if (!isDeliveryReport(this)) return true;
		const url = ownUrl(this);
		const restore = replacedByTests.get(url) ?? '';
		replacedByTests.delete(url);
		// n8n also calls delete after a refused create: another receiver's URL is never cleared.
		if ((await currentUrl(this)) !== url) return true;
		await setUrl(this, restore);
		return true;
	},
};

function reportItem(state: PushedState): INodeExecutionData {
	return {
		json: {
			smsId: providerId(state.id) ?? state.id,
			status: state.status,
			final: FINAL_STATUSES.has(state.status),
			changedAt: providerTimeToIso(state.time),
		},
	};
}

async function rawBody(context: IWebhookFunctions): Promise<string | undefined> {
	const request = context.getRequestObject();
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') await request.readRawBody();
	const raw: unknown = request.rawBody;
	if (Buffer.isBuffer(raw)) return raw.toString('utf8');
	return typeof raw === 'string' ? raw : undefined;
}

function answer(context: IWebhookFunctions, status: number, contentType: string, body: string): void {
	const response = context.getResponseObject();
	response.statusCode = status;
	response.setHeader('Content-Type', contentType);
	response.end(body);
}

/**
 * A push: `<response>` naming every well-formed state (so the provider stops pushing it), one item per state not seen
 * before; HTTP 400 and nothing emitted for anything that is not the provider's document.
 */
export async function receiveDeliveryReport(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (!isDeliveryReport(this)) {
		answer(this, 404, 'text/plain; charset=utf-8', 'This trigger listens for incoming SMS, not delivery reports');
		return { noWebhookResponse: true };
	}
	const body = await rawBody(this);
	let states: PushedState[];
	try {
		states = parseDeliveryReportPush(body ?? '');
	} catch {
		answer(this, 400, 'text/plain; charset=utf-8', 'Not a TargetSMS delivery report');
		return { noWebhookResponse: true };
	}
	const keyOf = (state: PushedState) => `${state.id.replace(/^0+(?=\d)/, '')}:${state.status}`;
	const node = this.getNode();
	const fresh = new Set(
		claimNewReports(this.getWorkflowStaticData('node') as IDataObject, `${this.getWorkflow().id ?? ''}:${node.id}`, states.map(keyOf)),
	);
	const items: INodeExecutionData[] = [];
	for (const state of states) {
		const key = keyOf(state);
		if (!fresh.delete(key)) continue;
		items.push(reportItem(state));
	}
	answer(this, 200, XML_CONTENT_TYPE, buildDeliveryReportAnswer(states.map((state) => state.id)));
	return items.length > 0 ? { noWebhookResponse: true, workflowData: [items] } : { noWebhookResponse: true };
}
