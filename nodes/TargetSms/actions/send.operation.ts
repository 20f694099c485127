import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { loadTargetSmsApiCredentials, targetSmsApiSecrets } from '../../shared/credentials';
import type { RunIdentity } from '../../shared/protocol/client-id';
import { clientIdDeriver, deriveDeduplicatedId } from '../../shared/protocol/client-id';
import type { ItemMessage, PlannedMessage } from '../../shared/protocol/sms/batching';
import { MAX_REQUEST_BYTES, planRequests } from '../../shared/protocol/sms/batching';
import { buildSendRequest, MESSAGE_PATH, parseSendResponse } from '../../shared/protocol/sms/message';
import type { MessageOutcome, RecipientOutcome } from '../../shared/protocol/sms/types';
import { XML_CONTENT_TYPE } from '../../shared/protocol/xml';
import type { ItemResults } from '../../shared/items';
import type { ItemParameterReader } from '../../shared/parameters';
import { itemParameterReader } from '../../shared/parameters';
import {
	describeAlreadySent,
	emptyResults,
	readEachItem,
	readIntegerOption,
	refuseItem,
	reportRequestFailure,
	runIdentity,
} from '../../shared/items';
import { redactor } from '../../shared/redaction';
import { readSender } from '../../shared/senders';
import { transportFor } from '../../shared/transport';
import { InputError } from '../../shared/validation/input-error';
import { parsePhoneList } from '../../shared/validation/phones';
import { checkMessageContent } from '../../shared/validation/sms-message';
import { checkNumericId } from '../../shared/validation/ids';
import { checkText } from '../../shared/validation/text';
import type { WallClock } from '../../shared/validation/recipient-time';
import { readWallClock } from '../../shared/validation/recipient-time';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from './send.limits';
import { placeInRecipientTime } from './send.recipient-time';

export { sendDescription as description } from './send.description';

const RETRY_IS_SAFE =
	'Every recipient carries a client_id_message that TargetSMS never sends twice: the node\'s Retry On Fail and n8n\'s Retry of this execution send nothing twice. A new execution sends again unless the node has a Deduplication Key (or Client Message ID) from your data.';

/** Where an item's client ids come from; a duplicate within the run is refused in these words. */
type IdOrigin = { kind: 'clientMessageId'; value: string } | { kind: 'deduplicationKey'; value: string } | { kind: 'derived' };

interface ReadItem {
	message: ItemMessage;
	origin: IdOrigin;
	/** Send At as each recipient's own wall-clock time (Send At Recipient Time). */
	recipientTime?: WallClock;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const credentials = await loadTargetSmsApiCredentials(this);
	const secrets = targetSmsApiSecrets(credentials);
	const redact = redactor(secrets);
	const results = emptyResults(this.getInputData().length);

	const batchSize = readIntegerOption(this, {
		path: 'options.batchSize',
		field: 'Batch Size',
		fallback: DEFAULT_BATCH_SIZE,
		min: 1,
		max: MAX_BATCH_SIZE,
	});
	const idSource = runIdentity(this);
	const derivedId = clientIdDeriver(idSource);
	const time = { inputTimezone: this.getTimezone(), now: new Date() };
	const parameters = itemParameterReader(this);
	const read = readEachItem(this, results, (itemIndex) => readItemMessage(parameters, itemIndex, idSource, derivedId, time));
	const transport = transportFor(this);
	const wallClocks = new Map(read.flatMap(({ itemIndex, value }) => (value.recipientTime ? [[itemIndex, value.recipientTime] as const] : [])));
	const unique = refuseRepeatedIds(this, results, read);
	const messages =
		wallClocks.size === 0 ? unique : await placeInRecipientTime(this, { transport, credentials, secrets, results }, unique, wallClocks, time.now);

	const sent: RecipientOutcome[] = [];
	const refused: Array<{ outcome: RecipientOutcome; itemIndex: number }> = [];
	const limits = {
		maxRecipients: batchSize,
		maxBytes: MAX_REQUEST_BYTES,
		fixedBytes: Buffer.byteLength(buildSendRequest(credentials, [])),
	};
	for (const request of planRequests(messages, limits)) {
		const result = await transport.call({
			url: credentials.smsBaseUrl + MESSAGE_PATH,
			body: buildSendRequest(credentials, request),
			contentType: XML_CONTENT_TYPE,
			parse: parseSendResponse,
			secrets,
			retry: 'deduplicated',
		});
		if (!result.ok) {
			const targets = request.flatMap((message) =>
				message.recipients.map((recipient) => ({
					itemIndex: message.itemIndex,
					fields: { phone: recipient.phone, clientMessageId: recipient.clientMessageId },
				})),
			);
			reportRequestFailure(this, results, result.failure, targets, {
				secrets,
				sends: true,
				extraDescription: [describeAlreadySent(sent.map(sentLine)), RETRY_IS_SAFE].filter((part) => part !== '').join('\n\n'),
			});
			continue;
		}
		for (const [messageIndex, message] of request.entries()) {
			for (const outcome of matchOutcomes(message, result.value[messageIndex])) {
				const shown = { ...outcome, text: redact(outcome.text) };
				if (shown.accepted) sent.push(shown);
				else refused.push({ outcome: shown, itemIndex: message.itemIndex });
				results[message.itemIndex].push({ json: recipientJson(shown), pairedItem: { item: message.itemIndex } });
			}
		}
	}

	if (refused.length > 0 && !continueOnFail) {
		const reasons = refused.map(({ outcome }) => `${outcome.phone}: ${outcome.text}`).join('; ');
		throw new NodeApiError(node, { message: reasons }, {
			message: `TargetSMS refused ${refused.length} of ${refused.length + sent.length} recipients (${reasons})`,
			description: describeAlreadySent(sent.map(sentLine)) || 'No recipient was accepted.',
			itemIndex: refused.length === 1 ? refused[0].itemIndex : undefined,
		});
	}
	return [results.flat()];
}

