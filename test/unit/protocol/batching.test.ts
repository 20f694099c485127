import fc from 'fast-check';

import type { ItemMessage, PlannedMessage } from '../../../nodes/shared/protocol/sms/batching';
import { MAX_REQUEST_BYTES, estimateContentBytes, planRequests } from '../../../nodes/shared/protocol/sms/batching';
import { buildSendRequest } from '../../../nodes/shared/protocol/sms/message';
import type { MessageContent, Recipient } from '../../../nodes/shared/protocol/sms/types';
import { CHANNEL_ORDERS } from '../../../nodes/shared/validation/sms-message';
import { digits, multiLineText, singleLineText } from '../support/arbitraries';
import { parseObject } from '../support/strict-xml';

const LOGIN = { login: 'shop-account', password: 'S3cret&"pass' };

const recipient = (index: number): Recipient => ({
	phone: String(79_000_000_000 + index),
	clientMessageId: String(4_503_599_627_370_000 + index),
});

const SMS_CONTENT: MessageContent = { viberOrder: 0, smsOrder: 1, smsSender: 'Shop', smsText: 'Ваш заказ готов' };

const contentArbitrary: fc.Arbitrary<MessageContent> = fc
	.record({
		orders: fc.constantFrom(...Object.values(CHANNEL_ORDERS)),
		deliveryName: fc.option(singleLineText(), { nil: undefined }),
		viberSender: singleLineText(),
		viberText: multiLineText(200),
		buttonText: fc.option(singleLineText(), { nil: undefined }),
		viberReadIsFinal: fc.option(fc.boolean(), { nil: undefined }),
		smsSender: singleLineText(),
		smsText: multiLineText(200),
	})
	.map(({ orders, ...rest }) => ({ ...orders, ...rest }));

