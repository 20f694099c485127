import { RequestRefusal } from '../http/refusal';
import { SandboxTexts } from '../texts';
import { parseXmlDocument, XmlSyntaxError } from './document';
import type { XmlElement } from './element';

/** A request body as an element tree whose root must be `<request>`; anything else is refused in the API's words. */
export function parseRequestDocument(
	text: string,
	alwaysArrayPaths: readonly string[] = [],
	lineBreakReferences = false,
): XmlElement {
	let root: XmlElement;
	try {
		root = parseXmlDocument(text, alwaysArrayPaths, lineBreakReferences);
	} catch (error) {
		if (error instanceof XmlSyntaxError) {
			throw new RequestRefusal(SandboxTexts.malformedXml(error.message));
		}
		throw error;
	}
	if (root.name !== 'request') {
		throw new RequestRefusal(SandboxTexts.wrongRootElement(root.name));
	}
	return root;
}

/** The one child of that name; undefined when there is none or more than one. */
export function onlyChild(parent: XmlElement | undefined, name: string): XmlElement | undefined {
	const children = parent?.children(name) ?? [];
	return children.length === 1 ? children[0] : undefined;
}
