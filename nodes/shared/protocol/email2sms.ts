import { decode, encode } from 'iconv-lite';

import type { ForbiddenCharacter } from './text';

/**
 * The Email2SMS document (`003_57476a9823d3a190.txt`): a plain-text email in windows-1251 to the gateway
 * address, whose body is the template's lines, one each, then the text:
 *
 * ```
 * SmsUser=<login>
 * Password=<password, at most 8 characters>
 * SourceAddress=<sender>
 * PhoneNumber=<phone>,<phone>,… (at most 20)
 * <text>
 * ```
 *
 * The document's `==|| … ||==` markers and blank lines only frame the template in the document; they are
 * not part of the body. Pure: no n8n imports, no I/O.
 */

export const EMAIL2SMS_CHARSET = 'windows-1251';
export const EMAIL2SMS_CONTENT_TYPE = `text/plain; charset=${EMAIL2SMS_CHARSET}`;
/**
 * The body goes out as `8bit` (its windows-1251 bytes exactly as the document's template: `=` as `=`, CR LF lines)
 * where the SMTP server offers 8BITMIME; else quoted-printable, as common mail clients send windows-1251 text:
 * 7-bit safe, any line length (a gateway that reads the raw body would then see `=3D` for `=`).
 */
export const EMAIL2SMS_TRANSFER_ENCODING = { eightBitWhereOffered: true, fallback: 'quoted-printable' } as const;
/** The document asks for no subject; a fixed one keeps the email ordinary for spam filters. */
export const EMAIL2SMS_SUBJECT = 'SMS';
export const EMAIL2SMS_DEFAULT_GATEWAY = 'emailtosms@email2smsapi.ru';
/** "Также возможно указание нескольких номеров получателей (до 20)". */
export const EMAIL2SMS_MAX_PHONES = 20;
/** "Параметр Password должен быть менее или равен 8 символам". */
export const EMAIL2SMS_PASSWORD_MAX_LENGTH = 8;
/** The template's keys, in their order; the text follows them. */
export const EMAIL2SMS_TEMPLATE_KEYS = ['SmsUser', 'Password', 'SourceAddress', 'PhoneNumber'] as const;

export const CRLF = '\r\n';
const LINE_BREAK = /\r\n|\r|\n/g;
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const PHONE = /^\d{10,15}$/;
const REPLACEMENT = '?';

export interface Email2SmsAccount {
	/** `SmsUser`: the TargetSMS login. */
	login: string;
	/** `Password`: the TargetSMS password, at most 8 characters. */
	password: string;
}

export interface Email2SmsSms {
	/** `SourceAddress`: the registered sender name. */
	sender: string;
	/** `PhoneNumber`: international digits, 1 to 20 of them. */
	phones: readonly string[];
	/** The SMS text; line breaks of any kind become CR LF. */
	text: string;
}

/** A value the builder cannot put into the template without changing its lines. */
export class Email2SmsTemplateError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'Email2SmsTemplateError';
	}
}

/**
 * The body as text: the template's four lines and the text, every line ended by CR LF (as lines of an email
 * are; a receiver strips the last CR LF with the end of the message). Throws {@link Email2SmsTemplateError}
 * for any value that would add, drop or split a template line, so no input can change the template.
 */
export function buildEmail2SmsBody(account: Email2SmsAccount, sms: Email2SmsSms): string {
	const templateLike = findTemplateLikeLine(sms.text);
	if (templateLike) {
		throw new Email2SmsTemplateError(`Line ${templateLike.line} of the text reads as the template's ${templateLike.key} line`);
	}
	const lines = [
		templateLine('SmsUser', account.login),
		templateLine('Password', account.password),
		templateLine('SourceAddress', sms.sender),
		templateLine('PhoneNumber', phoneList(sms.phones)),
		normaliseLineBreaks(sms.text),
	];
	return lines.join(CRLF) + CRLF;
}

/** The body as the bytes that are sent: windows-1251. Throws for a character windows-1251 cannot carry. */
export function encodeEmail2SmsBody(body: string): Buffer {
	const unsupported = findUnsupportedCharacter(body);
	if (unsupported) {
		throw new Email2SmsTemplateError(`windows-1251 cannot carry the character ${unsupported.codePoint} at position ${unsupported.position}`);
	}
	return encode(body, EMAIL2SMS_CHARSET);
}

/** Reads windows-1251 bytes back (for tests and the sandbox). */
export function decodeWindows1251(bytes: Uint8Array): string {
	return decode(bytes, EMAIL2SMS_CHARSET);
}

