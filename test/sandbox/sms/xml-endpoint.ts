import { contentTypeOf, decodeUtf8Body, isUtf8ContentType } from '../http/body';
import type { RouteHandler } from '../http/router';
import { type SandboxReply, type SandboxRequest, XML_CONTENT_TYPE } from '../http/exchange';
import { RequestRefusal } from '../http/refusal';
import type { SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import { type BuildValue, buildXmlDocument, nonXmlCharacterIndex } from '../xml/document';
import type { XmlElement } from '../xml/element';
import { onlyChild, parseRequestDocument } from '../xml/request';

/** The whole request is refused with `<response><error>message</error></response>`. */
export { RequestRefusal };

/** One endpoint of the SMS/Viber XML API, after the checks all of them share. */
export interface SmsXmlEndpoint {
	/** Dotted element paths read as lists even when they occur once, e.g. 'request.message'. */
	alwaysArrayPaths: readonly string[];
	/** Children `<request>` may have besides `<security>`, and whether each may repeat. */
	requestElements: Readonly<Record<string, 'once' | 'many'>>;
	/** Content of the `<response>` for an authenticated, well-formed request; may throw RequestRefusal. */
	respond(request: XmlElement, origin: SandboxRequest): BuildValue;
}

const LINE_BREAK = /[\r\n]/;

function xmlReply(content: BuildValue, status = 200, headers?: Record<string, string>): SandboxReply {
	return { status, contentType: XML_CONTENT_TYPE, body: buildXmlDocument('response', content), headers };
}

/** `text/xml`, optionally with `charset=utf-8`; any other type or charset is refused. */
function assertXmlContentType(request: SandboxRequest): void {
	if (!isUtf8ContentType(contentTypeOf(request.headers), 'text/xml')) {
		throw new RequestRefusal(SandboxTexts.wrongContentType);
	}
}

function decodeUtf8(body: Buffer): string {
	const text = decodeUtf8Body(body);
	if (text === undefined) {
		throw new RequestRefusal(SandboxTexts.notUtf8);
	}
	return text;
}

function assertXmlCharacters(text: string): void {
	const forbidden = nonXmlCharacterIndex(text);
	if (forbidden >= 0) {
		throw new RequestRefusal(SandboxTexts.forbiddenCharacter(forbidden));
	}
}

/**
 * A raw line break is refused where it is data: in an attribute value or in the text of an element without child
 * elements (the document: line breaks in data are written as `\n`). Between elements (indentation, a line break
 * after the declaration, a trailing newline) it is only whitespace, which the documents' own examples and every
 * public client send. Returns the element (and attribute) that holds one, for the refusal.
 */
function lineBreakInData(element: XmlElement, path = element.name): string | undefined {
	for (const [name, value] of element.attributes()) {
		if (LINE_BREAK.test(value)) return `${path}/@${name}`;
	}
	if (!element.hasChildren()) return LINE_BREAK.test(element.text()) ? path : undefined;
	for (const name of element.childNames()) {
		for (const child of element.children(name)) {
			const found = lineBreakInData(child, `${path}/${name}`);
			if (found !== undefined) return found;
		}
	}
	return undefined;
}

function assertNoLineBreakInData(document: XmlElement): void {
	const where = lineBreakInData(document);
	if (where !== undefined) {
		throw new RequestRefusal(SandboxTexts.lineBreakInData(where));
	}
}

/** `<security><login value=".."/><password value=".."/></security>`; anything else fails authentication. */
function assertAuthenticated(request: XmlElement, store: SandboxStore): void {
	const security = onlyChild(request, 'security');
	const login = onlyChild(security, 'login')?.attribute('value');
	const password = onlyChild(security, 'password')?.attribute('value');
	if (!store.authenticate(login, password)) {
		throw new RequestRefusal(SandboxTexts.wrongLogin);
	}
}

function assertRequestStructure(request: XmlElement, endpoint: SmsXmlEndpoint): void {
	if (request.attributes().size > 0) {
		throw new RequestRefusal(SandboxTexts.unexpectedAttributes(request.name));
	}
	if (request.hasSignificantText()) {
		throw new RequestRefusal(SandboxTexts.unexpectedText(request.name));
	}
	for (const name of request.childNames()) {
		const occurrence = name === 'security' ? 'once' : endpoint.requestElements[name];
		if (occurrence === undefined) {
			throw new RequestRefusal(SandboxTexts.unknownRequestElement(name));
		}
		if (occurrence === 'once' && request.children(name).length > 1) {
			throw new RequestRefusal(SandboxTexts.repeatedRequestElement(name));
		}
	}
}

function answer(request: SandboxRequest, store: SandboxStore, endpoint: SmsXmlEndpoint): SandboxReply {
	if (request.method !== 'POST') {
		throw new RequestRefusal(SandboxTexts.postOnly, 405, { Allow: 'POST' });
	}
	assertXmlContentType(request);
	const text = decodeUtf8(request.body);
	assertXmlCharacters(text);
	const document = parseRequestDocument(text, endpoint.alwaysArrayPaths);
	assertNoLineBreakInData(document);
	assertAuthenticated(document, store);
	assertRequestStructure(document, endpoint);
	return xmlReply(endpoint.respond(document, request));
}

/**
 * Wraps an endpoint in the checks every SMS/Viber XML request passes, in this order: POST, content
 * type, UTF-8, no non-XML characters, well-formed XML with root `<request>`, no raw line break inside data
 * (whitespace between elements is fine), login and password, known request elements. A failed check answers `<response><error>…</error></response>`.
 */
export function smsXmlRoute(store: SandboxStore, endpoint: SmsXmlEndpoint): RouteHandler {
	return (request) => {
		try {
			return answer(request, store, endpoint);
		} catch (error) {
			if (error instanceof RequestRefusal) {
				return xmlReply({ error: error.message }, error.status, error.headers);
			}
			throw error;
		}
	};
}
