import { protocolText } from '../text';
import type { XmlNode } from '../xml';
import { attributeKey, attributeOf, buildXmlDocument, childElements, textOf } from '../xml';
import { createResponseReader, providerId } from './reply';
import { securityElement } from './security';
import type {
	MessageContent,
	MessageOutcome,
	OutgoingMessage,
	Recipient,
	RecipientOutcome,
	SmsApiLogin,
} from './types';

export const MESSAGE_PATH = '/xml/message.php';

/** `POST xml/message.php`: many `<message>`s, each to many `<abonent>`s. */
export function buildSendRequest(login: SmsApiLogin, messages: OutgoingMessage[]): string {
	return buildXmlDocument('request', {
		security: securityElement(login),
		message: messages.map(messageElement),
	});
}

function messageElement({ content, recipients }: OutgoingMessage): XmlNode {
	const element = contentElements(content);
	element.abonent = recipients.map(abonentElement);
	return element;
}

/** The child elements of a `<message>` other than its recipients, in the document's order. */
export function contentElements(content: MessageContent): XmlNode {
	const element: XmlNode = {};
	const put = (name: string, value: string | number | boolean | undefined) => {
		if (value === undefined || value === '') return;
		const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
		element[name] = dataText(name, text);
	};
	put('send_viber', content.viberOrder);
	put('send_sms', content.smsOrder);
	put('name_delivery', content.deliveryName);
	put('time_send', content.sendTime);
	if (content.viberOrder > 0) {
		put('sender_viber', content.viberSender);
		put('text_viber', content.viberText);
		put('button_text', content.buttonText);
		put('button_url', content.buttonUrl);
		put('image_url', content.imageUrl);
		put('validity_period_viber', content.viberValidityMinutes);
		put('finale_viber_read', content.viberReadIsFinal);
	}
	if (content.smsOrder > 0) {
		put('sender_sms', content.smsSender);
		put('text_sms', content.smsText);
	}
	return element;
}

const PHONE_ATTRIBUTE = attributeKey('phone');
const CLIENT_ID_ATTRIBUTE = attributeKey('client_id_message');

function abonentElement({ phone, clientMessageId }: Recipient): XmlNode {
	return {
		[PHONE_ATTRIBUTE]: dataText('phone', phone),
		[CLIENT_ID_ATTRIBUTE]: dataText('client_id_message', clientMessageId),
	};
}

const SINGLE_LINE_FIELDS = new Set(['phone', 'client_id_message', 'sender_sms', 'sender_viber', 'button_url', 'image_url', 'time_send']);

/** Line breaks in texts become `\n` as the document demands. */
function dataText(field: string, value: string): string {
	return protocolText(field, value, SINGLE_LINE_FIELDS.has(field));
}

const readSendResponse = createResponseReader(['message', 'information', 'error']);

/** The reply's `<message>`s in request order, each with its `<information>` rows in `<abonent>` order. */
export function parseSendResponse(body: string): MessageOutcome[] {
	const response = readSendResponse(body);
	return childElements(response, 'message').map((message) => {
		const errors = childElements(message, 'error')
			.map((error) => textOf(error).trim())
			.filter((text) => text !== '');
		return {
			error: errors.length > 0 ? errors.join('; ') : undefined,
			recipients: childElements(message, 'information').map(recipientOutcome),
		};
	});
}

/**
 * The provider's answer to a client_id_message it already has, in one of the platform reference's two readings (the
 * other gives the original ids back, which reads as a first acceptance): the message was sent before, not refused.
 */
export const ALREADY_SENT_TEXT = 'Данное сообщение уже было отправлено.';

const ALREADY_SENT_WORDS = ALREADY_SENT_TEXT.slice(0, -1).toLowerCase();

function isAlreadySentText(text: string): boolean {
	return text.length >= ALREADY_SENT_WORDS.length && text.replace(/[.\s]+$/u, '').toLowerCase() === ALREADY_SENT_WORDS;
}

function recipientOutcome(information: XmlNode): RecipientOutcome {
	const messageId = providerId(attributeOf(information, 'id_message'));
	const parts = attributeOf(information, 'count_message');
	const text = textOf(information).trim();
	const alreadySent = isAlreadySentText(text);
	return {
		phone: attributeOf(information, 'phone') ?? '',
		clientMessageId: attributeOf(information, 'client_id_message') ?? '',
		messageId,
		smsId: providerId(attributeOf(information, 'id_sms')),
		viberId: providerId(attributeOf(information, 'id_viber')),
		parts: parts !== undefined && /^\d+$/.test(parts) ? Number(parts) : undefined,
		text,
		accepted: alreadySent || (messageId !== undefined && messageId !== 0),
		alreadySent,
	};
}
