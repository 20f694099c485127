import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One element as an independent, order-preserving reading of a document sees it. */
export interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
	/** The element's own text (its text nodes joined), entities decoded. */
	text: string;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

// Configured independently of the code under test and strictly: nothing is trimmed or converted, numeric
// character references decode, and the order of elements is kept so that reordering would be seen.
const orderedParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	preserveOrder: true,
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
	htmlEntities: true,
	processEntities: { maxTotalExpansions: Infinity, maxExpandedLength: Infinity },
});

// The same strict reading as a plain object tree, with the repeated elements always as lists.
const objectParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	ignoreDeclaration: true,
	htmlEntities: true,
	processEntities: { maxTotalExpansions: Infinity, maxExpandedLength: Infinity },
	isArray: (name) => name === 'message' || name === 'abonent' || name === 'id_message',
});

export function parseObject(body: string): Record<string, unknown> {
	assertWellFormed(body);
	return objectParser.parse(body) as Record<string, unknown>;
}

export function assertWellFormed(body: string): void {
	const verdict = XMLValidator.validate(body);
	if (verdict !== true) throw new Error(`not well-formed XML: ${verdict.err.msg}`);
}

/** The document's single root element. */
export function parseDocument(body: string): XmlElement {
	assertWellFormed(body);
	const nodes = orderedParser.parse(body) as OrderedNode[];
	const roots = toElements(nodes).children;
	if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.length}`);
	return roots[0];
}

function toElements(nodes: OrderedNode[]): { children: XmlElement[]; text: string } {
	const children: XmlElement[] = [];
	let text = '';
	for (const node of nodes) {
		const name = Object.keys(node).find((key) => key !== ':@');
		if (name === undefined) continue;
		if (name === '#text') {
			text += String(node[name]);
			continue;
		}
		const inner = toElements((node[name] as OrderedNode[]) ?? []);
		children.push({ name, attributes: { ...(node[':@'] ?? {}) }, children: inner.children, text: inner.text });
	}
	return { children, text };
}

export function childNames(element: XmlElement): string[] {
	return element.children.map((child) => child.name);
}
