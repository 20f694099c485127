import {
	assertJsonKeys,
	idMember,
	isJsonObject,
	type JsonObject,
	stringMember,
} from '../apiagent/json-request';
import { childText } from '../apiagent/xml-request';
import { RequestRefusal } from '../http/refusal';
import type { EmailDraft, SandboxEmail, SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import type { XmlElement } from '../xml/element';
import { isEmailAddress, sameAddress } from './address';
import type { EmailFunction } from './function';
import { decodeLetter } from './letter';
import type { EmailFormat } from './reply';

/** The send request's values as given, before any check of their content. */
interface SendFields {
	from?: string;
	/** Whether `<email>` / `"email"` is there at all. */
	hasEmail: boolean;
	to?: string;
	subject?: string;
	idMessage?: string;
	letter?: string;
}

const EMAIL_ATTRIBUTES: readonly string[] = ['to', 'subject', 'id_message'];
const EMAIL_KEYS: readonly string[] = ['letter', 'id_message', 'to', 'subject'];
const DECIMAL_NUMBER = /^[0-9]+$/;
const LINE_BREAK = /[\r\n]/;

function readEmailElement(email: XmlElement): Omit<SendFields, 'from' | 'hasEmail'> {
	const attributes = email.attributes();
	const unknownAttribute = [...attributes.keys()].find((name) => !EMAIL_ATTRIBUTES.includes(name));
	if (unknownAttribute !== undefined) {
		throw new RequestRefusal(SandboxTexts.unknownAttributeOf(unknownAttribute, 'email'));
	}
	if (email.hasSignificantText()) {
		throw new RequestRefusal(SandboxTexts.unexpectedText('email'));
	}
	for (const name of email.childNames()) {
		if (name !== 'letter') {
			throw new RequestRefusal(SandboxTexts.unknownElementIn(name, 'email'));
		}
		if (email.children(name).length > 1) {
			throw new RequestRefusal(SandboxTexts.repeatedElementIn(name, 'email'));
		}
	}
	return {
		to: attributes.get('to'),
		subject: attributes.get('subject'),
		idMessage: attributes.get('id_message'),
		letter: childText(email, 'letter'),
	};
}

function readXml(request: XmlElement): SendFields {
	const from = childText(request, 'from');
	const email = request.children('email')[0];
	return email === undefined ? { from, hasEmail: false } : { from, hasEmail: true, ...readEmailElement(email) };
}

function readJson(request: JsonObject): SendFields {
	const from = stringMember(request, 'from');
	const email = request.email;
	if (email === undefined || email === null) {
		return { from, hasEmail: false };
	}
	if (!isJsonObject(email)) {
		throw new RequestRefusal(SandboxTexts.wrongFieldType('email', 'объектом'));
	}
	assertJsonKeys(email, EMAIL_KEYS, 'email.');
	return {
		from,
		hasEmail: true,
		to: stringMember(email, 'to', 'email.to'),
		subject: stringMember(email, 'subject', 'email.subject'),
		idMessage: idMember(email, 'id_message', SandboxTexts.wrongIdMessage, 'email.id_message'),
		letter: stringMember(email, 'letter', 'email.letter'),
	};
}

function required(value: string | undefined, missing: string): string {
	if (value === undefined || value === '') {
		throw new RequestRefusal(missing);
	}
	return value;
}

/** Checks the values in document order: from, email, to, subject, id_message, letter. */
function checkedContent(fields: SendFields, store: SandboxStore): Omit<EmailDraft, 'format' | 'requestIndex'> {
	const from = required(fields.from, SandboxTexts.noFrom);
	if (!sameAddress(from, store.account.emailFrom)) {
		throw new RequestRefusal(SandboxTexts.unregisteredFrom(from));
	}
	if (!fields.hasEmail) {
		throw new RequestRefusal(SandboxTexts.noEmail);
	}
	const to = required(fields.to, SandboxTexts.noRecipient);
	if (!isEmailAddress(to)) {
		throw new RequestRefusal(SandboxTexts.wrongRecipient(to));
	}
	const subject = required(fields.subject, SandboxTexts.noSubject);
	if (subject.trim() === '') {
		throw new RequestRefusal(SandboxTexts.noSubject);
	}
	if (LINE_BREAK.test(subject)) {
		throw new RequestRefusal(SandboxTexts.subjectLineBreak);
	}
	const messageId = required(fields.idMessage, SandboxTexts.noIdMessage);
	if (!DECIMAL_NUMBER.test(messageId)) {
		throw new RequestRefusal(SandboxTexts.wrongIdMessage(messageId));
	}
	const body = decodeLetter(required(fields.letter, SandboxTexts.noLetter));
	return { messageId, from, to, subject, body };
}

function accept(fields: SendFields, format: EmailFormat, store: SandboxStore, requestIndex: number): SandboxEmail {
	return store.acceptEmail({ ...checkedContent(fields, store), format, requestIndex });
}

/**
 * `POST /clients/api.php`: one letter per request. Every request that passes the checks is sent,
 * even with an id_message used before (the document promises no de-duplication).
 */
export function sendEmailFunction(store: SandboxStore): EmailFunction {
	return {
		members: ['from', 'email'],
		xml: (request, origin) => {
			const email = accept(readXml(request), 'xml', store, origin.index);
			return {
				success: {
					'@_message_id': email.messageId,
					'@_external_message_id': String(email.externalMessageId),
					'#text': SandboxTexts.emailProcessed,
				},
			};
		},
		json: (request, origin) => {
			const email = accept(readJson(request), 'json', store, origin.index);
			return { message_id: email.messageId, external_message_id: String(email.externalMessageId) };
		},
	};
}
