import type { IncomingHttpHeaders } from 'node:http';

/** A request as the routes see it: fully read, body still as bytes. */
export interface SandboxRequest {
	/** Position in the sandbox's request log. */
	index: number;
	method: string;
	path: string;
	query: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

/** What a route answers. */
export interface SandboxReply {
	status: number;
	contentType: string;
	body: string;
	headers?: Record<string, string>;
}

export const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';
export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

export function htmlReply(status: number, title: string): SandboxReply {
	return {
		status,
		contentType: HTML_CONTENT_TYPE,
		body: `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
	};
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The document family an endpoint answers in: the SMS/Viber XML API (`<response>`), the email API in
 * XML (`<request>`) or JSON, the OTP API (`<response>`, its own wording). Faults that replace an answer
 * are written in it.
 */
export type ReplyStyle = 'smsXml' | 'emailXml' | 'emailJson' | 'otpXml';
