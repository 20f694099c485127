import { ProviderRefusalError } from '../errors';
import type { XmlNode } from '../xml';
import { childElement, createXmlReader, expectRoot, textOf } from '../xml';

/**
 * Reads a reply of the SMS/Viber API: root `<response>`; a non-empty top-level `<error>` refuses the request.
 */
export function createResponseReader(alwaysArray: readonly string[]): (body: string) => XmlNode {
	const read = createXmlReader(alwaysArray, 'response');
	return (body: string) => {
		const response = expectRoot(read(body), 'response', body);
		const error = childElement(response, 'error');
		if (error) {
			const text = textOf(error).trim();
			if (text !== '') throw new ProviderRefusalError(text);
		}
		return response;
	};
}

/** Provider ids are integers; kept as strings only if they would not survive as a JS number. */
export function providerId(value: string | undefined): number | string | undefined {
	if (value === undefined || value === '') return undefined;
	if (/^\d+$/.test(value)) {
		const asNumber = Number(value);
		return Number.isSafeInteger(asNumber) ? asNumber : value;
	}
	return value;
}
