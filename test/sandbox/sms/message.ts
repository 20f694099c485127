import { cascadeOrder } from '../status-model';
import { countSmsParts } from '../sms-parts';
import type { SandboxMessage, SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import type { BuildObject } from '../xml/document';
import type { XmlElement } from '../xml/element';
import { type Abonent, readAbonent } from './abonent';
import { type MessageContent, readMessage } from './message-content';
import type { SmsXmlEndpoint } from './xml-endpoint';

export const MESSAGE_PATH = '/xml/message.php';

/** count_message: parts in the first channel of the cascade (a Viber message is always one). */
function firstChannelParts(content: MessageContent): number {
	return cascadeOrder(content)[0] === 'viber' ? 1 : countSmsParts(content.textSms ?? '');
}

function acceptedRow(message: SandboxMessage): BuildObject {
	return {
		'@_id_message': String(message.idMessage),
		'@_client_id_message': message.clientIdMessage ?? '',
		'@_id_sms': String(message.idSms),
		'@_id_viber': String(message.idViber),
		'@_phone': message.phone,
		'@_count_message': String(message.parts),
		'#text': SandboxTexts.accepted,
	};
}

function refusedRow(abonent: Abonent, text: string): BuildObject {
	return {
		'@_client_id_message': abonent.clientIdMessage ?? '',
		'@_phone': abonent.phone,
		'#text': text,
	};
}

/** The row for a recipient whose client_id_message the account used before, as the store is set to answer. */
function repeatedRow(abonent: Abonent, original: SandboxMessage, store: SandboxStore): BuildObject {
	switch (store.repeatedClientIdAnswer) {
		case 'originalIds':
			return acceptedRow(original);
		case 'alreadySentText':
			return refusedRow(abonent, SandboxTexts.alreadySent);
		case 'alreadySentTextWithIds':
			return { ...acceptedRow(original), '#text': SandboxTexts.alreadySent };
	}
}

/**
 * One recipient, checked in this order: its own format; a client_id_message used before on the
 * account (answered as `setRepeatedClientIdAnswer` says, nothing stored); the stop list; then accepted.
 */
function sendToAbonent(
	abonent: Abonent,
	content: MessageContent,
	store: SandboxStore,
	requestIndex: number,
): BuildObject {
	if (abonent.formatError !== undefined) {
		return refusedRow(abonent, abonent.formatError);
	}
	const original =
		abonent.clientIdMessage === null ? undefined : store.findByClientId(abonent.clientIdMessage);
	if (original !== undefined) {
		return repeatedRow(abonent, original, store);
	}
	const refusal = store.refusalFor(abonent.phone);
	if (refusal !== undefined) {
		return refusedRow(abonent, refusal);
	}
	const accepted = store.accept({
		...content,
		phone: abonent.phone,
		clientIdMessage: abonent.clientIdMessage,
		parts: firstChannelParts(content),
		requestIndex,
	});
	return acceptedRow(accepted);
}

function sendMessage(element: XmlElement, store: SandboxStore, requestIndex: number): BuildObject {
	const reading = readMessage(element, store.clock.now());
	if (!reading.ok) {
		return { error: reading.error };
	}
	return {
		information: reading.abonents.map((abonent) =>
			sendToAbonent(readAbonent(abonent), reading.content, store, requestIndex),
		),
	};
}

/**
 * `POST /xml/message.php`: every `<message>` answered in its position, each recipient in its
 * position within the message. A request without messages is answered with an empty `<response>`.
 */
export function messageEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: ['request.message', 'request.message.abonent'],
		requestElements: { message: 'many' },
		respond: (request, origin) => {
			const messages = request.children('message');
			if (messages.length === 0) {
				return '';
			}
			return { message: messages.map((message) => sendMessage(message, store, origin.index)) };
		},
	};
}
