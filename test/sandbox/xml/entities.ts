import type { EntityDecoderOptions } from 'fast-xml-parser';

/** Raised while decoding entity and character references; its message is shown to the client. */
export class XmlReferenceError extends Error {}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
};

const REFERENCE = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][A-Za-z0-9._-]*)?(;?)/g;

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** XML 1.0 `Char` production. */
function isXmlCharacter(codePoint: number): boolean {
	return (
		codePoint === 0x09 ||
		codePoint === LINE_FEED ||
		codePoint === CARRIAGE_RETURN ||
		(codePoint >= 0x20 && codePoint <= 0xd7ff) ||
		(codePoint >= 0xe000 && codePoint <= 0xfffd) ||
		(codePoint >= 0x10000 && codePoint <= 0x10ffff)
	);
}

function decodeCharacterReference(reference: string, lineBreaks: boolean): string {
	const codePoint =
		reference[1] === 'x' ? parseInt(reference.slice(2), 16) : parseInt(reference.slice(1), 10);
	if (!isXmlCharacter(codePoint)) {
		throw new XmlReferenceError(`Ссылка на недопустимый в XML символ: &${reference};`);
	}
	if (!lineBreaks && (codePoint === LINE_FEED || codePoint === CARRIAGE_RETURN)) {
		throw new XmlReferenceError(
			`Перевод строки в данных должен быть записан как "\\n", а не ссылкой &${reference};`,
		);
	}
	return String.fromCodePoint(codePoint);
}

function decodeReference(match: string, name: string | undefined, semicolon: string, lineBreaks: boolean): string {
	if (name === undefined || semicolon !== ';') {
		throw new XmlReferenceError(`Символ "&" не образует ссылку на сущность: ${match}`);
	}
	if (name.startsWith('#')) {
		return decodeCharacterReference(name, lineBreaks);
	}
	const value = PREDEFINED_ENTITIES[name];
	if (value === undefined) {
		throw new XmlReferenceError(`Неизвестная сущность &${name};`);
	}
	return value;
}

/**
 * Decodes exactly what an XML 1.0 parser decodes without a DTD: the five predefined entities and
 * numeric character references, in one pass (so `&amp;#65;` stays `&#65;`). Anything else is an error.
 * References to a line break are an error too unless `lineBreaks` allows them (the SMS document wants
 * line breaks in data written as `\n`; the email and OTP documents say nothing of the kind).
 */
export function entityDecoder(lineBreaks: boolean): EntityDecoderOptions {
	return {
		setExternalEntities: () => undefined,
		addInputEntities: (entities: Record<string, string>) => {
			const names = Object.keys(entities);
			if (names.length > 0) {
				throw new XmlReferenceError(`Объявления сущностей в DOCTYPE не поддерживаются: ${names.join(', ')}`);
			}
		},
		reset: () => undefined,
		setXmlVersion: () => undefined,
		decode: (text: string) =>
			text.includes('&')
				? text.replace(REFERENCE, (match: string, name: string | undefined, semicolon: string) =>
						decodeReference(match, name, semicolon, lineBreaks),
					)
				: text,
	};
}

/** The SMS/Viber API's decoder: no references to line breaks. */
export const strictEntityDecoder: EntityDecoderOptions = entityDecoder(false);
