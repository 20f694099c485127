import { protocolText } from '../text';
import { attributeOf, buildXmlDocument, childElements, textOf } from '../xml';
import { createResponseReader } from './reply';
import { securityElement } from './security';
import type { SmsApiLogin } from './types';

/** The "state" function for `id_sms` (OTP and SMS ids): known from public client code, not from a document. */
export const STATE_SMS_PATH = '/xml/state.php';

export interface SmsState {
	id: string;
	status: string;
	changedAt: string;
}

export function buildSmsStateRequest(login: SmsApiLogin, smsIds: readonly string[]): string {
	return buildXmlDocument('request', {
		security: securityElement(login),
		get_state: { id_sms: smsIds.map((id) => protocolText('id_sms', id, true)) },
	});
}

const readStateResponse = createResponseReader(['state']);

export function parseSmsStateResponse(body: string): SmsState[] {
	return childElements(readStateResponse(body), 'state').map((state) => ({
		id: attributeOf(state, 'id_sms') ?? '',
		status: textOf(state).trim(),
		changedAt: attributeOf(state, 'time') ?? '',
	}));
}
