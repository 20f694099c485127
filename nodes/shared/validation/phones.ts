import { InputError } from './input-error';

const PHONE_LIST_SEPARATOR = /[,;\r\n]+/;
const PHONE_FORMATTING = /[\s()\-.\u00A0]/g;

/**
 * International digits from what users type: `+7 (900) 123-45-67` → `79001234567`.
 * Without a leading `+`, Russian habits are honoured: `8…` (11 digits) → `7…`, a 10-digit `9…` gets `7` in front.
 */
export function normalisePhone(raw: string, field = 'Phones'): string {
	const trimmed = raw.trim();
	const international = trimmed.startsWith('+');
	const digits = (international ? trimmed.slice(1) : trimmed).replace(PHONE_FORMATTING, '');
	if (!/^\d+$/.test(digits)) {
		throw new InputError(field, `"${printable(trimmed)}" is not a phone number (only digits, spaces, brackets, dashes and a leading + are allowed)`);
	}
	let normalised = digits;
	if (!international) {
		if (digits.length === 11 && digits.startsWith('8')) normalised = '7' + digits.slice(1);
		else if (digits.length === 10 && digits.startsWith('9')) normalised = '7' + digits;
	}
	if (normalised.length < 10 || normalised.length > 15) {
		throw new InputError(field, `"${printable(trimmed)}" must have 10 to 15 digits in international form, e.g. +7 900 123-45-67`);
	}
	return normalised;
}

/** Phones separated by commas, semicolons or line breaks (spaces belong to a number's formatting). Duplicates collapse. */
export function parsePhoneList(raw: unknown, field = 'Phones'): string[] {
	// One phone in a string, the common case of an item per recipient: the same result without the list's steps.
	if (typeof raw === 'string' && !PHONE_LIST_SEPARATOR.test(raw) && raw.trim() !== '') return [normalisePhone(raw, field)];
	const entries = listEntries(raw, field)
		.flatMap((entry) => entry.split(PHONE_LIST_SEPARATOR))
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	if (entries.length === 0) throw new InputError(field, 'at least one phone number is required');
	return [...new Set(entries.map((entry) => normalisePhone(entry, field)))];
}

function listEntries(raw: unknown, field: string): string[] {
	if (Array.isArray(raw)) return raw.flatMap((entry) => listEntries(entry, field));
	if (typeof raw === 'number' && Number.isSafeInteger(raw)) return [String(raw)];
	if (typeof raw === 'string') return [raw];
	if (raw === undefined || raw === null) return [];
	throw new InputError(field, `expected text or a list of phone numbers, got ${typeof raw}`);
}

function printable(value: string): string {
	const shown = value.length > 40 ? value.slice(0, 40) + '…' : value;
	// eslint-disable-next-line no-control-regex -- control characters are shown escaped in the error
	return shown.replace(/[\u0000-\u001F\u007F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
