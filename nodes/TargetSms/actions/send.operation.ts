import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { loadTargetSmsApiCredentials } from '../../shared/credentials';
import type { RunIdentity } from '../../shared/protocol/client-id';
import { deriveClientId } from '../../shared/protocol/client-id';
import type { ItemMessage, PlannedMessage } from '../../shared/protocol/sms/batching';
import { MAX_REQUEST_BYTES, planRequests } from '../../shared/protocol/sms/batching';
import { buildSendRequest, MESSAGE_PATH, parseSendResponse } from '../../shared/protocol/sms/message';
import type { MessageOutcome, RecipientOutcome } from '../../shared/protocol/sms/types';
import { XML_CONTENT_TYPE } from '../../shared/protocol/xml';
import { emptyResults, readEachItem, readIntegerOption, reportRequestFailure, runIdentity } from '../../shared/items';
import { callProvider, postFromExecution } from '../../shared/transport';
import { InputError } from '../../shared/validation/input-error';
import { parsePhoneList } from '../../shared/validation/phones';
import { checkMessageContent } from '../../shared/validation/sms-message';
import { checkNumericId } from '../../shared/validation/ids';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from './send.limits';

export { sendDescription as description } from './send.description';

const RETRY_IS_SAFE =
	'Every recipient was sent with a client_id_message that TargetSMS never sends twice, so retrying this execution (Retry On Fail) cannot send a message twice.';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const credentials = await loadTargetSmsApiCredentials(this);
	const secrets = [credentials.password];
	const results = emptyResults(this.getInputData().length);

	const batchSize = readIntegerOption(this, {
		path: 'options.batchSize',
		field: 'Batch Size',
		fallback: DEFAULT_BATCH_SIZE,
		min: 1,
		max: MAX_BATCH_SIZE,
	});
	const idSource = runIdentity(this);
	const time = { inputTimezone: this.getTimezone(), now: new Date() };
	const messages = readEachItem(this, results, (itemIndex) => readItemMessage(this, itemIndex, idSource, time)).map(
		({ value }) => value,
	);

	const post = postFromExecution(this);
	const sent: RecipientOutcome[] = [];
	const refused: Array<{ outcome: RecipientOutcome; itemIndex: number }> = [];
	const limits = {
		maxRecipients: batchSize,
		maxBytes: MAX_REQUEST_BYTES,
		fixedBytes: Buffer.byteLength(buildSendRequest(credentials, [])),
	};
	for (const request of planRequests(messages, limits)) {
		const result = await callProvider(post, {
			url: credentials.smsBaseUrl + MESSAGE_PATH,
			body: buildSendRequest(credentials, request),
			contentType: XML_CONTENT_TYPE,
			parse: parseSendResponse,
			secrets,
		});
		if (!result.ok) {
			const extraDescription = [result.failure.kind === 'network' ? RETRY_IS_SAFE : '', describeAlreadySent(sent)]
				.filter((part) => part !== '')
				.join('\n\n');
			reportRequestFailure(this, results, result.failure, request.map((message) => message.itemIndex), {
				secrets,
				extraDescription,
			});
			continue;
		}
		for (const [messageIndex, message] of request.entries()) {
			for (const outcome of matchOutcomes(message, result.value[messageIndex])) {
				if (outcome.accepted) sent.push(outcome);
				else refused.push({ outcome, itemIndex: message.itemIndex });
				results[message.itemIndex].push({ json: recipientJson(outcome), pairedItem: { item: message.itemIndex } });
			}
		}
	}

	if (refused.length > 0 && !continueOnFail) {
		const reasons = refused.map(({ outcome }) => `${outcome.phone}: ${outcome.text}`).join('; ');
		throw new NodeApiError(node, { message: reasons }, {
			message: `TargetSMS refused ${refused.length} of ${refused.length + sent.length} recipients (${reasons})`,
			description: describeAlreadySent(sent) || 'No recipient was accepted.',
			itemIndex: refused.length === 1 ? refused[0].itemIndex : undefined,
		});
	}
	return [results.flat()];
}

function readItemMessage(
	context: IExecuteFunctions,
	itemIndex: number,
	idSource: RunIdentity,
	time: { inputTimezone: string; now: Date },
): ItemMessage {
	const parameter = (name: string, fallback: unknown = '') => context.getNodeParameter(name, itemIndex, fallback);
	const channel = parameter('channel', 'sms');
	const smsUsed = channel !== 'viber';
	const viberUsed = channel !== 'sms';
	const options = parameter('options', {}) as IDataObject;
	const content = checkMessageContent(
		{
			channel,
			smsSender: smsUsed ? parameter('smsSender') : undefined,
			smsText: smsUsed ? parameter('smsText') : undefined,
			viberSender: viberUsed ? parameter('viberSender') : undefined,
			viberText: viberUsed ? parameter('viberText') : undefined,
			...options,
		},
		time,
	);
	const phones = parsePhoneList(parameter('phones'));
	const clientMessageId = checkNumericId(options.clientMessageId, 'Client Message ID');
	if (clientMessageId !== undefined) {
		if (phones.length > 1) {
			throw new InputError(
				'Client Message ID',
				`is set, but the item has ${phones.length} phones; each recipient needs its own ID, so use one phone per item or leave the ID empty`,
			);
		}
	}
	return {
		itemIndex,
		content,
		recipients: phones.map((phone) => ({
			phone,
			clientMessageId: clientMessageId ?? deriveClientId({ ...idSource, itemIndex, recipient: phone }),
		})),
	};
}

/** The reply's rows for one planned message; a recipient the reply does not mention is reported as such. */
function matchOutcomes(message: PlannedMessage, reply: MessageOutcome | undefined): RecipientOutcome[] {
	return message.recipients.map((recipient, index) => {
		const row =
			reply?.recipients[index]?.clientMessageId === recipient.clientMessageId
				? reply.recipients[index]
				: reply?.recipients.find((candidate) => candidate.clientMessageId === recipient.clientMessageId);
		if (row) return { ...row, phone: row.phone || recipient.phone };
		return {
			phone: recipient.phone,
			clientMessageId: recipient.clientMessageId,
			text: reply?.error ?? 'TargetSMS did not report on this recipient',
			accepted: false,
		};
	});
}

function recipientJson(outcome: RecipientOutcome): IDataObject {
	const json: IDataObject = {
		phone: outcome.phone,
		messageId: outcome.messageId ?? null,
		clientMessageId: outcome.clientMessageId,
		smsId: nonZero(outcome.smsId),
		viberId: nonZero(outcome.viberId),
		parts: outcome.parts ?? null,
		status: outcome.accepted ? outcome.text : 'refused',
	};
	if (!outcome.accepted) json.error = outcome.text;
	return json;
}

function nonZero(id: number | string | undefined): number | string | null {
	return id === undefined || id === 0 || id === '0' ? null : id;
}

function describeAlreadySent(sent: readonly RecipientOutcome[]): string {
	if (sent.length === 0) return '';
	const lines = sent.map(
		(outcome) =>
			`${outcome.phone}: id_message ${String(outcome.messageId)}, client_id_message ${outcome.clientMessageId}` +
			(nonZero(outcome.smsId) !== null ? `, id_sms ${String(outcome.smsId)}` : '') +
			(nonZero(outcome.viberId) !== null ? `, id_viber ${String(outcome.viberId)}` : ''),
	);
	return `Already accepted by TargetSMS (${sent.length}):\n${lines.join('\n')}`;
}
