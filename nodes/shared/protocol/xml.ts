import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

import { UnexpectedResponseError } from './errors';

export const ATTRIBUTE_PREFIX = '@_';
export const TEXT_KEY = '#text';

/** An element tree as fast-xml-parser reads and writes it: attributes under `@_name`, text under `#text`. */
export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[] | undefined;

export const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

const builder = new XMLBuilder({
	ignoreAttributes: false,
	attributeNamePrefix: ATTRIBUTE_PREFIX,
	textNodeName: TEXT_KEY,
	format: false,
	suppressEmptyNode: true,
	suppressBooleanAttributes: false,
	processEntities: true,
});

/** Serialises one root element with the XML declaration and no line breaks. */
export function buildXmlDocument(rootName: string, root: XmlNode): string {
	return XML_DECLARATION + (builder.build({ [rootName]: root }) as string);
}

/** A DOCTYPE or entity declaration anywhere in a reply (TargetSMS replies have neither). */
const DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

/** XML's five predefined entities; any other named reference is left as written. */
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:#([0-9]+)|#x([0-9A-Fa-f]+)|([A-Za-z][A-Za-z0-9]*));/g;

/**
 * Decodes what XML itself defines: the five predefined entities and numeric character references (`&#1055;`,
 * `&#x41F;`) of characters XML allows. Nothing else: a named HTML entity such as `&nbsp;` (undeclared, so not XML)
 * and a reference to a character XML forbids (`&#0;`, a surrogate) stay exactly as written, never invented.
 * Replaces fast-xml-parser's own decoder (its `entityDecoder` option), so no declared entity can ever be expanded.
 */
function decodeReferences(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(REFERENCE, (reference, decimal?: string, hex?: string, name?: string) => {
		if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? reference;
		const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
		return isXmlCharacter(codePoint) ? String.fromCodePoint(codePoint) : reference;
	});
}

function isXmlCharacter(codePoint: number): boolean {
	return (
		codePoint === 0x9 ||
		codePoint === 0xa ||
		codePoint === 0xd ||
		(codePoint >= 0x20 && codePoint <= 0xd7ff) ||
		(codePoint >= 0xe000 && codePoint <= 0xfffd) ||
		(codePoint >= 0x10000 && codePoint <= 0x10ffff)
	);
}

const ENTITY_DECODER = {
	decode: decodeReferences,
	reset: () => undefined,
	setXmlVersion: () => undefined,
	// Never called: a document with a DOCTYPE is refused before it is parsed. Were one to slip through, its
	// entities would still not be used, since decodeReferences knows only the predefined five.
	addInputEntities: () => undefined,
	setExternalEntities: () => undefined,
};

/**
 * A reader of replies. With `root`, a reply that looks whole — it starts (after an XML declaration) with the expected
 * root element and ends with its end tag, and has as many end tags (and empty-element tags) as start tags — is parsed
 * at once: a truncated reply fails this check. Any other reply, and one whose parse shows more than one root, goes to
 * fast-xml-parser's validator first, as every reply did before, so its refusal keeps the validator's words. A
 * reply that passes the check yet is not well-formed inside (an end tag naming another element, say) is read the way
 * fast-xml-parser reads it, not refused.
 */
export function createXmlReader(alwaysArray: readonly string[], root?: string): (body: string) => XmlNode {
	const arrayNames = new Set(alwaysArray);
	const parser = new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: ATTRIBUTE_PREFIX,
		textNodeName: TEXT_KEY,
		parseTagValue: false,
		parseAttributeValue: false,
		trimValues: false,
		ignoreDeclaration: true,
		ignorePiTags: true,
		processEntities: true,
		entityDecoder: ENTITY_DECODER,
		isArray: (name) => arrayNames.has(name),
	});
	const parse = (body: string): XmlNode => {
		let document: XmlNode | undefined;
		let refusal = '';
		try {
			document = parser.parse(body) as XmlNode;
		} catch (error) {
			refusal = error instanceof Error ? error.message : String(error);
		}
		if (document === undefined) throw new UnexpectedResponseError(`The reply could not be read as XML (${refusal})`, body);
		return document;
	};
	return (raw: string) => {
		const body = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
		const declaration = DECLARATION.exec(body);
		if (declaration) {
			throw new UnexpectedResponseError(
				declaration[1].toUpperCase() === 'DOCTYPE'
					? 'The reply declares a DOCTYPE, which TargetSMS replies never do; it was not read'
					: 'The reply declares an entity (<!ENTITY), which TargetSMS replies never do; it was not read',
				body,
			);
		}
		if (root !== undefined && looksWhole(body, root)) {
			const document = parse(body);
			const names = Object.keys(document).filter((key) => !key.startsWith('?'));
			if (names.length === 1 && names[0] === root && !Array.isArray(document[root])) return document;
		}
		const verdict = XMLValidator.validate(body);
		if (verdict !== true) {
			throw new UnexpectedResponseError(`The reply is not a valid XML document (${verdict.err.msg})`, body);
		}
		return parse(body);
	};
}

