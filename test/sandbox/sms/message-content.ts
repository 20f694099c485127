import { parseMoscowMinute, startOfMinute } from '../moscow-time';
import { SandboxTexts } from '../texts';
import type { XmlElement } from '../xml/element';

/** One `<message>` as the provider understands it, shared by all of its recipients. */
export interface MessageContent {
	viberOrder: number;
	smsOrder: number;
	nameDelivery?: string;
	timeSend?: string;
	senderViber?: string;
	textViber?: string;
	buttonText?: string;
	buttonUrl?: string;
	imageUrl?: string;
	validityPeriodViber: number;
	finaleViberRead: boolean;
	senderSms?: string;
	textSms?: string;
}

export type MessageReading =
	| { ok: true; content: MessageContent; abonents: XmlElement[] }
	| { ok: false; error: string };

/** Fields of `<message>` that hold text for the subscriber: "\n" in them means a line break. */
const TEXT_FIELDS = ['name_delivery', 'sender_viber', 'text_viber', 'button_text', 'sender_sms', 'text_sms'] as const;
/** Fields of `<message>` read verbatim. */
const VERBATIM_FIELDS = [
	'send_viber',
	'send_sms',
	'time_send',
	'button_url',
	'image_url',
	'validity_period_viber',
	'finale_viber_read',
] as const;
type FieldName = (typeof TEXT_FIELDS)[number] | (typeof VERBATIM_FIELDS)[number];
const FIELD_NAMES: ReadonlySet<string> = new Set<string>([...TEXT_FIELDS, ...VERBATIM_FIELDS]);
const TEXT_FIELD_NAMES: ReadonlySet<string> = new Set<string>(TEXT_FIELDS);

const VIBER_TEXT_LIMIT = 1000;
const BUTTON_TEXT_LIMIT = 19;
const DEFAULT_VALIDITY_MINUTES = 60;

class MessageRefusal extends Error {}

/** The document: line breaks inside data are written as the two characters "\n". */
export function decodeLineBreaks(text: string): string {
	return text.replaceAll('\\n', '\n');
}

function characterCount(text: string): number {
	return [...text].length;
}

function nonBlank(value: string | undefined): boolean {
	return value !== undefined && value.trim() !== '';
}

/** Text of a field that must hold nothing but text. */
function leafText(element: XmlElement): string {
	if (element.hasChildren() || element.attributes().size > 0) {
		throw new MessageRefusal(SandboxTexts.textOnlyElement(element.name));
	}
	return element.text();
}

/** Reads the known fields (an empty element counts as absent) and refuses unknown or repeated ones. */
function readFields(message: XmlElement): Map<FieldName, string> {
	if (message.attributes().size > 0) {
		throw new MessageRefusal(SandboxTexts.unexpectedAttributes(message.name));
	}
	if (message.hasSignificantText()) {
		throw new MessageRefusal(SandboxTexts.unexpectedText(message.name));
	}
	const fields = new Map<FieldName, string>();
	for (const name of message.childNames()) {
		if (name === 'abonent') {
			continue;
		}
		if (!FIELD_NAMES.has(name)) {
			throw new MessageRefusal(SandboxTexts.unknownMessageElement(name));
		}
		const elements = message.children(name);
		if (elements.length > 1) {
			throw new MessageRefusal(SandboxTexts.repeatedMessageElement(name));
		}
		const raw = leafText(elements[0]);
		if (raw !== '') {
			fields.set(name as FieldName, TEXT_FIELD_NAMES.has(name) ? decodeLineBreaks(raw) : raw);
		}
	}
	return fields;
}

function channelOrder(fields: Map<FieldName, string>, name: 'send_viber' | 'send_sms'): number {
	const value = fields.get(name);
	if (value === undefined) {
		return 0;
	}
	if (!/^[0-9]$/.test(value)) {
		throw new MessageRefusal(SandboxTexts.wrongChannelOrder(name));
	}
	return Number(value);
}

function validityMinutes(value: string | undefined): number {
	if (value === undefined) {
		return DEFAULT_VALIDITY_MINUTES;
	}
	const minutes = Number(value);
	if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(minutes) || minutes < 1) {
		throw new MessageRefusal(SandboxTexts.wrongValidityPeriod);
	}
	return minutes;
}

