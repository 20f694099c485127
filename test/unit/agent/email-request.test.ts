import fc from 'fast-check';

import type { EmailFormat, OutgoingEmail } from '../../../nodes/shared/protocol/agent/email';
import { agentContentType, buildEmailRequest } from '../../../nodes/shared/protocol/agent/email';
import { buildEmailStatusRequest } from '../../../nodes/shared/protocol/agent/email-status';
import { findControlCharacter } from '../../../nodes/shared/protocol/text';
import { digits } from '../support/arbitraries';
import type { XmlElement } from '../support/strict-xml';
import { childNames, parseDocument } from '../support/strict-xml';
import { agentSingleLine, anyWellFormedText, singleLineForbidden, thrownBy } from './support';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

// The email document's request examples, as printed there.
const DOCUMENT_SEND_XML = `<?xml version="1.0" encoding="utf-8" ?>
<request>
  <security>
    <login>логин</login>
    <password>пароль</password>
  </security>
  <from>test@targetsms.ru</from>
  <email to="info@targetsms.ru" subject="test" id_message="2">
    <letter>dGVzdA==</letter>
  </email>
</request>`;

const DOCUMENT_SEND_JSON = `{
  "security": {
    "login": "ЛОГИН",
    "password": "ПАРОЛЬ"
  },
  "from": "test@targetsms.ru",
  "email": {
    "letter": "dGVzdA==",
    "id_message": "2",
    "to": "info@targetsms.ru",
    "subject": "test"
  }
}`;

const DOCUMENT_STATUS_XML = `<?xml version="1.0" encoding="utf-8" ?>
<request>
  <security>
    <login>логин</login>
    <password>пароль</password>
  </security>
  <id_message>124</id_message>
</request>`;

const DOCUMENT_STATUS_JSON = `{
  "security":{
    "login":"логин",
    "password": "пароль"
  },
  "id_message":"124"
}`;

