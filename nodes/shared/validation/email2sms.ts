import { findTemplateLikeLine } from '../protocol/email2sms';
import { InputError } from './input-error';
import { parsePhoneList } from './phones';
import { checkText } from './text';
import { checkWindows1251 } from './windows-1251';

export interface Email2SmsInput {
	phones: unknown;
	sender: unknown;
	text: unknown;
	replaceUnsupported?: unknown;
}

export interface CheckedEmail2Sms {
	/** International digits, duplicates removed, in the order given. */
	phones: string[];
	sender: string;
	/** As it will be sent: line breaks as typed (the builder makes them CR LF), `?` for replaced characters. */
	text: string;
}

const REPLACE_HINT = 'Turn on the option "Replace Unsupported Characters" to send "?" in its place';

/** One item's SMS as the Email2SMS document allows it; throws {@link InputError} naming the field. */
export function checkEmail2Sms(input: Email2SmsInput): CheckedEmail2Sms {
	const replace = input.replaceUnsupported === true || input.replaceUnsupported === 'true';
	const phones = parsePhoneList(input.phones, 'Phones');
	const sender = checkWindows1251(
		checkText(input.sender, 'Sender', { required: true, singleLine: true }) as string,
		'Sender',
	);
	let text = checkText(input.text, 'Text', { required: true }) as string;
	const templateLike = findTemplateLikeLine(text);
	if (templateLike) {
		throw new InputError(
			'Text',
			`line ${templateLike.line} starts with ${visible(templateLike.written)}, which the gateway could read as the ${templateLike.key} line of the Email2SMS template; reword that line`,
		);
	}
	text = checkWindows1251(text, 'Text', { replace, hint: REPLACE_HINT });
	return { phones, sender, text };
}

/** Quoted, with tabs and no-break spaces shown as escapes. */
function visible(text: string): string {
	return JSON.stringify(text).replace(/\u00A0/g, '\\u00A0');
}