/** Phones in groups of at most {@link EMAIL2SMS_MAX_PHONES}, in order: 45 phones → 20, 20, 5. */
export function splitPhones<T>(phones: readonly T[], groupSize = EMAIL2SMS_MAX_PHONES): T[][] {
	if (!Number.isInteger(groupSize) || groupSize < 1) throw new RangeError(`Invalid group size ${groupSize}`);
	const groups: T[][] = [];
	for (let start = 0; start < phones.length; start += groupSize) groups.push(phones.slice(start, start + groupSize));
	return groups;
}

/** LF, CR LF and CR all become CR LF, the line break of an email body. */
export function normaliseLineBreaks(text: string): string {
	return text.replace(LINE_BREAK, CRLF);
}

/** The characters windows-1251 carries: its 255 defined bytes (0x98 is undefined), decoded once. */
const WINDOWS_1251_CHARACTERS: ReadonlySet<string> = new Set(
	[...decode(Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), EMAIL2SMS_CHARSET)].filter(
		(character) => character !== '\uFFFD',
	),
);

export function isWindows1251Character(character: string): boolean {
	return WINDOWS_1251_CHARACTERS.has(character);
}

export interface UnsupportedCharacter extends ForbiddenCharacter {
	/** The character itself (a whole code point; a lone surrogate as it is). */
	character: string;
}

/** The first character windows-1251 cannot carry; position is 1-based in code points, as a user counts. */
export function findUnsupportedCharacter(text: string): UnsupportedCharacter | undefined {
	let position = 0;
	for (const character of text) {
		position++;
		if (!WINDOWS_1251_CHARACTERS.has(character)) {
			return {
				position,
				character,
				codePoint: 'U+' + (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0'),
			};
		}
	}
	return undefined;
}

/** Every character windows-1251 cannot carry becomes `?` (one per code point, so an emoji is one `?`). */
export function replaceUnsupportedCharacters(text: string): { text: string; replaced: number } {
	let replaced = 0;
	let result = '';
	for (const character of text) {
		if (WINDOWS_1251_CHARACTERS.has(character)) {
			result += character;
		} else {
			result += REPLACEMENT;
			replaced++;
		}
	}
	return { text: result, replaced };
}

/**
 * A line the gateway could take for a template line: one of the keys in any letter case, with any spaces or tabs
 * (and no-break spaces, which windows-1251 carries and some readers trim) before and after it, then `=`.
 */
const TEMPLATE_LIKE_LINE = new RegExp(`^[ \\t\\u00A0]*(${EMAIL2SMS_TEMPLATE_KEYS.join('|')})[ \\t\\u00A0]*=`, 'i');

export interface TemplateLikeLine {
	/** 1-based line number in the text. */
	line: number;
	/** The template key as the document writes it, e.g. `PhoneNumber`. */
	key: (typeof EMAIL2SMS_TEMPLATE_KEYS)[number];
	/** The line's start as written, up to and including the `=`, e.g. `  phonenumber =`. */
	written: string;
}

/**
 * The first line of the text that reads as a template line (see {@link TEMPLATE_LIKE_LINE}), if any: a receiver
 * that looks for its keys anywhere in the body could take such a line for part of the template.
 */
export function findTemplateLikeLine(text: string): TemplateLikeLine | undefined {
	const lines = text.split(LINE_BREAK);
	for (const [index, line] of lines.entries()) {
		const match = TEMPLATE_LIKE_LINE.exec(line);
		if (match) {
			const key = EMAIL2SMS_TEMPLATE_KEYS.find((candidate) => candidate.toLowerCase() === match[1].toLowerCase());
			if (key) return { line: index + 1, key, written: match[0] };
		}
	}
	return undefined;
}

/** {@link findTemplateLikeLine} without the written form. */
export function templateKeyAtLineStart(text: string): Omit<TemplateLikeLine, 'written'> | undefined {
	const found = findTemplateLikeLine(text);
	return found && { line: found.line, key: found.key };
}

function templateLine(key: (typeof EMAIL2SMS_TEMPLATE_KEYS)[number], value: string): string {
	if (SINGLE_LINE_FORBIDDEN.test(value)) {
		throw new Email2SmsTemplateError(`${key} must be a single line of printable text`);
	}
	return `${key}=${value}`;
}

function phoneList(phones: readonly string[]): string {
	if (phones.length === 0) throw new Email2SmsTemplateError('PhoneNumber needs at least one phone');
	if (phones.length > EMAIL2SMS_MAX_PHONES) {
		throw new Email2SmsTemplateError(`PhoneNumber takes at most ${EMAIL2SMS_MAX_PHONES} phones, got ${phones.length}`);
	}
	for (const phone of phones) {
		if (!PHONE.test(phone)) throw new Email2SmsTemplateError('PhoneNumber takes phones of 10 to 15 digits only');
	}
	return phones.join(',');
}
