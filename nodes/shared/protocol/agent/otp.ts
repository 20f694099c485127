import { UnexpectedResponseError } from '../errors';
import { createResponseReader, providerId } from '../sms/reply';
import type { SmsApiLogin } from '../sms/types';
import { protocolText } from '../text';
import { attributeOf, buildXmlDocument, childElement } from '../xml';
import { agentSecurity } from './security';

export const OTP_PATH = '/password_generation/api.php';
export const OTP_CODE_PLACEHOLDER = '{код}';
export const OTP_DEFAULT_TEXT = 'Временный пароль: {код}';

/** Statuses the OTP document lists that mean no code reached the phone (so none is given), with their meaning. */
export const OTP_UNSENT_STATUSES: Readonly<Record<string, string>> = {
	not_valid_phone: 'the phone number is not valid',
	connection_error: 'TargetSMS could not reach its SMS server',
};

export interface OtpRequest {
	/** International digits; written with a leading `+` as the document shows. */
	phone: string;
	sender: string;
	codeLength: number;
	text: string;
}

export interface OtpResult {
	code: string;
	smsId: number | string | undefined;
	status: string;
}

export function buildOtpRequest(login: SmsApiLogin, request: OtpRequest): string {
	return buildXmlDocument('request', {
		security: agentSecurity(login),
		phone: '+' + protocolText('phone', request.phone, true),
		sender: protocolText('sender', request.sender, true),
		random_string_len: String(request.codeLength),
		// The provider's XML carries no raw line breaks (its SMS document); the same `\n` convention is assumed here.
		text: protocolText('text', request.text),
	});
}

const readOtp = createResponseReader([]);

/** `<response><success code=".." id_sms=".." status=".."/></response>`; `<error>` refuses. */
export function parseOtpResponse(body: string): OtpResult {
	const success = childElement(readOtp(body), 'success');
	if (!success) throw new UnexpectedResponseError('The reply has neither <success> nor <error>', body);
	const result = {
		code: attributeOf(success, 'code') ?? '',
		smsId: providerId(attributeOf(success, 'id_sms')),
		status: attributeOf(success, 'status') ?? '',
	};
	if (!Object.hasOwn(OTP_UNSENT_STATUSES, result.status) && !/^\d+$/.test(result.code)) {
		throw new UnexpectedResponseError('The reply reports a sent code but gives none', body);
	}
	return result;
}
