import type { MessageContent } from '../protocol/sms/types';
import { InputError } from './input-error';
import type { SendTimeContext } from './send-time';
import { assertTimezone, PROVIDER_TIMEZONE, toProviderSendTime } from './send-time';
import { checkInteger, checkText, checkUrl } from './text';

export const CHANNELS = ['sms', 'viber', 'viberThenSms', 'smsThenViber'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Each channel as the provider's send orders: 0 = not used, lower goes first in a cascade. */
export const CHANNEL_ORDERS: Record<Channel, { viberOrder: number; smsOrder: number }> = {
	sms: { viberOrder: 0, smsOrder: 1 },
	viber: { viberOrder: 1, smsOrder: 0 },
	viberThenSms: { viberOrder: 1, smsOrder: 2 },
	smsThenViber: { viberOrder: 2, smsOrder: 1 },
};

export const VIBER_TEXT_MAX = 1000;
export const BUTTON_TEXT_MAX = 19;

export interface MessageInput {
	channel: unknown;
	smsSender?: unknown;
	smsText?: unknown;
	viberSender?: unknown;
	viberText?: unknown;
	deliveryName?: unknown;
	sendAt?: unknown;
	timezone?: unknown;
	buttonText?: unknown;
	buttonUrl?: unknown;
	imageUrl?: unknown;
	viberValidity?: unknown;
	viberReadIsFinal?: unknown;
}

/** Checks one item's message as the document's rules demand; fields of an unused channel are ignored. */
export function checkMessageContent(input: MessageInput, time: Omit<SendTimeContext, 'providerTimezone'>): MessageContent {
	const channel = checkChannel(input.channel);
	const { viberOrder, smsOrder } = CHANNEL_ORDERS[channel];
	const providerTimezone = checkText(input.timezone, 'Timezone', { singleLine: true })?.trim() || PROVIDER_TIMEZONE;
	assertTimezone(providerTimezone, 'Timezone');
	const content: MessageContent = {
		viberOrder,
		smsOrder,
		deliveryName: checkText(input.deliveryName, 'Delivery Name', { singleLine: true }),
		sendTime: toProviderSendTime(input.sendAt, { ...time, providerTimezone }),
	};
	if (smsOrder > 0) {
		content.smsSender = checkText(input.smsSender, 'SMS Sender', { required: true, singleLine: true });
		content.smsText = checkText(input.smsText, 'SMS Text', { required: true });
	}
	if (viberOrder > 0) {
		content.viberSender = checkText(input.viberSender, 'Viber Sender', { required: true, singleLine: true });
		content.viberText = checkText(input.viberText, 'Viber Text', { required: true, maxLength: VIBER_TEXT_MAX });
		content.buttonText = checkText(input.buttonText, 'Button Text', { singleLine: true, maxLength: BUTTON_TEXT_MAX });
		content.buttonUrl = checkUrl(input.buttonUrl, 'Button URL');
		content.imageUrl = checkUrl(input.imageUrl, 'Image URL');
		content.viberValidityMinutes = checkInteger(input.viberValidity, 'Viber Validity (Minutes)', 1, 2_147_483_647);
		content.viberReadIsFinal = checkBoolean(input.viberReadIsFinal, 'Viber Read Is Final');
		checkButton(content);
	}
	return content;
}

function checkChannel(raw: unknown): Channel {
	if (typeof raw === 'string' && (CHANNELS as readonly string[]).includes(raw)) return raw as Channel;
	throw new InputError('Channel', `must be one of ${CHANNELS.join(', ')}, got "${String(raw)}"`);
}

function checkButton(content: MessageContent): void {
	if (content.buttonText !== undefined && content.buttonUrl === undefined) {
		throw new InputError('Button URL', 'is required when Button Text is set');
	}
	if (content.buttonUrl !== undefined && content.buttonText === undefined) {
		throw new InputError('Button Text', 'is required when Button URL is set');
	}
	if (content.imageUrl !== undefined && content.buttonText === undefined) {
		throw new InputError('Image URL', 'needs a button: set Button Text and Button URL as well');
	}
}

function checkBoolean(raw: unknown, field: string): boolean | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (typeof raw === 'boolean') return raw;
	if (raw === 'true' || raw === 1 || raw === '1') return true;
	if (raw === 'false' || raw === 0 || raw === '0') return false;
	throw new InputError(field, `must be true or false, got "${String(raw)}"`);
}
