import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

import { ATTRIBUTE_PREFIX, type ParsedObject, type ParsedValue, XmlElement } from './element';
import { entityDecoder } from './entities';

/** The document is not well-formed XML (or uses something the sandbox refuses); the message says why. */
export class XmlSyntaxError extends Error {}

const DECLARATION_KEY = '?xml';

function describeValidationError(error: { err: { msg: string; line: number; col?: number } }): string {
	const position = error.err.col === undefined ? `строка ${error.err.line}` : `строка ${error.err.line}, позиция ${error.err.col}`;
	return `${error.err.msg} (${position})`;
}

/** Characters XML 1.0 cannot carry (valid UTF-8 cannot hold lone surrogates, so these are all). */
const NON_XML_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Position of the first character XML 1.0 cannot carry, or -1. */
export function nonXmlCharacterIndex(text: string): number {
	return NON_XML_CHARACTER.exec(text)?.index ?? -1;
}

function createParser(alwaysArrayPaths: ReadonlySet<string>, lineBreakReferences: boolean): XMLParser {
	return new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: ATTRIBUTE_PREFIX,
		parseTagValue: false,
		parseAttributeValue: false,
		trimValues: false,
		processEntities: true,
		entityDecoder: entityDecoder(lineBreakReferences),
		isArray: (_name, jPath, _isLeaf, isAttribute) =>
			!isAttribute && typeof jPath === 'string' && alwaysArrayPaths.has(jPath),
	});
}

/** A well-formed document has nothing but markup before its first `<` and after its last `>`. */
function assertNoTextOutsideMarkup(text: string): void {
	const first = text.indexOf('<');
	const last = text.lastIndexOf('>');
	if (text.slice(0, first).trim() !== '' || text.slice(last + 1).trim() !== '') {
		throw new XmlSyntaxError('Текст вне корневого элемента');
	}
}

function assertUtf8Declaration(declaration: ParsedValue | undefined): void {
	if (declaration === undefined || typeof declaration !== 'object' || Array.isArray(declaration)) {
		return;
	}
	const encoding = declaration[`${ATTRIBUTE_PREFIX}encoding`];
	if (typeof encoding === 'string' && encoding.toLowerCase() !== 'utf-8') {
		throw new XmlSyntaxError(`Объявлена кодировка ${encoding}, ожидается utf-8`);
	}
}

function findRoot(parsed: ParsedObject): XmlElement {
	assertUtf8Declaration(parsed[DECLARATION_KEY]);
	const rootNames = Object.keys(parsed).filter((key) => !key.startsWith('?') && key !== '#text');
	if (rootNames.length !== 1 || Array.isArray(parsed[rootNames[0]])) {
		throw new XmlSyntaxError('Документ должен содержать ровно один корневой элемент');
	}
	return new XmlElement(rootNames[0], parsed[rootNames[0]]);
}

/**
 * Parses a whole XML document strictly: validates well-formedness first, decodes only the references
 * XML defines, keeps every value as an untrimmed string. Elements at `alwaysArrayPaths` (dotted paths
 * like 'request.message') are read as lists even when they occur once. References to a line break
 * (`&#10;`, `&#13;`) are refused unless `lineBreakReferences` allows them.
 */
export function parseXmlDocument(
	text: string,
	alwaysArrayPaths: readonly string[] = [],
	lineBreakReferences = false,
): XmlElement {
	const validation = XMLValidator.validate(text, { allowBooleanAttributes: false });
	if (validation !== true) {
		throw new XmlSyntaxError(describeValidationError(validation));
	}
	assertNoTextOutsideMarkup(text);
	let parsed: ParsedObject;
	try {
		parsed = createParser(new Set(alwaysArrayPaths), lineBreakReferences).parse(text) as ParsedObject;
	} catch (error) {
		throw new XmlSyntaxError(error instanceof Error ? error.message : String(error));
	}
	return findRoot(parsed);
}

function createBuilder(selfClosingEmpty: boolean): XMLBuilder {
	return new XMLBuilder({
		ignoreAttributes: false,
		attributeNamePrefix: ATTRIBUTE_PREFIX,
		suppressEmptyNode: selfClosingEmpty,
		processEntities: true,
	});
}

const builders = { pair: createBuilder(false), selfClosing: createBuilder(true) } as const;

/** How an element without content is written: `<error></error>` (pair) or `<error/>` (selfClosing). */
export type EmptyElementStyle = keyof typeof builders;

/** Content of an element for the builder: text, or attributes (prefixed) / children / '#text'. */
export type BuildValue = string | BuildObject | BuildObject[];
export interface BuildObject {
	[key: string]: BuildValue;
}

/** Serialises `{ root: content }` as a UTF-8 XML document with a declaration and no line breaks. */
export function buildXmlDocument(rootName: string, content: BuildValue, empty: EmptyElementStyle = 'pair'): string {
	return builders[empty].build({
		[DECLARATION_KEY]: { [`${ATTRIBUTE_PREFIX}version`]: '1.0', [`${ATTRIBUTE_PREFIX}encoding`]: 'utf-8' },
		[rootName]: content,
	});
}
