/** Prefix fast-xml-parser puts before attribute names (and the builder reads back). */
export const ATTRIBUTE_PREFIX = '@_';
/** Key under which fast-xml-parser keeps an element's text when the element also has attributes or children. */
export const TEXT_KEY = '#text';

/** What fast-xml-parser produces with every value kept as a string. */
export type ParsedValue = string | ParsedObject | ParsedValue[];
export interface ParsedObject {
	[key: string]: ParsedValue;
}

function isParsedObject(value: ParsedValue): value is ParsedObject {
	return typeof value === 'object' && !Array.isArray(value);
}

function isChildKey(key: string): boolean {
	return !key.startsWith(ATTRIBUTE_PREFIX) && key !== TEXT_KEY && !key.startsWith('?');
}

/** One element of a parsed document, read without trimming or converting anything. */
export class XmlElement {
	constructor(
		readonly name: string,
		private readonly value: ParsedValue,
	) {}

	/** Attributes in document order, names without the prefix. */
	attributes(): Map<string, string> {
		const attributes = new Map<string, string>();
		if (isParsedObject(this.value)) {
			for (const [key, value] of Object.entries(this.value)) {
				if (key.startsWith(ATTRIBUTE_PREFIX) && typeof value === 'string') {
					attributes.set(key.slice(ATTRIBUTE_PREFIX.length), value);
				}
			}
		}
		return attributes;
	}

	attribute(name: string): string | undefined {
		return this.attributes().get(name);
	}

	/** The element's own character data ('' when it has none). */
	text(): string {
		if (typeof this.value === 'string') {
			return this.value;
		}
		if (isParsedObject(this.value)) {
			const text = this.value[TEXT_KEY];
			return typeof text === 'string' ? text : '';
		}
		return '';
	}

	/** True when the element holds character data other than whitespace (e.g. text between child elements). */
	hasSignificantText(): boolean {
		return this.text().trim() !== '';
	}

	/** Names of the child elements, each once, in order of first appearance. */
	childNames(): string[] {
		return isParsedObject(this.value) ? Object.keys(this.value).filter(isChildKey) : [];
	}

	/** Every child element with that name, in document order. */
	children(name: string): XmlElement[] {
		if (!isParsedObject(this.value) || !isChildKey(name) || !Object.hasOwn(this.value, name)) {
			return [];
		}
		const value = this.value[name];
		const values = Array.isArray(value) ? value : [value];
		return values.map((child) => new XmlElement(name, child));
	}

	hasChildren(): boolean {
		return this.childNames().length > 0;
	}
}
