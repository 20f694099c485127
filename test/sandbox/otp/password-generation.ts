import { assertXmlAuthenticated, assertXmlRequestElements, childText, parseApiagentXmlRequest } from '../apiagent/xml-request';
import { contentTypeOf, isUtf8ContentType } from '../http/body';
import { type SandboxReply, type SandboxRequest, XML_CONTENT_TYPE } from '../http/exchange';
import { RequestRefusal } from '../http/refusal';
import type { RouteHandler } from '../http/router';
import type { SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import { type BuildValue, buildXmlDocument } from '../xml/document';
import type { XmlElement } from '../xml/element';
import { generateCode } from './code';
import { decodeLineBreaks } from '../sms/message-content';

export const PASSWORD_GENERATION_PATH = '/password_generation/api.php';

export const OTP_DEFAULT_CODE_LENGTH = 4;
/**
 * The document gives no range for `random_string_len` ("the number of digits in the code", default 4), and public
 * clients send others (the provider's WordPress plugin defaults to 6): any whole number from 1 is accepted. The cap
 * only keeps a typo from making the sandbox build a code of millions of digits; it is not the provider's rule. The
 * OTP node's own 4–8 is the node's choice, checked by the node, not here.
 */
export const OTP_MIN_CODE_LENGTH = 1;
export const OTP_SANDBOX_MAX_CODE_LENGTH = 1000;

/**
 * The number in international form, with the `+` the document's example shows (`+79001234567`) or without it, as
 * the provider's own WordPress plugin sends it (digits only).
 */
const INTERNATIONAL_PHONE = /^\+?([0-9]{10,15})$/;
const DECIMAL_NUMBER = /^[0-9]+$/;
/** Numbers the sandbox treats as not existing: the operator answers `not_valid_phone`. */
const INVALID_PHONE_SUFFIX = '000000';

/** The request's values after the checks. */
interface OtpRequest {
	/** Digits only. */
	phone: string;
	sender: string;
	codeLength: number;
	text: string;
}

function xmlReply(content: BuildValue, status = 200, headers?: Record<string, string>): SandboxReply {
	return { status, contentType: XML_CONTENT_TYPE, body: buildXmlDocument('response', content, 'selfClosing'), headers };
}

/** An element that is absent or empty counts as not given. */
function optionalText(request: XmlElement, name: string): string | undefined {
	const text = childText(request, name);
	return text === '' ? undefined : text;
}

function readPhone(request: XmlElement): string {
	const phone = optionalText(request, 'phone');
	if (phone === undefined) {
		throw new RequestRefusal(SandboxTexts.otpNoPhone);
	}
	const digits = INTERNATIONAL_PHONE.exec(phone)?.[1];
	if (digits === undefined) {
		throw new RequestRefusal(SandboxTexts.otpWrongPhone);
	}
	return digits;
}

function readSender(request: XmlElement): string {
	const sender = optionalText(request, 'sender');
	if (sender === undefined || sender.trim() === '') {
		throw new RequestRefusal(SandboxTexts.otpNoSender);
	}
	return sender;
}

function readCodeLength(request: XmlElement): number {
	const text = optionalText(request, 'random_string_len');
	if (text === undefined) {
		return OTP_DEFAULT_CODE_LENGTH;
	}
	const length = Number(text);
	if (!DECIMAL_NUMBER.test(text) || length < OTP_MIN_CODE_LENGTH || length > OTP_SANDBOX_MAX_CODE_LENGTH) {
		throw new RequestRefusal(SandboxTexts.otpWrongCodeLength);
	}
	return length;
}

function readText(request: XmlElement): string {
	const raw = optionalText(request, 'text');
	const text = raw === undefined ? SandboxTexts.otpDefaultText : decodeLineBreaks(raw);
	if (!text.includes(SandboxTexts.otpCodeVariable)) {
		throw new RequestRefusal(SandboxTexts.otpNoCodeVariable);
	}
	return text;
}

function readRequest(request: XmlElement): OtpRequest {
	return {
		phone: readPhone(request),
		sender: readSender(request),
		codeLength: readCodeLength(request),
		text: readText(request),
	};
}

/** Generates the code, sends the SMS (stores it under a new id_sms) and describes it in `<success/>`. */
function send(otp: OtpRequest, store: SandboxStore, requestIndex: number): BuildValue {
	if (otp.phone.endsWith(INVALID_PHONE_SUFFIX)) {
		return { success: { '@_code': '', '@_id_sms': '0', '@_status': 'not_valid_phone' } };
	}
	const code = generateCode(otp.codeLength);
	const accepted = store.acceptOtp({
		phone: otp.phone,
		sender: otp.sender,
		code,
		text: otp.text.replaceAll(SandboxTexts.otpCodeVariable, code),
		requestIndex,
	});
	return { success: { '@_code': code, '@_id_sms': String(accepted.idSms), '@_status': SandboxTexts.accepted } };
}

function answer(request: SandboxRequest, store: SandboxStore): SandboxReply {
	if (request.method !== 'POST') {
		throw new RequestRefusal(SandboxTexts.postOnly, 405, { Allow: 'POST' });
	}
	if (!isUtf8ContentType(contentTypeOf(request.headers), 'text/xml')) {
		throw new RequestRefusal(SandboxTexts.wrongContentType);
	}
	const document = parseApiagentXmlRequest(request.body);
	assertXmlAuthenticated(document, store, SandboxTexts.otpWrongLogin);
	assertXmlRequestElements(document, ['phone', 'sender', 'random_string_len', 'text']);
	return xmlReply(send(readRequest(document), store, request.index));
}

/**
 * `POST /password_generation/api.php`: generates a code of `random_string_len` digits, sends it by SMS
 * in `text` and answers `<response><success code=".." id_sms=".." status="send"/></response>`. Checked
 * in this order: method, Content-Type, body, login and password, known elements, phone, sender, code
 * length, text. A refusal answers `<response><error>…</error></response>`.
 */
export function passwordGenerationRoute(store: SandboxStore): RouteHandler {
	return (request) => {
		try {
			return answer(request, store);
		} catch (error) {
			if (error instanceof RequestRefusal) {
				return xmlReply({ error: error.message }, error.status, error.headers);
			}
			throw error;
		}
	};
}
