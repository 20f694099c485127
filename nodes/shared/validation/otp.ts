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

export function checkSecret(raw: unknown, why: string): string {
	const secret = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
	if (secret === '') throw new InputError('Secret', `is required ${why}`);
	return secret;
}

export function checkMaxAgeMinutes(raw: unknown): number | undefined {
	return checkInteger(raw, 'Max Age (Minutes)', 1, 525_600);
}
