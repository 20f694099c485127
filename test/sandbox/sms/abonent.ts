import { SandboxTexts } from '../texts';
import type { XmlElement } from '../xml/element';

/** One `<abonent phone=".." client_id_message=".."/>`, as given. */
export interface Abonent {
	phone: string;
	/** null when the attribute is absent or empty. */
	clientIdMessage: string | null;
	/** Why the provider refuses this recipient before looking anything up, if it does. */
	formatError?: string;
}

const KNOWN_ATTRIBUTES: ReadonlySet<string> = new Set(['phone', 'client_id_message']);
const INTERNATIONAL_PHONE = /^[0-9]{10,15}$/;
const DECIMAL_NUMBER = /^[0-9]+$/;

function formatErrorOf(attributes: Map<string, string>, phone: string, clientIdMessage: string | null): string | undefined {
	const unknown = [...attributes.keys()].find((name) => !KNOWN_ATTRIBUTES.has(name));
	if (unknown !== undefined) {
		return SandboxTexts.unknownAbonentAttribute(unknown);
	}
	if (!INTERNATIONAL_PHONE.test(phone)) {
		return SandboxTexts.wrongPhone;
	}
	if (clientIdMessage !== null && !DECIMAL_NUMBER.test(clientIdMessage)) {
		return SandboxTexts.wrongClientIdMessage;
	}
	return undefined;
}

export function readAbonent(element: XmlElement): Abonent {
	const attributes = element.attributes();
	const phone = attributes.get('phone') ?? '';
	const clientIdMessage = attributes.get('client_id_message') || null;
	return { phone, clientIdMessage, formatError: formatErrorOf(attributes, phone, clientIdMessage) };
}
