import { InputError } from './input-error';
import { checkText } from './text';

// A practical address check: one local part, one domain with a dot, no spaces, brackets or quotes. Display
// names ("Shop <a@b.ru>") are not what the provider's `to`/`from` fields take.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;

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
