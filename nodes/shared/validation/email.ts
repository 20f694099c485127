import { InputError } from './input-error';
import { checkText } from './text';

// A practical address check: a dot-separated local part, a domain of dot-separated labels ending in a letter-only
// top-level label, no spaces, brackets or quotes. Display names ("Shop <a@b.ru>") are not what the provider's
// `to`/`from` fields take.
const LOCAL_ATOM = '[^\\s@<>()[\\]\\\\,;:".]+';
const DOMAIN_LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
const ADDRESS = new RegExp(`^${LOCAL_ATOM}(?:\\.${LOCAL_ATOM})*@(?:${DOMAIN_LABEL}\\.)+\\p{L}{2,}$`, 'u');

export function checkEmailAddress(raw: unknown, field: string): string {
	const text = checkText(raw, field, { required: true, singleLine: true })!.trim();
	if (!ADDRESS.test(text) || text.length > 254) {
		throw new InputError(field, `"${text}" is not a valid email address (expected one address like name@example.ru)`);
	}
	return text;
}

export function checkFormat(raw: unknown): 'json' | 'xml' {
	if (raw === 'json' || raw === 'xml') return raw;
	throw new InputError('Format', `must be json or xml, got "${String(raw)}"`);
}
