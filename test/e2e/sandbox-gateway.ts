/**
 * The sandbox's SMS gateway called over HTTP from an expectation, as another system of the same account would call it:
 * to put SMS on its schedule before a workflow runs, and to read its scheduled list and message states afterwards.
 * The requests and replies go through the package's own protocol builders and parsers.
 */
import { buildSendRequest, MESSAGE_PATH, parseSendResponse } from '../../nodes/shared/protocol/sms/message';
import {
	buildListScheduledRequest,
	LIST_SCHEDULED_PATH,
	parseListScheduledResponse,
	type ScheduledSms,
} from '../../nodes/shared/protocol/sms/account';
import { buildMessageStateRequest, parseMessageStateResponse, STATE_MESSAGE_PATH } from '../../nodes/shared/protocol/sms/state';
import type { MessageState } from '../../nodes/shared/protocol/sms/types';
import { XML_CONTENT_TYPE } from '../../nodes/shared/protocol/xml';
import { TargetSmsSandbox } from '../sandbox/server';

const LOGIN = { login: TargetSmsSandbox.DEFAULT_LOGIN, password: TargetSmsSandbox.DEFAULT_PASSWORD };

async function post(sandboxUrl: string, path: string, body: string): Promise<string> {
	const response = await fetch(sandboxUrl + path, { method: 'POST', headers: { 'Content-Type': XML_CONTENT_TYPE }, body });
	const text = await response.text();
	if (!response.ok) throw new Error(`${path} answered HTTP ${response.status}: ${text}`);
	return text;
}

export interface ScheduledDraft {
	phone: string;
	sender: string;
	text: string;
	deliveryName: string;
	/** `YYYY-MM-DD hh:mm`, Moscow time, ahead of the sandbox's clock. */
	sendTime: string;
}

/** Ids the drafts go out with: far from the ones n8n derives, and not repeated within one test process. */
let nextClientId = 9_000_000_001;

/** Sends one SMS with a `time_send` ahead through `message.php`; returns its ids. */
export async function scheduleSms(sandboxUrl: string, draft: ScheduledDraft): Promise<{ messageId: number; smsId: number }> {
	const reply = await post(
		sandboxUrl,
		MESSAGE_PATH,
		buildSendRequest(LOGIN, [
			{
				content: {
					viberOrder: 0,
					smsOrder: 1,
					deliveryName: draft.deliveryName,
					sendTime: draft.sendTime,
					smsSender: draft.sender,
					smsText: draft.text,
				},
				recipients: [{ phone: draft.phone, clientMessageId: String(nextClientId++) }],
			},
		]),
	);
	const [row] = parseSendResponse(reply).flatMap((message) => message.recipients);
	if (!row?.accepted) throw new Error(`The sandbox did not schedule the SMS to ${draft.phone}: ${reply}`);
	return { messageId: Number(row.messageId), smsId: Number(row.smsId) };
}

/** Every SMS the sandbox holds for a later time, all pages of `list_scheduled.php`. */
export async function listScheduled(sandboxUrl: string): Promise<ScheduledSms[]> {
	const rows: ScheduledSms[] = [];
	for (let page = 1; ; page++) {
		const reply = parseListScheduledResponse(await post(sandboxUrl, LIST_SCHEDULED_PATH, buildListScheduledRequest(LOGIN, page)));
		rows.push(...reply.scheduled);
		if (page >= reply.pages || reply.scheduled.length === 0) return rows;
	}
}

/** The states of messages by `id_message`, from `state_message.php`. */
export async function messageStates(sandboxUrl: string, messageIds: readonly number[]): Promise<MessageState[]> {
	return parseMessageStateResponse(
		await post(sandboxUrl, STATE_MESSAGE_PATH, buildMessageStateRequest(LOGIN, messageIds.map(String))),
	);
}
