import type { JsonObject } from '../apiagent/json-request';
import { JSON_CONTENT_TYPE, type SandboxReply, XML_CONTENT_TYPE } from '../http/exchange';
import { type BuildObject, buildXmlDocument } from '../xml/document';

export type EmailFormat = 'json' | 'xml';

/** The email document's note: these headers are sent "so that ajax has no problems". */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Allow-Methods': 'HEAD,OPTIONS,POST',
	'Access-Control-Allow-Headers':
		'Access-Control-Allow-Headers, Origin,Accept, X-Requested-With, Content-Type, Access-Control-Request-Method, Access-Control-Request-Headers',
};

function reply(format: EmailFormat, xml: BuildObject, json: JsonObject, status: number, headers?: Record<string, string>): SandboxReply {
	return format === 'json'
		? { status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(json), headers: { ...CORS_HEADERS, ...headers } }
		: {
				status,
				contentType: XML_CONTENT_TYPE,
				body: buildXmlDocument('request', xml, 'selfClosing'),
				headers: { ...CORS_HEADERS, ...headers },
			};
}

/** `<request><error/>…</request>` or `{"error":"",…}`. */
export function emailSuccess(format: EmailFormat, xml: BuildObject, json: JsonObject): SandboxReply {
	return reply(format, { error: '', ...xml }, { error: '', ...json }, 200);
}

/** `<request><error>text</error></request>` or `{"error":"text"}`. */
export function emailRefusal(
	format: EmailFormat,
	text: string,
	status = 200,
	headers?: Record<string, string>,
): SandboxReply {
	return reply(format, { error: text }, { error: text }, status, headers);
}