/** Items with distinct recipients, as the node hands them over (phones digits, ids digits). */
const itemsArbitrary: fc.Arbitrary<ItemMessage[]> = fc
	.array(fc.record({ content: contentArbitrary, count: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 8 })
	.chain((specs) =>
		fc
			.tuple(...specs.map((spec) => fc.array(fc.tuple(digits(10, 15), digits(1, 16)), { minLength: spec.count, maxLength: spec.count })))
			.map((recipientLists) =>
				specs.map((spec, itemIndex) => ({
					itemIndex,
					content: spec.content,
					recipients: recipientLists[itemIndex].map(([phone, clientMessageId]) => ({ phone, clientMessageId })),
				})),
			),
	);

function flatten(plan: PlannedMessage[][]): Array<[number, Recipient]> {
	return plan.flatMap((request) => request.flatMap((message) => message.recipients.map((r) => [message.itemIndex, r] as [number, Recipient])));
}

function expectedFlat(items: ItemMessage[]): Array<[number, Recipient]> {
	return items.flatMap((item) => item.recipients.map((r) => [item.itemIndex, r] as [number, Recipient]));
}

const recipientsIn = (request: PlannedMessage[]) => request.reduce((sum, message) => sum + message.recipients.length, 0);

describe('planRequests', () => {
	it('sends every recipient of every item exactly once, in order, paired to its item', () => {
		fc.assert(
			fc.property(itemsArbitrary, fc.integer({ min: 1, max: 60 }), (items, maxRecipients) => {
				const plan = planRequests(items, { maxRecipients, maxBytes: MAX_REQUEST_BYTES });
				expect(flatten(plan)).toEqual(expectedFlat(items));
			}),
		);
	});

	it('never puts more recipients in a request than allowed, and uses as few requests as that allows', () => {
		fc.assert(
			fc.property(itemsArbitrary, fc.integer({ min: 1, max: 60 }), (items, maxRecipients) => {
				const plan = planRequests(items, { maxRecipients, maxBytes: MAX_REQUEST_BYTES });
				const total = items.reduce((sum, item) => sum + item.recipients.length, 0);
				for (const request of plan) {
					expect(request.length).toBeGreaterThan(0);
					expect(recipientsIn(request)).toBeLessThanOrEqual(maxRecipients);
				}
				expect(plan).toHaveLength(Math.ceil(total / maxRecipients));
			}),
		);
	});

	it('keeps items in order and splits an item only into messages with identical content and at least one recipient', () => {
		fc.assert(
			fc.property(itemsArbitrary, fc.integer({ min: 1, max: 60 }), (items, maxRecipients) => {
				const plan = planRequests(items, { maxRecipients, maxBytes: MAX_REQUEST_BYTES });
				const messages = plan.flat();
				const order = messages.map((message) => message.itemIndex);
				expect([...order].sort((a, b) => a - b)).toEqual(order);
				for (const message of messages) {
					expect(message.recipients.length).toBeGreaterThan(0);
					expect(message.content).toEqual(items[message.itemIndex].content);
				}
				// An item appears at most once per request: a split continues in the next request.
				for (const request of plan) {
					const indexes = request.map((message) => message.itemIndex);
					expect(new Set(indexes).size).toBe(indexes.length);
				}
			}),
		);
	});

	it('keeps each built request body within maxBytes whenever one message with one recipient fits', () => {
		fc.assert(
			fc.property(
				itemsArbitrary,
				fc.integer({ min: 1, max: 200 }),
				fc.double({ min: 1, max: 8, noNaN: true }),
				(items, maxRecipients, factor) => {
					const single = Math.max(
						...items.map((item) =>
							Buffer.byteLength(buildSendRequest(LOGIN, [{ content: item.content, recipients: [{ phone: '123456789012345', clientMessageId: '1234567890123456' }] }])),
						),
					);
					const maxBytes = Math.ceil(single * factor);
					const plan = planRequests(items, { maxRecipients, maxBytes });
					expect(flatten(plan)).toEqual(expectedFlat(items));
					for (const request of plan) {
						const body = buildSendRequest(LOGIN, request);
						expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(maxBytes);
					}
				},
			),
		);
	});

	it('splits an item that does not fit by size into several messages with the same content, each request within the limit', () => {
		const content: MessageContent = { viberOrder: 0, smsOrder: 1, smsSender: 'Shop', smsText: 'Скидка & <подарок> '.repeat(20) };
		const recipients = Array.from({ length: 300 }, (_, index) => recipient(index));
		const maxBytes = 8_000;
		const plan = planRequests([{ itemIndex: 0, content, recipients }], { maxRecipients: 10_000, maxBytes });
		expect(plan.length).toBeGreaterThan(1);
		expect(plan.every((request) => request.length === 1 && request[0].content === content)).toBe(true);
		expect(flatten(plan).map(([, r]) => r)).toEqual(recipients);
		for (const request of plan) {
			expect(Buffer.byteLength(buildSendRequest(LOGIN, request))).toBeLessThanOrEqual(maxBytes);
		}
	});

	it('sends 1200 recipients of one item with batch 500 in 3 requests of 500, 500 and 200', () => {
		const recipients = Array.from({ length: 1200 }, (_, index) => recipient(index));
		const plan = planRequests([{ itemIndex: 0, content: SMS_CONTENT, recipients }], {
			maxRecipients: 500,
			maxBytes: MAX_REQUEST_BYTES,
		});
		expect(plan.map((request) => request.map((message) => message.recipients.length))).toEqual([[500], [500], [200]]);
		expect(flatten(plan).map(([, r]) => r)).toEqual(recipients);
	});

	it('sends 1200 items of one recipient each with batch 500 in 3 requests', () => {
		const items = Array.from({ length: 1200 }, (_, index) => ({ itemIndex: index, content: SMS_CONTENT, recipients: [recipient(index)] }));
		const plan = planRequests(items, { maxRecipients: 500, maxBytes: MAX_REQUEST_BYTES });
		expect(plan.map((request) => request.length)).toEqual([500, 500, 200]);
		expect(flatten(plan)).toEqual(expectedFlat(items));
	});

	it('drops nothing and adds nothing when an item has no recipients', () => {
		const plan = planRequests(
			[
				{ itemIndex: 0, content: SMS_CONTENT, recipients: [recipient(0)] },
				{ itemIndex: 1, content: SMS_CONTENT, recipients: [] },
				{ itemIndex: 2, content: SMS_CONTENT, recipients: [recipient(2)] },
			],
			{ maxRecipients: 500, maxBytes: MAX_REQUEST_BYTES },
		);
		expect(plan).toHaveLength(1);
		expect(plan[0].map((message) => message.itemIndex)).toEqual([0, 2]);
		expect(planRequests([], { maxRecipients: 500, maxBytes: MAX_REQUEST_BYTES })).toEqual([]);
	});

	it('estimates a message\'s content no lower than its written size', () => {
		fc.assert(
			fc.property(contentArbitrary, (content) => {
				const withMessage = Buffer.byteLength(buildSendRequest(LOGIN, [{ content, recipients: [] }]));
				const without = Buffer.byteLength(buildSendRequest(LOGIN, []));
				expect(estimateContentBytes(content)).toBeGreaterThanOrEqual(withMessage - without);
			}),
		);
	});
});

describe('the design figure: 500 recipients with short Cyrillic texts', () => {
	// One CRM item per customer, each with its own short Cyrillic text: every <message> repeats its text.
	const items: ItemMessage[] = Array.from({ length: 500 }, (_, index) => ({
		itemIndex: index,
		content: {
			viberOrder: 0,
			smsOrder: 1,
			smsSender: 'TargetSMS',
			smsText: `Здравствуйте, Анна! Ваш заказ №${100_000 + index} собран и ждёт вас в пункте выдачи до 25 ноября.`,
		},
		recipients: [recipient(index)],
	}));
	const plan = planRequests(items, { maxRecipients: 500, maxBytes: MAX_REQUEST_BYTES });
	const body = buildSendRequest(LOGIN, plan[0] ?? []);
	const kilobytes = Math.round(Buffer.byteLength(body, 'utf8') / 1000);

	it(`fits in one request whose body is about ${kilobytes} KB (the design says ≈ 180 KB), well under 1 MB`, () => {
		expect(plan).toHaveLength(1);
		expect(plan[0]).toHaveLength(500);
		const bytes = Buffer.byteLength(body, 'utf8');
		expect(bytes).toBeLessThan(MAX_REQUEST_BYTES);
		expect(bytes).toBeGreaterThan(100_000);
		expect(bytes).toBeLessThan(300_000);
		const request = parseObject(body).request as { message: Array<{ abonent: Array<Record<string, string>>; text_sms: string }> };
		expect(request.message).toHaveLength(500);
		expect(request.message.map((message) => message.abonent[0]['@_phone'])).toEqual(items.map((item) => item.recipients[0].phone));
		expect(request.message[7].text_sms).toBe(items[7].content.smsText);
	});
});
