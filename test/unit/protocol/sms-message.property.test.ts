import fc from 'fast-check';

import { buildSendRequest } from '../../../nodes/shared/protocol/sms/message';
import type { MessageContent, OutgoingMessage, Recipient } from '../../../nodes/shared/protocol/sms/types';
import { findXmlForbiddenCharacter } from '../../../nodes/shared/protocol/text';
import { CHANNEL_ORDERS } from '../../../nodes/shared/validation/sms-message';
import {
	anyText,
	digits,
	expectedWireText,
	multiLineText,
	singleLineText,
	stripXmlForbidden,
} from '../support/arbitraries';
import type { XmlElement } from '../support/strict-xml';
import { parseDocument, parseObject } from '../support/strict-xml';

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

const orders = fc.oneof(
	fc.constantFrom(...Object.values(CHANNEL_ORDERS)),
	fc.record({ viberOrder: fc.integer({ min: 0, max: 9 }), smsOrder: fc.integer({ min: 0, max: 9 }) }),
);

const contentArbitrary: fc.Arbitrary<MessageContent> = fc
	.record({
		orders,
		deliveryName: optional(singleLineText()),
		sendTime: optional(singleLineText()),
		viberSender: optional(singleLineText()),
		viberText: optional(multiLineText()),
		buttonText: optional(singleLineText()),
		buttonUrl: optional(singleLineText()),
		imageUrl: optional(singleLineText()),
		viberValidityMinutes: optional(fc.integer({ min: 1, max: 2_147_483_647 })),
		viberReadIsFinal: optional(fc.boolean()),
		smsSender: optional(singleLineText()),
		smsText: optional(multiLineText()),
	})
	.map(({ orders: { viberOrder, smsOrder }, ...rest }) => ({ viberOrder, smsOrder, ...rest }));

const recipientArbitrary: fc.Arbitrary<Recipient> = fc.record({
	phone: fc.oneof(digits(10, 15), singleLineText()),
	clientMessageId: fc.oneof(digits(1, 16), singleLineText()),
});

const messageArbitrary: fc.Arbitrary<OutgoingMessage> = fc.record({
	content: contentArbitrary,
	recipients: fc.array(recipientArbitrary, { maxLength: 6 }),
});

/** Login and password: any text but characters XML cannot carry and tab/line breaks (see the separate tests). */
// Credentials are single-line values: the builder refuses any control character in them.
const credentialText = singleLineText(30);

/** The `<message>` children the document expects for this content, in the document's order. */
function expectedFields(content: MessageContent): Array<[string, string]> {
	const fields: Array<[string, string]> = [];
	const put = (name: string, value: string | number | boolean | undefined) => {
		if (value === undefined || value === '') return;
		fields.push([name, typeof value === 'boolean' ? (value ? '1' : '0') : expectedWireText(String(value))]);
	};
	put('send_viber', content.viberOrder);
	put('send_sms', content.smsOrder);
	put('name_delivery', content.deliveryName);
	put('time_send', content.sendTime);
	if (content.viberOrder > 0) {
		put('sender_viber', content.viberSender);
		put('text_viber', content.viberText);
		put('button_text', content.buttonText);
		put('button_url', content.buttonUrl);
		put('image_url', content.imageUrl);
		put('validity_period_viber', content.viberValidityMinutes);
		put('finale_viber_read', content.viberReadIsFinal);
	}
	if (content.smsOrder > 0) {
		put('sender_sms', content.smsSender);
		put('text_sms', content.smsText);
	}
	return fields;
}

function readMessage(message: XmlElement) {
	return {
		fields: message.children
			.filter((child) => child.name !== 'abonent')
			.map((child) => {
				expect(child.children).toEqual([]);
				expect(child.attributes).toEqual({});
				return [child.name, child.text] as [string, string];
			}),
		recipients: message.children
			.filter((child) => child.name === 'abonent')
			.map((child) => {
				expect(child.children).toEqual([]);
				expect(child.text).toBe('');
				return child.attributes;
			}),
		abonentsLast: childIsSuffix(message),
	};
}

