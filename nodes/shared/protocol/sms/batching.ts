import type { MessageContent, OutgoingMessage, Recipient } from './types';

export interface ItemMessage {
	itemIndex: number;
	content: MessageContent;
	recipients: Recipient[];
}

/** A `<message>` of a planned request, remembering the input item it came from. */
export interface PlannedMessage extends OutgoingMessage {
	itemIndex: number;
}

export interface BatchLimits {
	/** `<abonent>`s per request. */
	maxRecipients: number;
	/** A request is closed before its body would pass this size. */
	maxBytes: number;
	/** The size of the request without any message (declaration, credentials); a generous default if not given. */
	fixedBytes?: number;
}

export const MAX_REQUEST_BYTES = 1_000_000;

const REQUEST_OVERHEAD_BYTES = 512;
const ABONENT_OVERHEAD_BYTES = '<abonent phone="" client_id_message=""/>'.length;

/**
 * Packs the items' messages into as few requests as the limits allow, in item order. An item whose recipients do
 * not all fit continues in the next request as another `<message>` with the same content.
 */
export function planRequests(items: readonly ItemMessage[], limits: BatchLimits): PlannedMessage[][] {
	const maxRecipients = Math.max(1, Math.floor(limits.maxRecipients));
	const fixedBytes = limits.fixedBytes ?? REQUEST_OVERHEAD_BYTES;
	const requests: PlannedMessage[][] = [];
	let current: PlannedMessage[] = [];
	let recipientCount = 0;
	let byteCount = fixedBytes;
	const closeRequest = () => {
		if (current.length > 0) requests.push(current);
		current = [];
		recipientCount = 0;
		byteCount = fixedBytes;
	};

	for (const item of items) {
		const contentBytes = estimateContentBytes(item.content);
		let next = 0;
		while (next < item.recipients.length) {
			const firstRecipientBytes = estimateRecipientBytes(item.recipients[next]);
			const full =
				recipientCount >= maxRecipients ||
				(current.length > 0 && byteCount + contentBytes + firstRecipientBytes > limits.maxBytes);
			if (full) closeRequest();
			const message: PlannedMessage = { itemIndex: item.itemIndex, content: item.content, recipients: [] };
			current.push(message);
			byteCount += contentBytes;
			while (next < item.recipients.length && recipientCount < maxRecipients) {
				const recipientBytes = estimateRecipientBytes(item.recipients[next]);
				if (message.recipients.length > 0 && byteCount + recipientBytes > limits.maxBytes) break;
				message.recipients.push(item.recipients[next]);
				byteCount += recipientBytes;
				recipientCount++;
				next++;
			}
			if (next < item.recipients.length) closeRequest();
		}
	}
	closeRequest();
	return requests;
}

/** An upper bound of the escaped UTF-8 size of a `<message>` without its recipients. */
export function estimateContentBytes(content: MessageContent): number {
	let bytes = '<message></message>'.length;
	for (const [name, value] of Object.entries(content)) {
		if (value === undefined || value === '') continue;
		bytes += 2 * (name.length + 2) + 5 + escapedBytes(String(value));
	}
	return bytes;
}

function estimateRecipientBytes(recipient: Recipient): number {
	return ABONENT_OVERHEAD_BYTES + recipient.phone.length + recipient.clientMessageId.length;
}

function escapedBytes(text: string): number {
	let extra = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === 0x26) extra += 4;
		else if (code === 0x3c || code === 0x3e) extra += 3;
		else if (code === 0x22 || code === 0x27) extra += 5;
		else if (code === 0x0a || code === 0x0d) extra += 1;
	}
	return Buffer.byteLength(text, 'utf8') + extra;
}
