import type { MessageInput } from '../../../nodes/shared/validation/sms-message';
import { CHANNEL_ORDERS, checkMessageContent } from '../../../nodes/shared/validation/sms-message';
import { inputError } from './support';

const TIME = { inputTimezone: 'Europe/Berlin', now: new Date('2026-06-01T00:00:00Z') };

const SMS: MessageInput = { channel: 'sms', smsSender: 'Shop', smsText: 'Ваш заказ готов' };
const VIBER: MessageInput = { channel: 'viber', viberSender: 'Shop', viberText: 'Ваш заказ готов' };
const BOTH = { smsSender: 'Shop', smsText: 'SMS text', viberSender: 'ShopV', viberText: 'Viber text' };

describe('checkMessageContent', () => {
	it.each([
		['sms', 0, 1],
		['viber', 1, 0],
		['viberThenSms', 1, 2],
		['smsThenViber', 2, 1],
	])('maps channel %s to send_viber %i and send_sms %i', (channel, viberOrder, smsOrder) => {
		expect(CHANNEL_ORDERS[channel as keyof typeof CHANNEL_ORDERS]).toEqual({ viberOrder, smsOrder });
		const content = checkMessageContent({ channel, ...BOTH }, TIME);
		expect(content.viberOrder).toBe(viberOrder);
		expect(content.smsOrder).toBe(smsOrder);
	});

	it('refuses an unknown channel', () => {
		for (const channel of ['SMS', 'telegram', '', undefined, 1]) {
			expect(inputError(() => checkMessageContent({ ...BOTH, channel }, TIME)).field).toBe('Channel');
		}
	});

	it('for SMS requires the SMS sender and text and ignores every Viber field, even invalid ones', () => {
		const content = checkMessageContent(
			{
				...SMS,
				viberText: 'x'.repeat(5000),
				viberSender: 'bad\nsender',
				buttonText: 'far too long a button text',
				imageUrl: 'not a url',
				viberValidity: 'forever',
				viberReadIsFinal: 'maybe',
			},
			TIME,
		);
		expect(content).toEqual({
			viberOrder: 0,
			smsOrder: 1,
			deliveryName: undefined,
			sendTime: undefined,
			smsSender: 'Shop',
			smsText: 'Ваш заказ готов',
		});
		expect(inputError(() => checkMessageContent({ ...SMS, smsSender: '' }, TIME)).field).toBe('SMS Sender');
		expect(inputError(() => checkMessageContent({ ...SMS, smsText: undefined }, TIME)).field).toBe('SMS Text');
		expect(inputError(() => checkMessageContent({ ...SMS, smsText: '  \n ' }, TIME)).field).toBe('SMS Text');
	});

	it('for Viber requires the Viber sender and text and ignores the SMS fields', () => {
		const content = checkMessageContent({ ...VIBER, smsText: 'bad \u0001', smsSender: 'bad\tsender' }, TIME);
		expect(content.smsText).toBeUndefined();
		expect(content.smsSender).toBeUndefined();
		expect(content.viberSender).toBe('Shop');
		expect(content.viberText).toBe('Ваш заказ готов');
		expect(inputError(() => checkMessageContent({ ...VIBER, viberSender: undefined }, TIME)).field).toBe('Viber Sender');
		expect(inputError(() => checkMessageContent({ ...VIBER, viberText: '' }, TIME)).field).toBe('Viber Text');
	});

	it.each(['viberThenSms', 'smsThenViber'])('for the cascade %s requires all four fields', (channel) => {
		expect(checkMessageContent({ channel, ...BOTH }, TIME)).toMatchObject({ ...BOTH });
		for (const missing of Object.keys(BOTH)) {
			const input = { channel, ...BOTH, [missing]: '' };
			const field = { smsSender: 'SMS Sender', smsText: 'SMS Text', viberSender: 'Viber Sender', viberText: 'Viber Text' }[missing];
			expect(inputError(() => checkMessageContent(input, TIME)).field).toBe(field);
		}
	});

	it('accepts a Viber text of 1000 characters and refuses 1001', () => {
		expect(checkMessageContent({ ...VIBER, viberText: '😀'.repeat(1000) }, TIME).viberText).toHaveLength(2000);
		expect(checkMessageContent({ ...VIBER, viberText: 'я\r\n'.repeat(500) }, TIME).viberText).toBe('я\r\n'.repeat(500));
		const error = inputError(() => checkMessageContent({ ...VIBER, viberText: 'я'.repeat(1001) }, TIME));
		expect(error.field).toBe('Viber Text');
		expect(error.message).toContain('1000');
	});

	it('accepts a button text of 19 characters and refuses 20', () => {
		const button = { buttonUrl: 'https://shop.example/order' };
		expect(checkMessageContent({ ...VIBER, ...button, buttonText: 'К'.repeat(19) }, TIME).buttonText).toBe('К'.repeat(19));
		expect(inputError(() => checkMessageContent({ ...VIBER, ...button, buttonText: 'К'.repeat(20) }, TIME)).field).toBe(
			'Button Text',
		);
	});

	it('requires a button URL with a button text, and a button text with a button URL', () => {
		expect(inputError(() => checkMessageContent({ ...VIBER, buttonText: 'Открыть' }, TIME)).field).toBe('Button URL');
		expect(inputError(() => checkMessageContent({ ...VIBER, buttonUrl: 'https://shop.example' }, TIME)).field).toBe('Button Text');
	});

	it('requires the button for an image', () => {
		expect(inputError(() => checkMessageContent({ ...VIBER, imageUrl: 'https://shop.example/i.png' }, TIME)).field).toBe('Image URL');
		const content = checkMessageContent(
			{ ...VIBER, imageUrl: 'https://shop.example/i.png', buttonText: 'Открыть', buttonUrl: 'https://shop.example/o' },
			TIME,
		);
		expect(content).toMatchObject({
			imageUrl: 'https://shop.example/i.png',
			buttonText: 'Открыть',
			buttonUrl: 'https://shop.example/o',
		});
	});

	it('checks the button and image URLs', () => {
		const button = { buttonText: 'Открыть' };
		expect(inputError(() => checkMessageContent({ ...VIBER, ...button, buttonUrl: 'javascript:alert(1)' }, TIME)).field).toBe(
			'Button URL',
		);
		expect(
			inputError(() =>
				checkMessageContent({ ...VIBER, ...button, buttonUrl: 'https://shop.example', imageUrl: 'image.png' }, TIME),
			).field,
		).toBe('Image URL');
	});

	it('reads the Viber validity and the read-is-final flag', () => {
		const content = checkMessageContent({ ...VIBER, viberValidity: '120', viberReadIsFinal: 'true' }, TIME);
		expect(content.viberValidityMinutes).toBe(120);
		expect(content.viberReadIsFinal).toBe(true);
		expect(checkMessageContent({ ...VIBER, viberReadIsFinal: false }, TIME).viberReadIsFinal).toBe(false);
		expect(checkMessageContent({ ...VIBER, viberReadIsFinal: 0 }, TIME).viberReadIsFinal).toBe(false);
		expect(checkMessageContent({ ...VIBER }, TIME).viberReadIsFinal).toBeUndefined();
		expect(inputError(() => checkMessageContent({ ...VIBER, viberValidity: 0 }, TIME)).field).toBe('Viber Validity (Minutes)');
		expect(inputError(() => checkMessageContent({ ...VIBER, viberValidity: '1.5' }, TIME)).field).toBe('Viber Validity (Minutes)');
		expect(inputError(() => checkMessageContent({ ...VIBER, viberReadIsFinal: 'yes' }, TIME)).field).toBe('Viber Read Is Final');
	});

	it('keeps the delivery name to a single line', () => {
		expect(checkMessageContent({ ...SMS, deliveryName: 'Осенняя акция' }, TIME).deliveryName).toBe('Осенняя акция');
		expect(inputError(() => checkMessageContent({ ...SMS, deliveryName: 'Осенняя\nакция' }, TIME)).field).toBe('Delivery Name');
	});

	it('keeps senders to a single line of printable text', () => {
		expect(inputError(() => checkMessageContent({ ...SMS, smsSender: 'Shop\n' }, TIME)).field).toBe('SMS Sender');
		expect(inputError(() => checkMessageContent({ ...VIBER, viberSender: '\u0007Shop' }, TIME)).field).toBe('Viber Sender');
	});

	it('writes sendAt in Moscow time, or in the zone the timezone option names', () => {
		expect(checkMessageContent({ ...SMS, sendAt: '2026-11-23T10:00:00Z' }, TIME).sendTime).toBe('2026-11-23 13:00');
		expect(checkMessageContent({ ...SMS, sendAt: '2026-11-23T13:00' }, TIME).sendTime).toBe('2026-11-23 15:00');
		expect(checkMessageContent({ ...SMS, sendAt: '2026-11-23T10:00:00Z', timezone: 'Asia/Yekaterinburg' }, TIME).sendTime).toBe(
			'2026-11-23 15:00',
		);
		expect(checkMessageContent({ ...SMS, sendAt: '2026-11-23T10:00:00Z', timezone: '  ' }, TIME).sendTime).toBe('2026-11-23 13:00');
		expect(checkMessageContent({ ...SMS, sendAt: '' }, TIME).sendTime).toBeUndefined();
	});

	it('refuses an unknown timezone option and a sendAt in the past', () => {
		expect(inputError(() => checkMessageContent({ ...SMS, sendAt: '2026-11-23T10:00:00Z', timezone: 'Moscow' }, TIME)).field).toBe(
			'Timezone',
		);
		expect(inputError(() => checkMessageContent({ ...SMS, sendAt: '2026-05-01T10:00:00Z' }, TIME)).field).toBe('Send At');
	});
});