function childIsSuffix(message: XmlElement): boolean {
	const first = message.children.findIndex((child) => child.name === 'abonent');
	return first === -1 || message.children.slice(first).every((child) => child.name === 'abonent');
}

describe('buildSendRequest properties', () => {
	it('writes exactly the given messages, fields and recipients, in order, for any text', () => {
		fc.assert(
			fc.property(credentialText, credentialText, fc.array(messageArbitrary, { maxLength: 4 }), (login, password, messages) => {
				const body = buildSendRequest({ login, password }, messages);
				expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
				expect(body).not.toMatch(/[\r\n]/);

				const root = parseDocument(body);
				expect(root.name).toBe('request');
				expect(root.attributes).toEqual({});
				const [security, ...messageElements] = root.children;
				expect(security.name).toBe('security');
				expect(security.children.map((child) => [child.name, child.attributes, child.children.length])).toEqual([
					['login', { value: login }, 0],
					['password', { value: password }, 0],
				]);
				expect(messageElements.map((element) => element.name)).toEqual(messages.map(() => 'message'));

				messageElements.forEach((element, index) => {
					const read = readMessage(element);
					expect(read.abonentsLast).toBe(true);
					expect(read.fields).toEqual(expectedFields(messages[index].content));
					expect(read.recipients).toEqual(
						messages[index].recipients.map(({ phone, clientMessageId }) => ({
							phone: expectedWireText(phone),
							client_id_message: expectedWireText(clientMessageId),
						})),
					);
				});
			}),
		);
	});

	it('yields the same messages and recipients when read as a plain object tree (message/abonent always lists)', () => {
		fc.assert(
			fc.property(fc.array(messageArbitrary, { maxLength: 4 }), (messages) => {
				const document = parseObject(buildSendRequest({ login: 'l', password: 'p' }, messages));
				const request = document.request as Record<string, unknown>;
				const read = (request.message as Array<Record<string, unknown>> | undefined) ?? [];
				expect(read).toHaveLength(messages.length);
				read.forEach((message, index) => {
					const abonents = (message.abonent as Array<Record<string, string>> | undefined) ?? [];
					expect(abonents.map((abonent) => abonent['@_phone'])).toEqual(
						messages[index].recipients.map((recipient) => expectedWireText(recipient.phone)),
					);
					const content = messages[index].content;
					if (content.smsOrder > 0 && content.smsText) {
						expect(message.text_sms).toBe(expectedWireText(content.smsText));
					} else {
						expect(message.text_sms).toBeUndefined();
					}
					if (content.viberOrder > 0 && content.viberText) {
						expect(message.text_viber).toBe(expectedWireText(content.viberText));
					} else {
						expect(message.text_viber).toBeUndefined();
					}
				});
			}),
		);
	});

	it('round-trips texts mixed with markup, entities, quotes, line breaks and surrogate pairs', () => {
		const adversarialText = fc
			.array(
				fc.oneof(
					fc.constantFrom(
						'</text_sms><abonent phone="1"/>',
						'"',
						"'",
						'&',
						'<',
						']]>',
						'\n',
						'\r\n',
						'\r',
						'&amp;',
						'😀',
						'\uD83D\uDE00',
						'\\n',
					),
					fc.string({ unit: 'grapheme', maxLength: 5 }),
				),
				{ minLength: 1, maxLength: 12 },
			)
			.map((pieces) => pieces.join(''));
		fc.assert(
			fc.property(adversarialText, adversarialText, adversarialText, (smsText, viberText, sender) => {
				const singleLine = sender.replace(/[\r\n]/g, '');
				const message: OutgoingMessage = {
					content: { viberOrder: 1, smsOrder: 2, smsText, viberText, smsSender: singleLine, viberSender: singleLine },
					recipients: [
						{ phone: '79001234567', clientMessageId: '1' },
						{ phone: '79001234568', clientMessageId: '2' },
					],
				};
				const body = buildSendRequest({ login: singleLine, password: singleLine }, [message]);
				expect(body).not.toMatch(/[\r\n]/);
				const [security, read] = parseDocument(body).children;
				expect(security.children.map((child) => child.attributes.value)).toEqual([singleLine, singleLine]);
				const fields = Object.fromEntries(read.children.filter((c) => c.name !== 'abonent').map((c) => [c.name, c.text]));
				// An empty value is not written at all (validation refuses an empty required text before this).
				expect(fields.text_sms).toBe(smsText === '' ? undefined : expectedWireText(smsText));
				expect(fields.text_viber).toBe(viberText === '' ? undefined : expectedWireText(viberText));
				expect(fields.sender_sms).toBe(singleLine === '' ? undefined : singleLine);
				expect(read.children.filter((c) => c.name === 'abonent').map((c) => c.attributes)).toEqual([
					{ phone: '79001234567', client_id_message: '1' },
					{ phone: '79001234568', client_id_message: '2' },
				]);
			}),
		);
	});

	it('refuses, rather than writes, any data value holding a character XML 1.0 cannot carry', () => {
		const forbidden = fc.oneof(
			fc.integer({ min: 0, max: 0x1f }).filter((unit) => unit !== 0x09 && unit !== 0x0a && unit !== 0x0d),
			fc.constantFrom(0xfffe, 0xffff),
			fc.integer({ min: 0xd800, max: 0xdfff }),
		);
		const field = fc.constantFrom('smsText', 'smsSender', 'viberText', 'viberSender', 'deliveryName', 'phone', 'clientMessageId');
		fc.assert(
			fc.property(anyText(10), forbidden, anyText(10), field, (before, unit, after, name) => {
				const value = stripXmlForbidden(before) + String.fromCharCode(unit) + stripXmlForbidden(after);
				fc.pre(findXmlForbiddenCharacter(value) !== undefined);
				const content: MessageContent = { viberOrder: 1, smsOrder: 2, smsText: 't', smsSender: 's', viberText: 't', viberSender: 's' };
				const recipient: Recipient = { phone: '79001234567', clientMessageId: '1' };
				if (name === 'phone' || name === 'clientMessageId') recipient[name] = value;
				else content[name as 'smsText'] = value;
				expect(() => buildSendRequest({ login: 'l', password: 'p' }, [{ content, recipients: [recipient] }])).toThrow(
					/at position \d+/,
				);
			}),
		);
	});
});

describe('buildSendRequest credentials', () => {
	const message: OutgoingMessage = {
		content: { viberOrder: 0, smsOrder: 1, smsSender: 'S', smsText: 'T' },
		recipients: [{ phone: '79001234567', clientMessageId: '1' }],
	};

	// XML attribute-value normalisation turns a raw tab, CR or LF inside an attribute into a space, and the
	// document must carry no raw line break at all: such a value must be refused or written as a reference.
	it.each([
		['a line feed', 'pass\nword'],
		['a carriage return and line feed', 'pass\r\nword'],
		['a tab', 'pass\tword'],
	])('never writes a password with %s raw into the document', (_name, password) => {
		let body: string | undefined;
		try {
			body = buildSendRequest({ login: 'user', password }, [message]);
		} catch {
			body = undefined;
		}
		if (body !== undefined) {
			expect(body).not.toMatch(/[\t\r\n]/);
		}
	});

	it('refuses a login or password holding a character XML 1.0 cannot carry', () => {
		expect(() => buildSendRequest({ login: 'user', password: 'pa\u0001ss' }, [message])).toThrow();
		expect(() => buildSendRequest({ login: 'us\uD800er', password: 'pass' }, [message])).toThrow();
	});
});
