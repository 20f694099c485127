import {
	describeForbiddenCharacter,
	findControlCharacter,
	findXmlForbiddenCharacter,
} from '../protocol/text';
import { InputError } from './input-error';

export interface TextRules {
	required?: boolean;
	/** In characters (code points), a line break counting as one. */
	maxLength?: number;
	/** Senders, URLs, ids: no line breaks, tabs or other control characters. */
	singleLine?: boolean;
}

/** Checks a user value against the field's rules and returns it as the text that will be sent. */
export function checkText(raw: unknown, field: string, rules: TextRules = {}): string | undefined {
	const text = asText(raw, field);
	if (text === undefined || text === '') {
		if (rules.required) throw new InputError(field, 'is required');
		return undefined;
	}
	if (rules.required && text.trim() === '') throw new InputError(field, 'must not be blank');
	const forbidden = rules.singleLine ? findControlCharacter(text) : findXmlForbiddenCharacter(text);
	if (forbidden) {
		throw new InputError(
			field,
			`has a ${describeForbiddenCharacter(forbidden)} that cannot be sent${rules.singleLine ? ' (it must be a single line of printable text)' : ''}`,
		);
	}
	if (rules.maxLength !== undefined) {
		const length = [...text.replace(/\r\n/g, '\n')].length;
		if (length > rules.maxLength) {
			throw new InputError(field, `is ${length} characters long; the provider accepts at most ${rules.maxLength}`);
		}
	}
	return text;
}

export function checkUrl(raw: unknown, field: string): string | undefined {
	const text = checkText(raw, field, { singleLine: true });
	if (text === undefined) return undefined;
	if (!URL.canParse(text.trim())) throw new InputError(field, `"${text}" is not a valid URL`);
	const url = new URL(text.trim());
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InputError(field, `"${text}" must be an http(s) URL`);
	}
	return text.trim();
}

export function checkInteger(raw: unknown, field: string, min: number, max: number): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = String(raw).trim();
	const value = typeof raw === 'number' ? raw : /^-?\d+$/.test(text) ? Number(text) : NaN;
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new InputError(field, `must be a whole number from ${min} to ${max}, got "${String(raw)}"`);
	}
	return value;
}

function asText(raw: unknown, field: string): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw === 'string') return raw;
	if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
	throw new InputError(field, `expected text, got ${Array.isArray(raw) ? 'a list' : typeof raw}`);
}