/**
 * Two items of one run with the same client id would be one message to the provider, which silently drops the
 * second: the later item is refused before anything is sent.
 */
function refuseRepeatedIds(
	context: IExecuteFunctions,
	results: ItemResults,
	read: Array<{ itemIndex: number; value: ReadItem }>,
): ItemMessage[] {
	const firstUse = new Map<string, number>();
	const messages: ItemMessage[] = [];
	for (const { itemIndex, value } of read) {
		const repeated = value.message.recipients.find((recipient) => firstUse.has(recipient.clientMessageId));
		if (repeated) {
			refuseItem(context, results, itemIndex, repeatedIdError(value.origin, repeated.phone, firstUse.get(repeated.clientMessageId)!));
			continue;
		}
		for (const recipient of value.message.recipients) firstUse.set(recipient.clientMessageId, itemIndex);
		messages.push(value.message);
	}
	return messages;
}

function repeatedIdError(origin: IdOrigin, phone: string, firstItem: number): InputError {
	const dropped = 'TargetSMS would silently drop this message as a repeat, so it was not sent';
	switch (origin.kind) {
		case 'clientMessageId':
			return new InputError('Client Message ID', `"${origin.value}" is also used by item ${firstItem} of this run: ${dropped}`);
		case 'deduplicationKey':
			return new InputError(
				'Deduplication Key',
				`"${origin.value}" with phone ${phone} is also used by item ${firstItem} of this run: ${dropped}. Give each message its own key (e.g. add "-reminder")`,
			);
		case 'derived':
			return new InputError('Phones', `${phone} got the same client_id_message as item ${firstItem}: ${dropped}`);
	}
}

function readItemMessage(
	read: ItemParameterReader,
	itemIndex: number,
	idSource: RunIdentity,
	derivedId: (itemIndex: number, recipient: string) => string,
	time: { inputTimezone: string; now: Date },
): ReadItem {
	const parameter = (name: string, fallback: unknown = '') => read(name, itemIndex, fallback);
	const channel = parameter('channel', 'sms');
	const smsUsed = channel !== 'viber';
	const viberUsed = channel !== 'sms';
	const options = parameter('options', {}) as IDataObject;
	const recipientTime = options.sendAtRecipientTime === true ? readRecipientTime(options, time.inputTimezone) : undefined;
	const content = checkMessageContent(
		{
			channel,
			smsSender: smsUsed ? readSender(read, 'smsSender', itemIndex) : undefined,
			smsText: smsUsed ? parameter('smsText') : undefined,
			viberSender: viberUsed ? parameter('viberSender') : undefined,
			viberText: viberUsed ? parameter('viberText') : undefined,
			...options,
			...(recipientTime ? { sendAt: undefined } : {}),
		},
		time,
	);
	const phones = parsePhoneList(parameter('phones'));
	const clientMessageId = checkNumericId(options.clientMessageId, 'Client Message ID');
	if (clientMessageId !== undefined && phones.length > 1) {
		throw new InputError(
			'Client Message ID',
			`is set, but the item has ${phones.length} phones; each recipient needs its own ID, so use one phone per item, or use Deduplication Key instead`,
		);
	}
	const key = (checkText(options.deduplicationKey, 'Deduplication Key') ?? '').trim();
	const origin: IdOrigin =
		clientMessageId !== undefined
			? { kind: 'clientMessageId', value: clientMessageId }
			: key !== ''
				? { kind: 'deduplicationKey', value: key }
				: { kind: 'derived' };
	const idFor = (phone: string): string => {
		switch (origin.kind) {
			case 'clientMessageId':
				return origin.value;
			case 'deduplicationKey':
				return deriveDeduplicatedId({ workflowId: idSource.workflowId, nodeName: idSource.nodeName, key, recipient: phone });
			case 'derived':
				return derivedId(itemIndex, phone);
		}
	};
	return {
		origin,
		message: { itemIndex, content, recipients: phones.map((phone) => ({ phone, clientMessageId: idFor(phone) })) },
		recipientTime,
	};
}

/** Send At Recipient Time: Send At is each recipient's wall clock, so a Timezone option contradicts it. */
function readRecipientTime(options: IDataObject, inputTimezone: string): WallClock {
	if (typeof options.timezone === 'string' && options.timezone.trim() !== '') {
		throw new InputError(
			'Timezone',
			'cannot be combined with Send At Recipient Time: Send At is then read on each recipient\'s own clock. Remove the Timezone option',
		);
	}
	return readWallClock(options.sendAt, inputTimezone);
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
			alreadySent: false,
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
		// An id the provider had sent before counts as sent: it is that earlier message.
		status: outcome.accepted ? (outcome.alreadySent ? 'send' : outcome.text) : 'refused',
		alreadySent: outcome.alreadySent,
	};
	if (!outcome.accepted) json.error = outcome.text;
	return json;
}

function nonZero(id: number | string | undefined): number | string | null {
	return id === undefined || id === 0 || id === '0' ? null : id;
}

function sentLine(outcome: RecipientOutcome): string {
	return (
		`${outcome.phone}: id_message ${String(outcome.messageId ?? '(not given)')}, client_id_message ${outcome.clientMessageId}` +
		(nonZero(outcome.smsId) !== null ? `, id_sms ${String(outcome.smsId)}` : '') +
		(nonZero(outcome.viberId) !== null ? `, id_viber ${String(outcome.viberId)}` : '') +
		(outcome.alreadySent ? ' (sent before)' : '')
	);
}
