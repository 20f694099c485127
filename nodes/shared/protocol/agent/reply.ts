import { ProviderRefusalError, UnexpectedResponseError } from '../errors';
import type { XmlNode } from '../xml';
import { childElement, createXmlReader, expectRoot, textOf } from '../xml';

/**
 * An XML reply of the email API: root `<request>` that always carries `<error>`; empty means success,
 * text means the request was refused.
 */
export function createEmailXmlReader(): (body: string) => XmlNode {
	const read = createXmlReader([], 'request');
	return (body: string) => {
		const root = expectRoot(read(body), 'request', body);
		const error = childElement(root, 'error');
		if (!error) throw new UnexpectedResponseError('The reply has no <error> element', body);
		const text = textOf(error).trim();
		if (text !== '') throw new ProviderRefusalError(text);
		return root;
	};
}

/** A JSON reply of the email API: an object whose `error` is "" on success, the reason otherwise. */
export function readEmailJson(body: string): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(body);
	} catch {
		value = undefined;
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new UnexpectedResponseError('The reply is not a JSON object', body);
	}
	const reply = value as Record<string, unknown>;
	if (!('error' in reply)) throw new UnexpectedResponseError('The reply has no "error" field', body);
	const error = typeof reply.error === 'string' ? reply.error.trim() : reply.error;
	if (error !== '' && error !== null && error !== undefined && error !== false) {
		throw new ProviderRefusalError(typeof error === 'string' ? error : JSON.stringify(error));
	}
	return reply;
}

export function jsonText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}
