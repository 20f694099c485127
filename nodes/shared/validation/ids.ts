import { InputError } from './input-error';

const ID_SEPARATOR = /[\s,;]+/;
const PROVIDER_ID = /^\d{1,20}$/;

/** Ids separated by commas, semicolons, spaces or line breaks; each must be a number. */
export function parseIdList(raw: unknown, field = 'IDs'): string[] {
	const ids = entries(raw, field)
		.flatMap((entry) => entry.split(ID_SEPARATOR))
		.filter((entry) => entry !== '');
	if (ids.length === 0) throw new InputError(field, 'at least one ID is required');
	for (const id of ids) {
		if (!PROVIDER_ID.test(id)) throw new InputError(field, `"${id.slice(0, 40)}" is not an ID (IDs are numbers)`);
	}
	return ids;
}

/** A user-given id for the provider's `id_message`/`client_id_message`: digits only. */
export function checkNumericId(raw: unknown, field: string): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
	if (text === undefined || !PROVIDER_ID.test(text)) {
		throw new InputError(field, `must be a number (digits only), got "${String(raw).slice(0, 40)}"`);
	}
	return text;
}

function entries(raw: unknown, field: string): string[] {
	if (Array.isArray(raw)) return raw.flatMap((entry) => entries(entry, field));
	if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return [String(raw)];
	if (typeof raw === 'string') return [raw];
	if (raw === undefined || raw === null) return [];
	throw new InputError(field, `expected text or a list of IDs, got ${typeof raw}`);
}
