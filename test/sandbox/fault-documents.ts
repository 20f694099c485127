import { STATUS_CODES } from 'node:http';

import { isJsonObject, type JsonValue } from './apiagent/json-request';
import { emailRefusal } from './email/reply';
import { base64Of, echoedForms, formUrlEncode, phpJsonEncode } from './encodings';
import { decodeUtf8Body } from './http/body';
import { HTML_CONTENT_TYPE, JSON_CONTENT_TYPE, type ReplyStyle, type SandboxReply, XML_CONTENT_TYPE } from './http/exchange';
import { SandboxTexts } from './texts';
import { buildXmlDocument } from './xml/document';
import { parseXmlDocument } from './xml/document';
import type { XmlElement } from './xml/element';
import { onlyChild } from './xml/request';

/** Which DOCTYPE the `doctype` fault's reply begins with. */
export type DoctypeVariant = 'entityBomb' | 'externalEntity' | 'plainDoctype';

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** The root element of the endpoint's XML replies (the email API's is `<request>`, also for JSON requests). */
function xmlRootOf(style: ReplyStyle): 'response' | 'request' {
	return style === 'emailXml' || style === 'emailJson' ? 'request' : 'response';
}

/** Text of the innermost entity of the bomb; each of the levels above repeats the one below ten times. */
const BOMB_SEED = 'Ошибка ';
const BOMB_LEVELS = 8;

/** Characters the entity bomb's text would expand to: `BOMB_SEED` × 10^8 = 700,000,000. */
export const ENTITY_BOMB_EXPANSION = BOMB_SEED.length * 10 ** BOMB_LEVELS;

function entityBombDeclarations(): string {
	const declarations = [`<!ENTITY e0 "${BOMB_SEED}">`];
	for (let level = 1; level <= BOMB_LEVELS; level += 1) {
		declarations.push(`<!ENTITY e${level} "${`&e${level - 1};`.repeat(10)}">`);
	}
	return declarations.join('');
}

/**
 * A 200 XML reply beginning with a DOCTYPE: a billion-laughs chain of internal entities used in the
 * `<error>` text, an external entity (`file:///etc/passwd`) used in it, or a harmless `<!DOCTYPE root>`
 * on an otherwise normal-looking empty success (`<response></response>`, email `<request><error/></request>`).
 * Always XML, also for the email API's JSON requests.
 */
export function doctypeReply(variant: DoctypeVariant, style: ReplyStyle): SandboxReply {
	const root = xmlRootOf(style);
	let body: string;
	switch (variant) {
		case 'entityBomb':
			body = `<!DOCTYPE ${root} [${entityBombDeclarations()}]><${root}><error>&e${BOMB_LEVELS};</error></${root}>`;
			break;
		case 'externalEntity':
			body = `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><${root}><error>&xxe;</error></${root}>`;
			break;
		case 'plainDoctype':
			body = `<!DOCTYPE ${root}>${root === 'request' ? '<request><error/></request>' : '<response></response>'}`;
			break;
	}
	return { status: 200, contentType: XML_CONTENT_TYPE, body: `${XML_DECLARATION}${body}` };
}

/** Start and end of the `oversize` fault's document, in the endpoint's style; filler goes between. */
export function oversizeFrame(style: ReplyStyle): { contentType: string; head: string; tail: string } {
	if (style === 'emailJson') {
		return { contentType: JSON_CONTENT_TYPE, head: '{"error":"', tail: '"}' };
	}
	const root = xmlRootOf(style);
	return { contentType: XML_CONTENT_TYPE, head: `${XML_DECLARATION}<${root}><error>`, tail: `</error></${root}>` };
}

interface Credentials {
	login: string | undefined;
	password: string;
}

function plainCredential(security: XmlElement | undefined, name: string): string | undefined {
	const element = onlyChild(security, name);
	if (element === undefined) {
		return undefined;
	}
	return element.attribute('value') ?? (element.hasChildren() ? undefined : element.text());
}

function credentialsFromXml(text: string): Credentials | undefined {
	let root: XmlElement;
	try {
		root = parseXmlDocument(text, [], true);
	} catch {
		return undefined;
	}
	const security = onlyChild(root, 'security');
	const password = plainCredential(security, 'password');
	return password === undefined ? undefined : { login: plainCredential(security, 'login'), password };
}