const XML_DECLARATION_START = /^\s*<\?xml[\s?]/;

/**
 * The cheap check of {@link createXmlReader}: the expected root first and last, and the tags balanced by count
 * (each `<` that starts neither an end tag `</` nor `<!`/`<?` starts an element, closed by `</` or `/>`).
 */
function looksWhole(body: string, root: string): boolean {
	let start = 0;
	if (XML_DECLARATION_START.test(body)) {
		const end = body.indexOf('?>');
		if (end < 0) return false;
		start = end + 2;
	}
	while (start < body.length && isXmlSpace(body.charCodeAt(start))) start++;
	if (!body.startsWith('<' + root, start)) return false;
	const afterName = body.charCodeAt(start + root.length + 1);
	if (!(isXmlSpace(afterName) || afterName === 0x3e /* > */ || afterName === 0x2f) /* / */) return false;
	let end = body.length;
	while (end > start && isXmlSpace(body.charCodeAt(end - 1))) end--;
	const selfClosedRoot = body.endsWith('/>', end) && body.indexOf('<', start + 1) < 0;
	if (!selfClosedRoot && !body.endsWith(`</${root}>`, end)) return false;
	const opening = count(body, '<', start);
	const closing = count(body, '</', start);
	const empty = count(body, '/>', start);
	const other = count(body, '<!', start) + count(body, '<?', start);
	return opening - closing - other === closing + empty;
}

function count(text: string, part: string, from: number): number {
	let found = 0;
	for (let index = text.indexOf(part, from); index >= 0; index = text.indexOf(part, index + part.length)) found++;
	return found;
}

function isXmlSpace(code: number): boolean {
	return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Reads the single root element, refusing a document whose root has another name. */
export function expectRoot(document: XmlNode, rootName: string, body: string): XmlNode {
	const names = Object.keys(document).filter((key) => !key.startsWith('?'));
	if (names.length !== 1 || names[0] !== rootName) {
		throw new UnexpectedResponseError(
			`Expected a <${rootName}> document but got <${names.join('>, <') || 'nothing'}>`,
			body,
		);
	}
	const root = document[rootName];
	return typeof root === 'object' && !Array.isArray(root) ? root : { [TEXT_KEY]: root ?? '' };
}

export function childElement(parent: XmlNode, name: string): XmlNode | undefined {
	const child = parent[name];
	if (child === undefined) return undefined;
	if (Array.isArray(child)) return asElement(child[0]);
	return asElement(child);
}

export function childElements(parent: XmlNode, name: string): XmlNode[] {
	const child = parent[name];
	if (child === undefined) return [];
	return (Array.isArray(child) ? child : [child]).map(asElement);
}

export function textOf(node: XmlValue): string {
	if (node === undefined) return '';
	if (typeof node === 'string') return node;
	if (Array.isArray(node)) return node.map(textOf).join('');
	const text = node[TEXT_KEY];
	return typeof text === 'string' ? text : '';
}

/** `@_name` for each attribute name asked for: a reply's rows are read thousands of times with the same few names. */
const attributeKeys = new Map<string, string>();

export function attributeKey(name: string): string {
	let key = attributeKeys.get(name);
	if (key === undefined) {
		key = ATTRIBUTE_PREFIX + name;
		attributeKeys.set(name, key);
	}
	return key;
}

export function attributeOf(node: XmlNode, name: string): string | undefined {
	const value = node[attributeKey(name)];
	return typeof value === 'string' ? value : undefined;
}

function asElement(value: XmlValue): XmlNode {
	if (value !== undefined && typeof value === 'object' && !Array.isArray(value)) return value;
	return { [TEXT_KEY]: typeof value === 'string' ? value : '' };
}