/** An XML example of the document as the builder writes XML: no whitespace between elements, the usual declaration. */
function compactXml(example: string): string {
	return example
		.trim()
		.replace(/^<\?xml version="1.0" encoding="utf-8" \?>/, DECLARATION)
		.replace(/>\s+</g, '><');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const decodeLetter = (letter: string) => Buffer.from(letter, 'base64').toString('utf8');

/** Address-like values: a local part and a domain of any single-line text, or any single-line text at all. */
const addressLike = fc.oneof(
	fc
		.tuple(agentSingleLine(12), agentSingleLine(12), fc.constantFrom('ru', 'com', 'рф'))
		.map(([local, domain, zone]) => `${local}@${domain}.${zone}`),
	agentSingleLine(20),
);

const outgoingEmail: fc.Arbitrary<OutgoingEmail> = fc.record({
	from: addressLike,
	to: addressLike,
	subject: agentSingleLine(40),
	body: anyWellFormedText(80),
	messageId: digits(1, 20),
});

const credential = agentSingleLine(20);

/** A leaf element: no attributes unless expected, no children. */
function expectLeaf(element: XmlElement, name: string, text: string): void {
	expect(element.name).toBe(name);
	expect(element.attributes).toEqual({});
	expect(element.children).toEqual([]);
	expect(element.text).toBe(text);
}

describe('buildEmailRequest, JSON', () => {
	it('writes the document\'s example exactly, key order included', () => {
		const body = buildEmailRequest(
			'json',
			{ login: 'ЛОГИН', password: 'ПАРОЛЬ' },
			{ from: 'test@targetsms.ru', to: 'info@targetsms.ru', subject: 'test', body: 'test', messageId: '2' },
		);
		expect(body).toBe(JSON.stringify(JSON.parse(DOCUMENT_SEND_JSON)));
		expect(body).toBe(
			'{"security":{"login":"ЛОГИН","password":"ПАРОЛЬ"},"from":"test@targetsms.ru",' +
				'"email":{"letter":"dGVzdA==","id_message":"2","to":"info@targetsms.ru","subject":"test"}}',
		);
	});

	it('parses to exactly the given fields, with the body as base64 of its UTF-8 bytes, for any input', () => {
		fc.assert(
			fc.property(credential, credential, outgoingEmail, (login, password, email) => {
				const body = buildEmailRequest('json', { login, password }, email);
				const parsed = JSON.parse(body) as { email: { letter: string } };
				expect(parsed).toStrictEqual({
					security: { login, password },
					from: email.from,
					email: { letter: parsed.email.letter, id_message: email.messageId, to: email.to, subject: email.subject },
				});
				expect(parsed.email.letter).toMatch(BASE64);
				expect(decodeLetter(parsed.email.letter)).toBe(email.body);
			}),
		);
	});

	it('sends as application/json', () => {
		expect(agentContentType('json')).toBe('application/json');
	});
});

describe('buildEmailRequest, XML', () => {
	it('writes the document\'s example exactly, apart from whitespace between elements', () => {
		const body = buildEmailRequest(
			'xml',
			{ login: 'логин', password: 'пароль' },
			{ from: 'test@targetsms.ru', to: 'info@targetsms.ru', subject: 'test', body: 'test', messageId: '2' },
		);
		expect(body).toBe(compactXml(DOCUMENT_SEND_XML));
		expect(body).toBe(
			DECLARATION +
				'<request><security><login>логин</login><password>пароль</password></security><from>test@targetsms.ru</from>' +
				'<email to="info@targetsms.ru" subject="test" id_message="2"><letter>dGVzdA==</letter></email></request>',
		);
	});

	it('escapes markup in the values of a small case', () => {
		const body = buildEmailRequest(
			'xml',
			{ login: 'a<b', password: 'p&"q' },
			{ from: 'x@y.ru', to: '"/><email to="x', subject: 'Re: 5 > 3 & </letter>', body: '</letter>', messageId: '7' },
		);
		expect(body).toBe(
			DECLARATION +
				'<request><security><login>a&lt;b</login><password>p&amp;&quot;q</password></security><from>x@y.ru</from>' +
				'<email to="&quot;/&gt;&lt;email to=&quot;x" subject="Re: 5 &gt; 3 &amp; &lt;/letter&gt;" id_message="7">' +
				'<letter>PC9sZXR0ZXI+</letter></email></request>',
		);
	});

	it('reads back, with an independent strict parser, exactly the given elements and values for any input', () => {
		fc.assert(
			fc.property(credential, credential, outgoingEmail, (login, password, email) => {
				const body = buildEmailRequest('xml', { login, password }, email);
				expect(body.startsWith(DECLARATION)).toBe(true);
				expect(body).not.toMatch(/[\r\n]/);

				const root = parseDocument(body);
				expect(root.name).toBe('request');
				expect(root.attributes).toEqual({});
				expect(root.text).toBe('');
				expect(childNames(root)).toEqual(['security', 'from', 'email']);
				const [security, from, letterElement] = root.children;

				expect(security.attributes).toEqual({});
				expect(security.text).toBe('');
				expect(childNames(security)).toEqual(['login', 'password']);
				expectLeaf(security.children[0], 'login', login);
				expectLeaf(security.children[1], 'password', password);

				expectLeaf(from, 'from', email.from);

				expect(letterElement.attributes).toEqual({ to: email.to, subject: email.subject, id_message: email.messageId });
				expect(letterElement.text).toBe('');
				expect(childNames(letterElement)).toEqual(['letter']);
				const letter = letterElement.children[0];
				expect(letter.attributes).toEqual({});
				expect(letter.children).toEqual([]);
				expect(letter.text).toMatch(BASE64);
				expect(decodeLetter(letter.text)).toBe(email.body);
			}),
		);
	});

	it('sends as UTF-8 XML', () => {
		expect(agentContentType('xml')).toMatch(/^text\/xml; charset=utf-8$/);
	});
});

describe('buildEmailRequest guard', () => {
	const formats: EmailFormat[] = ['json', 'xml'];
	const email: OutgoingEmail = { from: 'shop@example.ru', to: 'client@example.ru', subject: 'Заказ', body: 'x', messageId: '1' };
	const login = { login: 'user', password: 'secret' };

	it('refuses a control character, U+FFFE/U+FFFF or a lone surrogate in the subject, addresses, id or credentials', () => {
		const field = fc.constantFrom('subject', 'from', 'to', 'messageId', 'login', 'password');
		fc.assert(
			fc.property(
				fc.constantFrom(...formats),
				field,
				agentSingleLine(8),
				singleLineForbidden,
				agentSingleLine(8),
				(format, name, before, forbidden, after) => {
					const value = before + forbidden + after;
					fc.pre(findControlCharacter(value) !== undefined);
					const outgoing = { ...email };
					const credentials = { ...login };
					if (name === 'login' || name === 'password') credentials[name] = value;
					else outgoing[name as 'subject'] = value;
					const error = thrownBy(() => buildEmailRequest(format, credentials, outgoing));
					const wireName = { messageId: 'id_message' }[name as 'messageId'] ?? name;
					expect(error.message).toMatch(new RegExp(`^${wireName} has a character U\\+[0-9A-F]{4} at position \\d+`));
				},
			),
		);
	});

	it.each([
		['a line feed', '\n'],
		['a carriage return', '\r'],
		['a tab', '\t'],
		['NUL', '\u0000'],
		['DEL', '\u007F'],
		['NEL', '\u0085'],
	])('refuses %s in the subject, and names its position', (_name, character) => {
		for (const format of formats) {
			expect(() => buildEmailRequest(format, login, { ...email, subject: `ab${character}c` })).toThrow(
				/^subject has a character U\+[0-9A-F]{4} at position 3 /,
			);
		}
	});

	it('never puts the password into its error message', () => {
		const error = thrownBy(() => buildEmailRequest('xml', { login: 'user', password: 'topsecret\u0001' }, email));
		expect(error.message).not.toContain('topsecret');
	});

	it('sends a body with any characters at all, control characters and line breaks included, as base64', () => {
		const body = 'a\u0000b\u0001\r\n\u007F\uFFFE\uFFFF😀\n';
		for (const format of formats) {
			const built = buildEmailRequest(format, login, { ...email, body });
			const letter = format === 'json' ? (JSON.parse(built) as { email: { letter: string } }).email.letter : parseDocument(built).children[2].children[0].text;
			expect(decodeLetter(letter)).toBe(body);
		}
	});
});

describe('buildEmailStatusRequest', () => {
	it('writes the document\'s XML example exactly, apart from whitespace between elements', () => {
		expect(buildEmailStatusRequest('xml', { login: 'логин', password: 'пароль' }, '124')).toBe(compactXml(DOCUMENT_STATUS_XML));
	});

	it('writes the document\'s JSON example exactly', () => {
		expect(buildEmailStatusRequest('json', { login: 'логин', password: 'пароль' }, '124')).toBe(
			JSON.stringify(JSON.parse(DOCUMENT_STATUS_JSON)),
		);
	});

	it('round-trips any credentials and id in both formats', () => {
		fc.assert(
			fc.property(credential, credential, digits(1, 20), (login, password, id) => {
				expect(JSON.parse(buildEmailStatusRequest('json', { login, password }, id))).toStrictEqual({
					security: { login, password },
					id_message: id,
				});
				const root = parseDocument(buildEmailStatusRequest('xml', { login, password }, id));
				expect(root.name).toBe('request');
				expect(childNames(root)).toEqual(['security', 'id_message']);
				expect(root.children[0].children.map((child) => [child.name, child.text])).toEqual([
					['login', login],
					['password', password],
				]);
				expectLeaf(root.children[1], 'id_message', id);
			}),
		);
	});

	it('refuses an id with a control character', () => {
		expect(() => buildEmailStatusRequest('json', { login: 'l', password: 'p' }, '12\n3')).toThrow(/^id_message has a character U\+000A at position 3/);
	});
});
