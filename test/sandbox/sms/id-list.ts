import { SandboxTexts } from '../texts';
import type { XmlElement } from '../xml/element';
import { RequestRefusal } from '../http/refusal';

const DECIMAL_NUMBER = /^[0-9]+$/;

/**
 * The ids a status request asks for, in order: `<container><idElement>digits</idElement>…</container>`.
 * No container means no ids; anything else inside it, or an id that is not digits, refuses the request.
 */
export function requestedIds(container: XmlElement | undefined, idElement: string): string[] {
	if (container === undefined) {
		return [];
	}
	if (container.attributes().size > 0) {
		throw new RequestRefusal(SandboxTexts.unexpectedAttributes(container.name));
	}
	if (container.hasSignificantText()) {
		throw new RequestRefusal(SandboxTexts.unexpectedText(container.name));
	}
	const unknown = container.childNames().find((name) => name !== idElement);
	if (unknown !== undefined) {
		throw new RequestRefusal(SandboxTexts.unknownRequestElement(unknown));
	}
	return container.children(idElement).map((element) => {
		if (element.hasChildren() || element.attributes().size > 0) {
			throw new RequestRefusal(SandboxTexts.textOnlyElement(element.name));
		}
		const id = element.text();
		if (!DECIMAL_NUMBER.test(id)) {
			throw new RequestRefusal(SandboxTexts.wrongMessageId(id));
		}
		return id;
	});
}