function finaleViberRead(value: string | undefined): boolean {
	if (value !== undefined && value !== '0' && value !== '1') {
		throw new MessageRefusal(SandboxTexts.wrongFinaleViberRead);
	}
	return value === '1';
}

function assertTimeSend(value: string | undefined, now: Date): void {
	if (value === undefined) {
		return;
	}
	const at = parseMoscowMinute(value);
	if (at === undefined) {
		throw new MessageRefusal(SandboxTexts.wrongTimeSend);
	}
	if (at < startOfMinute(now)) {
		throw new MessageRefusal(SandboxTexts.timeSendInPast);
	}
}

function assertChannelFields(content: MessageContent): void {
	if (content.viberOrder === 0 && content.smsOrder === 0) {
		throw new MessageRefusal(SandboxTexts.noChannel);
	}
	if (content.viberOrder > 0 && !nonBlank(content.senderViber)) {
		throw new MessageRefusal(SandboxTexts.noViberSender);
	}
	if (content.viberOrder > 0 && !nonBlank(content.textViber)) {
		throw new MessageRefusal(SandboxTexts.noViberText);
	}
	if (content.smsOrder > 0 && !nonBlank(content.senderSms)) {
		throw new MessageRefusal(SandboxTexts.noSmsSender);
	}
	if (content.smsOrder > 0 && !nonBlank(content.textSms)) {
		throw new MessageRefusal(SandboxTexts.noSmsText);
	}
}

function assertViberExtras(content: MessageContent): void {
	if (content.textViber !== undefined && characterCount(content.textViber) > VIBER_TEXT_LIMIT) {
		throw new MessageRefusal(SandboxTexts.viberTextTooLong);
	}
	if (content.buttonText !== undefined && characterCount(content.buttonText) > BUTTON_TEXT_LIMIT) {
		throw new MessageRefusal(SandboxTexts.buttonTextTooLong);
	}
	if (content.buttonText !== undefined && content.buttonUrl === undefined) {
		throw new MessageRefusal(SandboxTexts.buttonTextWithoutUrl);
	}
	if (content.buttonUrl !== undefined && content.buttonText === undefined) {
		throw new MessageRefusal(SandboxTexts.buttonUrlWithoutText);
	}
	if (content.imageUrl !== undefined && content.buttonText === undefined) {
		throw new MessageRefusal(SandboxTexts.imageWithoutButton);
	}
}

function readContent(message: XmlElement, now: Date): MessageContent {
	const fields = readFields(message);
	const content: MessageContent = {
		viberOrder: channelOrder(fields, 'send_viber'),
		smsOrder: channelOrder(fields, 'send_sms'),
		nameDelivery: fields.get('name_delivery'),
		timeSend: fields.get('time_send'),
		senderViber: fields.get('sender_viber'),
		textViber: fields.get('text_viber'),
		buttonText: fields.get('button_text'),
		buttonUrl: fields.get('button_url'),
		imageUrl: fields.get('image_url'),
		validityPeriodViber: validityMinutes(fields.get('validity_period_viber')),
		finaleViberRead: finaleViberRead(fields.get('finale_viber_read')),
		senderSms: fields.get('sender_sms'),
		textSms: fields.get('text_sms'),
	};
	assertChannelFields(content);
	assertViberExtras(content);
	assertTimeSend(content.timeSend, now);
	return content;
}

function readAbonentElements(message: XmlElement): XmlElement[] {
	const abonents = message.children('abonent');
	if (abonents.length === 0) {
		throw new MessageRefusal(SandboxTexts.noAbonents);
	}
	if (abonents.some((abonent) => abonent.hasChildren() || abonent.hasSignificantText())) {
		throw new MessageRefusal(SandboxTexts.abonentNotEmpty);
	}
	return abonents;
}

/**
 * Checks one `<message>` the way the provider would before accepting any of its recipients; a
 * failure refuses the whole message with one error text.
 */
export function readMessage(message: XmlElement, now: Date): MessageReading {
	try {
		const content = readContent(message, now);
		return { ok: true, content, abonents: readAbonentElements(message) };
	} catch (error) {
		if (error instanceof MessageRefusal) {
			return { ok: false, error: error.message };
		}
		throw error;
	}
}
