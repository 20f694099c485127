import { EMAIL2SMS_DEFAULT_GATEWAY, EMAIL2SMS_PASSWORD_MAX_LENGTH } from '../protocol/email2sms';
import { findControlCharacter } from '../protocol/text';
import { InputError } from './input-error';
import { checkWindows1251 } from './windows-1251';

export const EMAIL2SMS_CREDENTIAL = 'targetSmsEmail2SmsApi';

/** The "TargetSMS Email2SMS" credential, checked: what the SMTP transport and the template builder need. */
export interface Email2SmsCredentials {
	host: string;
	port: number;
	secure: boolean;
	user: string;
	password: string;
	/** The return address registered with TargetSMS: the email's From and envelope sender. */
	from: string;
	smsLogin: string;
	smsPassword: string;
	gatewayAddress: string;
}

// A bare addr-spec: no display name, brackets, spaces, commas or quotes that a header could be built from.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;

/**
 * Reads the credential and refuses values that cannot work, naming the field. Passwords are never quoted:
 * a refusal of one names neither its characters nor their positions.
 */
export function readEmail2SmsCredentials(data: Record<string, unknown>): Email2SmsCredentials {
	return {
		host: requiredLine(data.host, 'SMTP Host').trim(),
		port: port(data.port),
		secure: flag(data.secure, 'SSL/TLS', true),
		user: optionalLine(data.user, 'SMTP User'),
		password: secret(data.password, 'SMTP Password', false),
		from: address(data.from, 'From Address'),
		smsLogin: checkWindows1251(requiredLine(data.smsLogin, 'SMS Login'), 'SMS Login'),
		smsPassword: smsPassword(data.smsPassword),
		gatewayAddress: address(data.gatewayAddress ?? EMAIL2SMS_DEFAULT_GATEWAY, 'Gateway Address'),
	};
}

function text(raw: unknown, field: string): string {
	if (raw === undefined || raw === null) return '';
	if (typeof raw === 'string') return raw;
	if (typeof raw === 'number') return String(raw);
	throw new InputError(field, `expected text, got ${typeof raw}`);
}

function optionalLine(raw: unknown, field: string): string {
	const value = text(raw, field);
	const forbidden = findControlCharacter(value);
	if (forbidden) {
		throw new InputError(field, `has a character ${forbidden.codePoint} at position ${forbidden.position}; it must be a single line`);
	}
	return value;
}

function requiredLine(raw: unknown, field: string): string {
	const value = optionalLine(raw, field);
	if (value.trim() === '') throw new InputError(field, 'is required');
	return value;
}

function secret(raw: unknown, field: string, required: boolean): string {
	const value = text(raw, field);
	if (required && value === '') throw new InputError(field, 'is required');
	if (findControlCharacter(value)) throw new InputError(field, 'has a line break or another control character');
	return value;
}

function smsPassword(raw: unknown): string {
	const field = 'SMS Password';
	const value = checkWindows1251(secret(raw, field, true), field, { secret: true });
	const length = [...value].length;
	if (length > EMAIL2SMS_PASSWORD_MAX_LENGTH) {
		throw new InputError(
			field,
			`is ${length} characters long; Email2SMS accepts a password of at most ${EMAIL2SMS_PASSWORD_MAX_LENGTH} characters (ask TargetSMS for a shorter one)`,
		);
	}
	return value;
}

function address(raw: unknown, field: string): string {
	const value = requiredLine(raw, field).trim();
	if (!ADDRESS.test(value)) throw new InputError(field, `"${value}" is not a plain email address such as name@example.ru`);
	return value;
}

function port(raw: unknown): number {
	const value = raw === undefined || raw === null || raw === '' ? 465 : Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > 65535) {
		throw new InputError('SMTP Port', `must be a whole number from 1 to 65535, got "${String(raw)}"`);
	}
	return value;
}

function flag(raw: unknown, field: string, fallback: boolean): boolean {
	if (raw === undefined || raw === null || raw === '') return fallback;
	if (typeof raw === 'boolean') return raw;
	if (raw === 'true') return true;
	if (raw === 'false') return false;
	throw new InputError(field, `must be true or false, got "${String(raw)}"`);
}
