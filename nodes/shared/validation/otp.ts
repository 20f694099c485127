import { OTP_CODE_PLACEHOLDER } from '../protocol/agent/otp';
import { InputError } from './input-error';
import { checkInteger, checkText } from './text';

/** The range the provider is assumed to accept (its document gives only the default, 4). */
export const MIN_CODE_LENGTH = 4;
export const MAX_CODE_LENGTH = 8;

export function checkCodeLength(raw: unknown): number {
	return checkInteger(raw, 'Code Length', MIN_CODE_LENGTH, MAX_CODE_LENGTH) ?? MIN_CODE_LENGTH;
}

export function checkOtpText(raw: unknown): string {
	const text = checkText(raw, 'Text', { required: true })!;
	if (!text.includes(OTP_CODE_PLACEHOLDER)) {
		throw new InputError('Text', `must contain ${OTP_CODE_PLACEHOLDER}, where the code goes`);
	}
	return text;
}

/** The key of the code hashes: the node's Secret option where set, else the credential's OTP Secret. */
export function otpSecretOf(option: unknown, credentialSecret: string, why: string): string {
	const own = typeof option === 'string' ? option : typeof option === 'number' ? String(option) : '';
	if (own !== '') return own;
	if (credentialSecret !== '') return credentialSecret;
	throw new InputError('Secret', `is required ${why}: set OTP Secret in the TargetSMS API credential (or the Secret option)`);
}

export function checkMaxAgeMinutes(raw: unknown): number | undefined {
	return checkInteger(raw, 'Max Age (Minutes)', 1, 525_600);
}
