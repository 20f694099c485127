import { UnexpectedResponseError } from '../errors';
import { providerId } from '../sms/reply';
import type { SmsApiLogin } from '../sms/types';
import { protocolText } from '../text';
import { ATTRIBUTE_PREFIX, attributeOf, buildXmlDocument, childElement, XML_CONTENT_TYPE } from '../xml';
import { createEmailXmlReader, jsonText, readEmailJson } from './reply';
import { agentSecurity } from './security';

export const EMAIL_PATH = '/clients/api.php';
export const EMAIL_STATUS_PATH = '/clients/api.php?func=status';
export const JSON_CONTENT_TYPE = 'application/json';

export type EmailFormat = 'json' | 'xml';

export interface OutgoingEmail {
	from: string;
	to: string;
	subject: string;
	/** HTML or plain text; sent as base64 of its UTF-8 bytes. */
	body: string;
	/** `id_message`: digits. */
	messageId: string;
}

export interface EmailAccepted {
	messageId: string;
	externalMessageId: number | string;
}

/** The email send request, one letter, in the chosen format. */
export function buildEmailRequest(format: EmailFormat, login: SmsApiLogin, outgoing: OutgoingEmail): string {
	const letter = Buffer.from(outgoing.body, 'utf8').toString('base64');
	const email = {
		from: protocolText('from', outgoing.from, true),
		to: protocolText('to', outgoing.to, true),
		subject: protocolText('subject', outgoing.subject, true),
		messageId: protocolText('id_message', outgoing.messageId, true),
	};
	if (format === 'json') {
		return JSON.stringify({
			security: agentSecurity(login),
			from: email.from,
			email: { letter, id_message: email.messageId, to: email.to, subject: email.subject },
		});
	}
	return buildXmlDocument('request', {
		security: agentSecurity(login),
		from: email.from,
		email: {
			[ATTRIBUTE_PREFIX + 'to']: email.to,
			[ATTRIBUTE_PREFIX + 'subject']: email.subject,
			[ATTRIBUTE_PREFIX + 'id_message']: email.messageId,
			letter,
		},
	});
}

const readXml = createEmailXmlReader();

export function parseEmailResponse(format: EmailFormat, body: string): EmailAccepted {
	let messageId: string | undefined;
	let externalId: string | undefined;
	if (format === 'json') {
		const reply = readEmailJson(body);
		messageId = jsonText(reply.message_id);
		externalId = jsonText(reply.external_message_id);
	} else {
		const success = childElement(readXml(body), 'success');
		messageId = success && attributeOf(success, 'message_id');
		externalId = success && attributeOf(success, 'external_message_id');
	}
	const externalMessageId = providerId(externalId);
	if (externalMessageId === undefined) {
		throw new UnexpectedResponseError('The reply confirms no external_message_id', body);
	}
	return { messageId: messageId ?? '', externalMessageId };
}

export function agentContentType(format: EmailFormat): string {
	return format === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE;
}
