import { decodeUtf8Body } from '../http/body';
import { RequestRefusal } from '../http/refusal';
import type { SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import { nonXmlCharacterIndex } from '../xml/document';
import type { XmlElement } from '../xml/element';
import { onlyChild, parseRequestDocument } from '../xml/request';

/**
 * Reads the body of an email or OTP XML request: UTF-8 (a byte order mark allowed), only characters
 * XML can carry, well-formed, root `<request>`. Unlike the SMS API, line breaks are allowed anywhere
 * (both documents show indented requests), as text or as character references.
 */
export function parseApiagentXmlRequest(body: Buffer): XmlElement {
	const text = decodeUtf8Body(body);
	if (text === undefined) {
		throw new RequestRefusal(SandboxTexts.notUtf8);
	}
	const forbidden = nonXmlCharacterIndex(text);
	if (forbidden >= 0) {
		throw new RequestRefusal(SandboxTexts.forbiddenCharacter(forbidden));
	}
	return parseRequestDocument(text, [], true);
}

/** Text of an element that holds only text; undefined when it has attributes or child elements. */
function plainText(element: XmlElement | undefined): string | undefined {
	return element === undefined || element.hasChildren() || element.attributes().size > 0 ? undefined : element.text();
}

/**
 * `<security><login>L</login><password>P</password></security>`, credentials as element text compared
 * exactly; any other shape (attributes, repeats, missing) fails with `wrongLoginText`.
 */
export function assertXmlAuthenticated(request: XmlElement, store: SandboxStore, wrongLoginText: string): void {
	const security = onlyChild(request, 'security');
	const valid =
		security !== undefined &&
		security.attributes().size === 0 &&
		!security.hasSignificantText() &&
		security.childNames().every((name) => name === 'login' || name === 'password');
	const login = valid ? plainText(onlyChild(security, 'login')) : undefined;
	const password = valid ? plainText(onlyChild(security, 'password')) : undefined;
	if (!store.authenticate(login, password)) {
		throw new RequestRefusal(wrongLoginText);
	}
}

/** `<request>` holds `<security>` and at most one of each allowed element, no attributes and no text. */
export function assertXmlRequestElements(request: XmlElement, allowed: readonly string[]): void {
	if (request.attributes().size > 0) {
		throw new RequestRefusal(SandboxTexts.unexpectedAttributes(request.name));
	}
	if (request.hasSignificantText()) {
		throw new RequestRefusal(SandboxTexts.unexpectedText(request.name));
	}
	for (const name of request.childNames()) {
		if (name !== 'security' && !allowed.includes(name)) {
			throw new RequestRefusal(SandboxTexts.unknownRequestElement(name));
		}
		if (request.children(name).length > 1) {
			throw new RequestRefusal(SandboxTexts.repeatedRequestElement(name));
		}
	}
}

/** The single child element's text, undefined when absent; refuses an element that is not plain text. */
export function childText(parent: XmlElement, name: string): string | undefined {
	const element = parent.children(name)[0];
	if (element === undefined) {
		return undefined;
	}
	const text = plainText(element);
	if (text === undefined) {
		throw new RequestRefusal(SandboxTexts.textOnlyElement(name));
	}
	return text;
}
