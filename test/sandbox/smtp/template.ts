import { EmailRefusal } from './body';
import { SmtpSandboxTexts } from './texts';

export const TEMPLATE_KEYS = ['SmsUser', 'Password', 'SourceAddress', 'PhoneNumber'] as const;
export const MAX_PASSWORD_LENGTH = 8;
export const MAX_PHONES = 20;

/** The Email2SMS template as the sandbox read it. */
export interface ParsedTemplate {
	smsUser: string;
	password: string;
	sourceAddress: string;
	phones: string[];
	/** The lines after `PhoneNumber=`, joined with CR LF. */
	text: string;
}

export interface SmsAccount {
	login: string;
	password: string;
}

/**
 * Reads the decoded body strictly: exactly the lines `SmsUser=`, `Password=`, `SourceAddress=`, `PhoneNumber=`
 * (in this order, keys as written in the document, nothing before `=`), then at least one line of text. The body's
 * last CR LF ends the message and is not part of the text. Throws {@link EmailRefusal} with the gateway's words.
 */
export function parseTemplate(body: string, account: SmsAccount): ParsedTemplate {
	const content = body.endsWith('\r\n') ? body.slice(0, -2) : body;
	const lines = content.split('\r\n');
	const values = TEMPLATE_KEYS.map((key, index) => {
		const line = lines[index];
		if (line === undefined || !line.startsWith(`${key}=`)) throw new EmailRefusal(SmtpSandboxTexts.missingLine(index + 1, key));
		return line.slice(key.length + 1);
	});
	const [smsUser, password, sourceAddress, phoneList] = values;
	const text = lines.slice(TEMPLATE_KEYS.length).join('\r\n');

	if ([...password].length > MAX_PASSWORD_LENGTH) throw new EmailRefusal(SmtpSandboxTexts.passwordTooLong(MAX_PASSWORD_LENGTH));
	if (smsUser !== account.login || password !== account.password) throw new EmailRefusal(SmtpSandboxTexts.wrongLogin);
	if (sourceAddress.trim() === '') throw new EmailRefusal(SmtpSandboxTexts.noSender);
	if (phoneList === '') throw new EmailRefusal(SmtpSandboxTexts.noPhones);
	const phones = phoneList.split(',');
	if (phones.length > MAX_PHONES) throw new EmailRefusal(SmtpSandboxTexts.tooManyPhones(MAX_PHONES));
	const wrong = phones.find((phone) => !/^\d{10,15}$/.test(phone));
	if (wrong !== undefined) throw new EmailRefusal(SmtpSandboxTexts.wrongPhone(wrong));
	if (lines.length <= TEMPLATE_KEYS.length || text.trim() === '') throw new EmailRefusal(SmtpSandboxTexts.noText);
	return { smsUser, password, sourceAddress, phones, text };
}
