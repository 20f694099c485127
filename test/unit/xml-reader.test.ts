import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';

import { UnexpectedResponseError } from '../../nodes/shared/protocol/errors';
import { attributeOf, buildXmlDocument, childElement, createXmlReader, textOf } from '../../nodes/shared/protocol/xml';

const read = createXmlReader([]);

function refusal(body: string): UnexpectedResponseError {
	try {
		read(body);
	} catch (error) {
		expect(error).toBeInstanceOf(UnexpectedResponseError);
		return error as UnexpectedResponseError;
	}
	throw new Error('The reply was read');
}

/** The classic exponential entity bomb, padded to about 70 KB. */
function billionLaughs(): string {
	const entities = ['<!ENTITY lol0 "lol">'];
	for (let level = 1; level <= 9; level++) {
		entities.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
	}
	const padding = `<!-- ${'x'.repeat(70_000)} -->`;
	return `<?xml version="1.0"?>\n<!DOCTYPE response [\n${entities.join('\n')}\n]>\n${padding}<response><error>&lol9;</error></response>`;
}

describe('XML reader: declarations are refused before parsing', () => {
	it('refuses a ~70 KB billion-laughs document at once, expanding nothing', () => {
		const bomb = billionLaughs();
		expect(bomb.length).toBeGreaterThan(70_000);
		const started = Date.now();
		const error = refusal(bomb);
		expect(Date.now() - started).toBeLessThan(200);
		expect(error.message).toBe('The reply declares a DOCTYPE, which TargetSMS replies never do; it was not read');
		expect(error.body).toBe(bomb);
	});

	it('refuses an external entity', () => {
		const error = refusal('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><response><error>&x;</error></response>');
		expect(error.message).toMatch(/^The reply declares a DOCTYPE/);
	});

	it('refuses a DOCTYPE in any letter case and an entity declaration without one', () => {
		expect(refusal('<!doctype html><html></html>').message).toMatch(/DOCTYPE/);
		expect(refusal('<response><!ENTITY x "y"><error>&x;</error></response>').message).toBe(
			'The reply declares an entity (<!ENTITY), which TargetSMS replies never do; it was not read',
		);
		expect(refusal('\uFEFF<!DOCTYPE response SYSTEM "http://example.com/r.dtd"><response/>').message).toMatch(/DOCTYPE/);
	});
});

describe('XML reader: references', () => {
	it('decodes the five predefined entities and numeric references, in text and attributes', () => {
		const document = read(
			'<response><error a="&lt;&amp;&quot;&apos;&gt; &#1055;&#x440;&#X438;">&lt;&amp;&quot;&apos;&gt; &#1055;&#x440;&#x438;&#x432;&#1077;&#x442; &#128512;</error></response>',
		);
		const error = childElement(document.response as never, 'error')!;
		expect(textOf(error)).toBe('<&"\'> Привет 😀');
		expect(attributeOf(error, 'a')).toBe('<&"\'> Пр&#X438;');
	});

	it('invents no named HTML entity and no character XML forbids; decodes once', () => {
		const document = read('<response><error>a&nbsp;b &copy; &#0; &#xD800; &amp;lt; &amp;#65;</error></response>');
		expect(textOf(childElement(document.response as never, 'error')!)).toBe('a&nbsp;b &copy; &#0; &#xD800; &lt; &#65;');
	});

	it('reads back any text the builder writes (round trip)', () => {
		const xmlText = fc.string({ unit: 'binary', maxLength: 80 }).map((text) =>
			// Only characters XML 1.0 carries, and no raw line breaks (the builders write none).
			[...text].filter((character) => /^[\u0020-\uD7FF\uE000-\uFFFD]$|^[\uD800-\uDBFF][\uDC00-\uDFFF]$/u.test(character)).join(''),
		);
		fc.assert(
			fc.property(xmlText, xmlText, (text, attribute) => {
				const body = buildXmlDocument('response', { error: { '@_a': attribute, '#text': text } });
				const error = childElement(read(body).response as never, 'error')!;
				expect(textOf(error)).toBe(text);
				expect(attributeOf(error, 'a') ?? '').toBe(attribute);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('XML reader: the cheap check of the expected root', () => {
	const readResponse = createXmlReader(['state'], 'response');
	const refusedAs = (body: string): string => {
		try {
			readResponse(body);
		} catch (error) {
			expect(error).toBeInstanceOf(UnexpectedResponseError);
			return (error as UnexpectedResponseError).message;
		}
		throw new Error('The reply was read');
	};

	it('reads a whole reply without fast-xml-parser\'s validator', () => {
		const validate = jest.spyOn(XMLValidator, 'validate');
		try {
			const document = readResponse('\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<response><state id_message="1">deliver</state><empty/></response>\n');
			expect(attributeOf(childElement(childElement(document, 'response')!, 'state')!, 'id_message')).toBe('1');
			expect(readResponse('<response/>')).toEqual({ response: '' });
			expect(validate).not.toHaveBeenCalled();
		} finally {
			validate.mockRestore();
		}
	});

	it.each([
		['cut in an element', '<response><state id_message="1">deliver</state><state id_mess'],
		['cut after an element', '<response><state id_message="1">deliver</state>'],
		['cut in the root end tag', '<response><state id_message="1">deliver</state></respo'],
		['an end tag missing inside', '<response><state id_message="1">deliver</response>'],
		['two roots', '<response></response><response></response>'],
		['text after the root', '<response></response>trailing'],
		['a bare "<" in text', '<response>a < b</response>'],
	])('refuses %s with the validator\'s words, as before', (_name, body) => {
		expect(refusedAs(body)).toMatch(/^The reply is not a valid XML document \(/);
	});

	it('leaves a well-formed reply that the check cannot vouch for to the validator, and reads it', () => {
		const validate = jest.spyOn(XMLValidator, 'validate');
		try {
			const document = readResponse('<response><!-- a < b --><state id_message="1" text="x/>y">deliver</state ></response >');
			expect(textOf(childElement(document, 'response')!.state)).toBe('deliver');
			expect(validate).toHaveBeenCalledTimes(1);
		} finally {
			validate.mockRestore();
		}
	});

	it('reads whatever the builder writes exactly as the validating path does', () => {
		const xmlText = fc.string({ unit: 'binary', maxLength: 60 }).map((text) =>
			[...text].filter((character) => /^[\u0020-\uD7FF\uE000-\uFFFD]$|^[\uD800-\uDBFF][\uDC00-\uDFFF]$/u.test(character)).join(''),
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(xmlText, xmlText), { maxLength: 4 }), (states) => {
				const body = buildXmlDocument('response', { state: states.map(([text, attribute]) => ({ '@_id': attribute, '#text': text })) });
				expect(readResponse(body)).toEqual(createXmlReader(['state'])(body));
			}),
			{ numRuns: 300 },
		);
	});

	it('hands a document of another root to the caller, which names it', () => {
		expect(Object.keys(readResponse('<request><error>x</error></request>'))).toEqual(['request']);
	});
});
