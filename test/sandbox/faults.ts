import { buildXmlDocument } from './xml/document';
import {
	HTML_CONTENT_TYPE,
	htmlReply,
	JSON_CONTENT_TYPE,
	type ReplyStyle,
	type SandboxReply,
	XML_CONTENT_TYPE,
} from './http/exchange';
import { SandboxTexts } from './texts';

/**
 * Which requests a fault hits: `path` absent = any path; a path without `?` matches whatever the query
 * (`/clients/api.php` hits both the email send and status functions), a path with `?` only that exact
 * path and query (`/clients/api.php?func=status`). `after` matching requests pass untouched first.
 */
interface FaultTarget {
	path?: string;
	times?: number;
	after?: number;
}

/** A failure to inject into the next request(s) whose path matches. */
export type Fault =
	| ({ kind: 'rejectLogin' } & FaultTarget)
	| ({ kind: 'http500'; body?: string } & FaultTarget)
	| ({ kind: 'malformed' } & FaultTarget)
	| ({ kind: 'wrongRoot' } & FaultTarget)
	| ({ kind: 'slow'; delayMs: number } & FaultTarget)
	| ({ kind: 'dropAfterProcessing' } & FaultTarget);

interface PendingFault {
	fault: Fault;
	remaining: number;
	passing: number;
}

function assertValidFault(fault: Fault): void {
	const times = fault.times ?? 1;
	if (!Number.isInteger(times) || times < 1) {
		throw new RangeError(`Fault times must be a positive integer (got ${times})`);
	}
	const after = fault.after ?? 0;
	if (!Number.isInteger(after) || after < 0) {
		throw new RangeError(`Fault after must be a non-negative integer (got ${after})`);
	}
	if (fault.kind === 'slow' && (!Number.isFinite(fault.delayMs) || fault.delayMs < 0)) {
		throw new RangeError(`Fault delayMs must be a non-negative number (got ${fault.delayMs})`);
	}
}

function targets(fault: Fault, path: string, query: string): boolean {
	if (fault.path === undefined) {
		return true;
	}
	return fault.path.includes('?') ? fault.path === `${path}?${query}` : fault.path === path;
}

/** Faults waiting for their requests, applied first-queued-first; each request takes at most one. */
export class FaultQueue {
	private pending: PendingFault[] = [];

	add(fault: Fault): void {
		assertValidFault(fault);
		this.pending.push({ fault: { ...fault }, remaining: fault.times ?? 1, passing: fault.after ?? 0 });
	}

	/** Removes one use of the first fault that matches the path (and query) and returns it. */
	takeFor(path: string, query = ''): Fault | undefined {
		const index = this.pending.findIndex(({ fault }) => targets(fault, path, query));
		if (index < 0) {
			return undefined;
		}
		const entry = this.pending[index];
		if (entry.passing > 0) {
			entry.passing -= 1;
			return undefined;
		}
		entry.remaining -= 1;
		if (entry.remaining === 0) {
			this.pending.splice(index, 1);
		}
		return entry.fault;
	}

	clear(): void {
		this.pending = [];
	}
}

const UNAVAILABLE_PAGE =
	'<!DOCTYPE html><html><head><title>Ошибка</title></head><body><p>Сервис временно недоступен<br></body></html>';

function xmlReply(rootName: string, content: Record<string, string>): SandboxReply {
	return { status: 200, contentType: XML_CONTENT_TYPE, body: buildXmlDocument(rootName, content) };
}

function jsonReply(content: unknown): SandboxReply {
	return { status: 200, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(content) };
}

/** The endpoint's own refusal of a wrong login, in its style. */
function wrongLoginReply(style: ReplyStyle): SandboxReply {
	switch (style) {
		case 'smsXml':
			return xmlReply('response', { error: SandboxTexts.wrongLogin });
		case 'otpXml':
			return xmlReply('response', { error: SandboxTexts.otpWrongLogin });
		case 'emailXml':
			return xmlReply('request', { error: SandboxTexts.wrongLogin });
		case 'emailJson':
			return jsonReply({ error: SandboxTexts.wrongLogin });
	}
}

/** A well-formed document of the wrong shape: the other XML API's root, or JSON whose top level is not an object. */
function wrongRootReply(style: ReplyStyle): SandboxReply {
	switch (style) {
		case 'smsXml':
		case 'otpXml':
			// Shaped like the email API's success reply, not a <response>.
			return xmlReply('request', { error: '' });
		case 'emailXml':
			// Shaped like the SMS API's reply, not a <request>.
			return xmlReply('response', { error: '' });
		case 'emailJson':
			return jsonReply([{ error: '' }]);
	}
}

/**
 * The answer a fault gives instead of processing the request, written in the endpoint's style, or
 * undefined for faults that let the request be processed (`slow`, `dropAfterProcessing`).
 */
export function replyInsteadOfProcessing(fault: Fault, style: ReplyStyle = 'smsXml'): SandboxReply | undefined {
	switch (fault.kind) {
		case 'rejectLogin':
			return wrongLoginReply(style);
		case 'http500':
			return fault.body === undefined
				? htmlReply(500, '500 Internal Server Error')
				: { status: 500, contentType: HTML_CONTENT_TYPE, body: fault.body };
		case 'malformed':
			// Neither XML nor JSON: the unclosed <p> and <br> make it an HTML page no XML parser accepts.
			return { status: 200, contentType: HTML_CONTENT_TYPE, body: UNAVAILABLE_PAGE };
		case 'wrongRoot':
			return wrongRootReply(style);
		case 'slow':
		case 'dropAfterProcessing':
			return undefined;
	}
}
