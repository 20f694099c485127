import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from '../../shared/concurrency';
import type { TargetSmsApiCredentials } from '../../shared/credentials';
import { loadTargetSmsApiCredentials, targetSmsApiSecrets } from '../../shared/credentials';
import type { ItemResults } from '../../shared/items';
import { emptyResults, readEachItem, reportRequestFailure } from '../../shared/items';
import { itemParameterReader } from '../../shared/parameters';
import { agentContentType, EMAIL_STATUS_PATH } from '../../shared/protocol/agent/email';
import { buildEmailStatusRequest, parseEmailStatusResponse } from '../../shared/protocol/agent/email-status';
import { buildSmsStateRequest, parseSmsStateResponse, STATE_SMS_PATH } from '../../shared/protocol/sms/state-sms';
import { buildMessageStateRequest, parseMessageStateResponse, STATE_MESSAGE_PATH } from '../../shared/protocol/sms/state';
import type { StatusOutput } from '../../shared/protocol/status';
import { normaliseEmailStatus, normaliseMessageState, normaliseSmsState } from '../../shared/protocol/status';
import { XML_CONTENT_TYPE } from '../../shared/protocol/xml';
import { redactTexts } from '../../shared/redaction';
import type { Transport } from '../../shared/transport';
import { transportFor } from '../../shared/transport';
import { checkFormat } from '../../shared/validation/email';
import { parseIdList } from '../../shared/validation/ids';
import { EMAIL_STATUS_CONCURRENCY, IDS_PER_REQUEST } from './get.limits';

export { getDescription as description } from './get.description';

/** The fields of a status row that carry the provider's words (a status, an error). */
const PROVIDER_TEXTS: ReadonlyArray<keyof StatusOutput> = ['status', 'error', 'smsStatus', 'viberStatus'];

interface IdRequest {
	itemIndex: number;
	id: string;
}

interface StatusContext {
	node: IExecuteFunctions;
	transport: Transport;
	credentials: TargetSmsApiCredentials;
	secrets: string[];
	results: ItemResults;
}

/** How each SMS-API resource asks for many ids at once and reads the rows back. */
const BATCHED_RESOURCES = {
	message: {
		path: STATE_MESSAGE_PATH,
		build: buildMessageStateRequest,
		parse: (body: string) => parseMessageStateResponse(body).map(normaliseMessageState),
	},
	sms: {
		path: STATE_SMS_PATH,
		build: buildSmsStateRequest,
		parse: (body: string) => parseSmsStateResponse(body).map(normaliseSmsState),
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await loadTargetSmsApiCredentials(this);
	const results = emptyResults(this.getInputData().length);
	const resource = String(this.getNodeParameter('resource', 0));
	const parameter = itemParameterReader(this);
	const requests = readEachItem(this, results, (itemIndex) => ({
		ids: parseIdList(parameter('ids', itemIndex, ''), 'IDs'),
		format: resource === 'email' ? checkFormat(parameter('format', itemIndex, 'json')) : undefined,
	}));
	const context: StatusContext = {
		node: this,
		transport: transportFor(this),
		credentials,
		secrets: targetSmsApiSecrets(credentials),
		results,
	};

	if (resource === 'email') {
		const ids = requests.flatMap(({ itemIndex, value }) => value.ids.map((id) => ({ itemIndex, id, format: value.format ?? 'json' })));
		await getEmailStatuses(context, ids);
	} else {
		const ids = requests.flatMap(({ itemIndex, value }) => value.ids.map((id) => ({ itemIndex, id })));
		await getBatchedStatuses(context, resource === 'sms' ? BATCHED_RESOURCES.sms : BATCHED_RESOURCES.message, ids);
	}
	return [results.flat()];
}

async function getBatchedStatuses(
	{ node, transport, credentials, secrets, results }: StatusContext,
	resource: (typeof BATCHED_RESOURCES)[keyof typeof BATCHED_RESOURCES],
	ids: IdRequest[],
): Promise<void> {
	for (let start = 0; start < ids.length; start += IDS_PER_REQUEST) {
		const chunk = ids.slice(start, start + IDS_PER_REQUEST);
		const result = await transport.call({
			url: credentials.smsBaseUrl + resource.path,
			body: resource.build(
				credentials,
				chunk.map((request) => request.id),
			),
			contentType: XML_CONTENT_TYPE,
			parse: resource.parse,
			secrets,
			retry: 'deduplicated',
		});
		if (!result.ok) {
			const targets = chunk.map((request) => ({ itemIndex: request.itemIndex, fields: { id: request.id } }));
			reportRequestFailure(node, results, result.failure, targets, { secrets, sends: false });
			continue;
		}
		const rows = result.value.map((row) => redactTexts(row, secrets, PROVIDER_TEXTS));
		chunk.forEach((request, index) => {
			results[request.itemIndex].push({
				json: matchRow(rows, index, request.id),
				pairedItem: { item: request.itemIndex },
			});
		});
	}
}

/** The reply's row for the id asked at `index`: rows come in request order; an id it skipped is reported. */
function matchRow(rows: StatusOutput[], index: number, id: string): StatusOutput {
	const sameId = (row: StatusOutput | undefined) => row !== undefined && String(row.id).replace(/^0+(?=\d)/, '') === id.replace(/^0+(?=\d)/, '');
	const row = sameId(rows[index]) ? rows[index] : rows.find(sameId);
	return row ?? { id, status: 'error', final: false, error: 'TargetSMS did not report on this id' };
}

async function getEmailStatuses(
	{ node, transport, credentials, secrets, results }: StatusContext,
	ids: Array<IdRequest & { format: 'json' | 'xml' }>,
): Promise<void> {
	const outcomes = await mapWithConcurrency(ids, EMAIL_STATUS_CONCURRENCY, (request) =>
		transport.call({
			url: credentials.apiBaseUrl + EMAIL_STATUS_PATH,
			body: buildEmailStatusRequest(request.format, credentials, request.id),
			contentType: agentContentType(request.format),
			parse: (body) => normaliseEmailStatus(parseEmailStatusResponse(request.format, body)),
			secrets,
			retry: 'deduplicated',
		}),
	);
	ids.forEach((request, index) => {
		const outcome = outcomes[index];
		if (outcome.ok) {
			results[request.itemIndex].push({ json: redactTexts(outcome.value, secrets, PROVIDER_TEXTS), pairedItem: { item: request.itemIndex } });
		} else {
			// One id per request, so a refusal (an unknown id, say) is that id's own error.
			reportRequestFailure(
				node,
				results,
				{ ...outcome.failure, description: `ID ${request.id}. ${outcome.failure.description}`.trim() },
				[{ itemIndex: request.itemIndex, fields: { id: request.id } }],
				{ secrets, sends: false },
			);
		}
	});
}

