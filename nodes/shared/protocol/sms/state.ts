import { protocolText } from '../text';
import { attributeOf, buildXmlDocument, childElements, textOf } from '../xml';
import { createResponseReader } from './reply';
import { securityElement } from './security';
import type { MessageState, SmsApiLogin } from './types';

export const STATE_MESSAGE_PATH = '/xml/state_message.php';

/** `POST xml/state_message.php`; with no ids it only checks the login (used by the credential test). */
export function buildMessageStateRequest(login: SmsApiLogin, messageIds: readonly string[]): string {
	return buildXmlDocument('request', {
		security: securityElement(login),
		state: { id_message: messageIds.map((id) => protocolText('id_message', id, true)) },
	});
}

const readStateResponse = createResponseReader(['state']);

export function parseMessageStateResponse(body: string): MessageState[] {
	return childElements(readStateResponse(body), 'state').map((state) => ({
		id: attributeOf(state, 'id_message') ?? '',
		status: textOf(state).trim(),
		changedAt: attributeOf(state, 'time_change_state') ?? '',
		smsStatus: attributeOf(state, 'state_sms') ?? '',
		viberStatus: attributeOf(state, 'state_viber') ?? '',
		smsParts: attributeOf(state, 'num_parts_sms') ?? '',
		smsPrice: attributeOf(state, 'price_sms') ?? '',
		viberPrice: attributeOf(state, 'price_viber') ?? '',
	}));
}