function credentialsFromJson(text: string): Credentials | undefined {
	let parsed: JsonValue;
	try {
		parsed = JSON.parse(text) as JsonValue;
	} catch {
		return undefined;
	}
	const security = isJsonObject(parsed) ? parsed.security : undefined;
	if (!isJsonObject(security) || typeof security.password !== 'string') {
		return undefined;
	}
	return { login: typeof security.login === 'string' ? security.login : undefined, password: security.password };
}

const XML_REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
	return text.replace(XML_REFERENCE, (match, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
		const codePoint = hex !== undefined ? parseInt(hex, 16) : decimal !== undefined ? parseInt(decimal, 10) : undefined;
		if (codePoint === undefined) {
			return PREDEFINED[name ?? ''] ?? match;
		}
		return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : match;
	});
}

function jsonStringAt(text: string): string | undefined {
	try {
		return JSON.parse(text) as string;
	} catch {
		return undefined;
	}
}

/** The credential by pattern when the body is not a document the readers accept (malformed, refused, …). */
function credentialByPattern(text: string, name: string): string | undefined {
	const attribute = new RegExp(`<${name}\\s+value\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(text);
	if (attribute !== null) {
		return decodeXmlText(attribute[1] ?? attribute[2]);
	}
	const element = new RegExp(`<${name}\\s*>([^<]*)</${name}\\s*>`).exec(text);
	if (element !== null) {
		return decodeXmlText(element[1]);
	}
	const member = new RegExp(`"${name}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(text);
	return member === null ? undefined : jsonStringAt(member[1]);
}

/**
 * The login and password the endpoint read: SMS attribute style (`<password value=".."/>`), email and
 * OTP element text (`<password>..</password>`), or JSON `security.password`; by pattern when the body
 * does not parse. Undefined when no password is found.
 */
export function echoedCredentials(body: string, style: ReplyStyle): Credentials | undefined {
	const parsed = style === 'emailJson' ? credentialsFromJson(body) : credentialsFromXml(body);
	if (parsed !== undefined) {
		return parsed;
	}
	const password = credentialByPattern(body, 'password');
	return password === undefined ? undefined : { login: credentialByPattern(body, 'login'), password };
}

/** The endpoint's own refusal document, with its wrong-login text extended by the echo. */
function refusalReply(style: ReplyStyle, text: string): SandboxReply {
	switch (style) {
		case 'smsXml':
		case 'otpXml':
			return { status: 200, contentType: XML_CONTENT_TYPE, body: buildXmlDocument('response', { error: text }) };
		case 'emailXml':
			return emailRefusal('xml', text);
		case 'emailJson':
			return emailRefusal('json', text);
	}
}

function echoPage(status: number, body: string): SandboxReply {
	const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
	const sections = echoedForms(body)
		.map(({ label, value }) => `<h2>${label}</h2><pre>${value}</pre>`)
		.join('');
	return {
		status,
		contentType: HTML_CONTENT_TYPE,
		body: `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>Request body:</p>${sections}</body></html>`,
	};
}

/**
 * A reply that echoes the request. Any status but 200: an HTML page (a debugging proxy or a PHP error
 * page) with the raw body and the body in every form of `echoedForms`. Status 200: the endpoint's own
 * wrong-login refusal whose text quotes the login and password read from the request (form-encoded,
 * PHP-JSON-encoded and base64), or the whole body when no password is found.
 */
export function echoReply(status: number, style: ReplyStyle, body: Buffer): SandboxReply {
	const text = decodeUtf8Body(body) ?? body.toString('utf8');
	if (status !== 200) {
		return echoPage(status, text);
	}
	const prefix = style === 'otpXml' ? SandboxTexts.otpWrongLogin : SandboxTexts.wrongLogin;
	const credentials = echoedCredentials(text, style);
	return refusalReply(
		style,
		credentials === undefined
			? SandboxTexts.echoedBody(prefix, formUrlEncode(text), phpJsonEncode(text), base64Of(text))
			: SandboxTexts.echoedCredentials(
					prefix,
					formUrlEncode(credentials.login ?? ''),
					formUrlEncode(credentials.password),
					phpJsonEncode(credentials.password),
					base64Of(credentials.password),
				),
	);
}
