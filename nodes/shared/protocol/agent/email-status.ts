import { UnexpectedResponseError } from '../errors';
import type { SmsApiLogin } from '../sms/types';
import { protocolText } from '../text';
import { attributeOf, buildXmlDocument, childElement } from '../xml';
import type { EmailFormat } from './email';
import { createEmailXmlReader, jsonText, readEmailJson } from './reply';
import { agentSecurity } from './security';

/** The provider's email status fields as it sends them (strings; `delivered` null/"" while unknown). */
export interface EmailStatusRecord {
	id: string;
	creationDate: string;
	open: string;
	openDate: string;
	unsubscribe: string;
	unsubscribeDate: string;
	spam: string;
	spamDate: string;
	delivered: string | null;
	deliveredDate: string;
}

const FIELDS: Array<[keyof EmailStatusRecord, string]> = [
	['id', 'id'],
	['creationDate', 'creation_date'],
	['open', 'open'],
	['openDate', 'open_date'],
	['unsubscribe', 'unsubscribe'],
	['unsubscribeDate', 'unsubscribe_date'],
	['spam', 'spam'],
	['spamDate', 'spam_date'],
	['delivered', 'delivered'],
	['deliveredDate', 'delivered_date'],
];

/** `?func=status`: one `id_message` (the send reply's external_message_id) per request. */
export function buildEmailStatusRequest(format: EmailFormat, login: SmsApiLogin, id: string): string {
	const externalMessageId = protocolText('id_message', id, true);
	if (format === 'json') return JSON.stringify({ security: agentSecurity(login), id_message: externalMessageId });
	return buildXmlDocument('request', { security: agentSecurity(login), id_message: externalMessageId });
}

const readXml = createEmailXmlReader();

export function parseEmailStatusResponse(format: EmailFormat, body: string): EmailStatusRecord {
	const read = format === 'json' ? jsonFields(body) : xmlFields(body);
	const record = {} as Record<keyof EmailStatusRecord, string | null>;
	for (const [key, wire] of FIELDS) {
		// The JSON form writes "not yet" as null (the document shows it for `delivered`); any field may be so.
		const value = read(wire) ?? null;
		record[key] = value === null && key !== 'delivered' ? '' : value;
	}
	if (record.delivered === '') record.delivered = null;
	if (record.id === '') throw new UnexpectedResponseError('The status reply names no message id', body);
	return record as EmailStatusRecord;
}

function jsonFields(body: string): (name: string) => string | null | undefined {
	const data = readEmailJson(body).data;
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new UnexpectedResponseError('The reply has no "data" object', body);
	}
	const fields = data as Record<string, unknown>;
	return (name) => {
		const value = fields[name];
		if (value === null) return null;
		if (typeof value === 'boolean') return value ? '1' : '0';
		return jsonText(value);
	};
}

function xmlFields(body: string): (name: string) => string | undefined {
	const success = childElement(readXml(body), 'success');
	if (!success) throw new UnexpectedResponseError('The reply has no <success> element', body);
	return (name) => attributeOf(success, name);
}
