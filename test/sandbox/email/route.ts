import { assertJsonAuthenticated, assertJsonKeys, parseJsonRequest } from '../apiagent/json-request';
import { assertXmlAuthenticated, assertXmlRequestElements, parseApiagentXmlRequest } from '../apiagent/xml-request';
import { contentTypeOf, isUtf8ContentType } from '../http/body';
import type { ReplyStyle, SandboxReply, SandboxRequest } from '../http/exchange';
import { RequestRefusal } from '../http/refusal';
import type { RouteHandler } from '../http/router';
import type { SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import type { EmailFunction } from './function';
import { CORS_HEADERS, type EmailFormat, emailRefusal, emailSuccess } from './reply';
import { sendEmailFunction } from './send';
import { emailStatusFunction } from './status';

export const EMAIL_PATH = '/clients/api.php';

const MEDIA_TYPES: Readonly<Record<EmailFormat, string>> = { json: 'application/json', xml: 'text/xml' };

/** The format the request's Content-Type names, whatever its charset; undefined for any other type. */
function formatNamedBy(request: SandboxRequest): EmailFormat | undefined {
	const { mediaType } = contentTypeOf(request.headers);
	return (Object.keys(MEDIA_TYPES) as EmailFormat[]).find((format) => MEDIA_TYPES[format] === mediaType);
}

/** Replies are JSON for a JSON request, XML otherwise (also when the Content-Type is refused). */
function replyFormatOf(request: SandboxRequest): EmailFormat {
	return formatNamedBy(request) ?? 'xml';
}

export function emailReplyStyle(request: SandboxRequest): ReplyStyle {
	return replyFormatOf(request) === 'json' ? 'emailJson' : 'emailXml';
}

/** The function the query names: none = send, `func=status` = status; anything else is refused. */
function functionOf(query: string, functions: { send: EmailFunction; status: EmailFunction }): EmailFunction {
	const names = new URLSearchParams(query).getAll('func');
	if (names.length === 0) {
		return functions.send;
	}
	if (names.length === 1 && names[0] === 'status') {
		return functions.status;
	}
	throw new RequestRefusal(SandboxTexts.unknownFunction(names.join(',')));
}

function assertContentType(request: SandboxRequest): EmailFormat {
	const format = formatNamedBy(request);
	if (format === undefined || !isUtf8ContentType(contentTypeOf(request.headers), MEDIA_TYPES[format])) {
		throw new RequestRefusal(SandboxTexts.emailWrongContentType);
	}
	return format;
}

function answerXml(request: SandboxRequest, store: SandboxStore, emailFunction: EmailFunction): SandboxReply {
	const document = parseApiagentXmlRequest(request.body);
	assertXmlAuthenticated(document, store, SandboxTexts.wrongLogin);
	assertXmlRequestElements(document, emailFunction.members);
	return emailSuccess('xml', emailFunction.xml(document, request), {});
}

function answerJson(request: SandboxRequest, store: SandboxStore, emailFunction: EmailFunction): SandboxReply {
	const document = parseJsonRequest(request.body);
	assertJsonAuthenticated(document, store);
	assertJsonKeys(document, ['security', ...emailFunction.members]);
	return emailSuccess('json', {}, emailFunction.json(document, request));
}

function answer(
	request: SandboxRequest,
	store: SandboxStore,
	functions: { send: EmailFunction; status: EmailFunction },
): SandboxReply {
	if (request.method === 'OPTIONS') {
		return { status: 204, contentType: 'text/plain; charset=utf-8', body: '', headers: { ...CORS_HEADERS } };
	}
	if (request.method !== 'POST') {
		throw new RequestRefusal(SandboxTexts.postOnly, 405, { Allow: 'OPTIONS, POST' });
	}
	const emailFunction = functionOf(request.query, functions);
	return assertContentType(request) === 'json'
		? answerJson(request, store, emailFunction)
		: answerXml(request, store, emailFunction);
}

/**
 * `/clients/api.php`: the email API. The Content-Type chooses the format (`application/json` or
 * `text/xml`), the query the function (none: send; `func=status`: status). Checked in this order:
 * method, function, Content-Type, body (UTF-8, well-formed, root `<request>` / a JSON object), login
 * and password, known members, then the function's own checks. A refusal answers
 * `<request><error>…</error></request>` or `{"error":"…"}` with HTTP 200.
 */
export function emailRoute(store: SandboxStore): RouteHandler {
	const functions = { send: sendEmailFunction(store), status: emailStatusFunction(store) };
	return (request) => {
		try {
			return answer(request, store, functions);
		} catch (error) {
			if (error instanceof RequestRefusal) {
				return emailRefusal(replyFormatOf(request), error.message, error.status, error.headers);
			}
			throw error;
		}
	};
}
