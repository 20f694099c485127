import { STATUS_CODES } from 'node:http';

import { doctypeReply, type DoctypeVariant, echoReply } from './fault-documents';
import {
	HTML_CONTENT_TYPE,
	htmlReply,
	JSON_CONTENT_TYPE,
	type ReplyStyle,
	type SandboxReply,
	type SandboxRequest,
	XML_CONTENT_TYPE,
} from './http/exchange';
import { SandboxTexts } from './texts';
import { buildXmlDocument } from './xml/document';

export type { DoctypeVariant } from './fault-documents';

/**
 * Which requests a fault hits: `path` absent = any path; a path without `?` matches whatever the query
 * (`/clients/api.php` hits both the email send and status functions), a path with `?` only that exact
 * path and query (`/clients/api.php?func=status`). `bodyIncludes`: only requests whose body (read as
 * UTF-8) contains that text. `after` matching requests pass untouched first; then `times` matching
 * requests are hit (default 1; `Infinity`: every matching request from then on).
 */
export interface FaultTarget {
	path?: string;
	bodyIncludes?: string;
	times?: number;
	after?: number;
}

/** The redirect statuses a `redirect` fault may answer. */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** A failure to inject into the next request(s) that match. */
export type Fault =
	| ({ kind: 'rejectLogin' } & FaultTarget)
	| ({ kind: 'http500'; body?: string } & FaultTarget)
	| ({ kind: 'http'; status: number; retryAfter?: string; body?: string; afterProcessing?: boolean } & FaultTarget)
	| ({ kind: 'redirect'; status: RedirectStatus; location: string } & FaultTarget)
	| ({ kind: 'malformed' } & FaultTarget)
	| ({ kind: 'wrongRoot' } & FaultTarget)
	| ({ kind: 'doctype'; variant: DoctypeVariant } & FaultTarget)
	| ({ kind: 'echo'; status?: number; afterProcessing?: boolean } & FaultTarget)
	| ({ kind: 'slow'; delayMs: number } & FaultTarget)
	| ({ kind: 'trickle'; intervalMs: number; chunkBytes?: number } & FaultTarget)
	| ({ kind: 'oversize'; bytes: number; declareLength: boolean } & FaultTarget)
	| ({ kind: 'dropAfterProcessing' } & FaultTarget)
	| ({ kind: 'cutReply'; bytes?: number } & FaultTarget);

interface PendingFault {
	fault: Fault;
	remaining: number;
	passing: number;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const DOCTYPE_VARIANTS: ReadonlySet<string> = new Set<DoctypeVariant>(['entityBomb', 'externalEntity', 'plainDoctype']);

function isStatus(status: unknown, min: number): boolean {
	return typeof status === 'number' && Number.isInteger(status) && status >= min && status <= 599;
}

function isNonNegative(value: unknown): boolean {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function assertKindSettings(fault: Fault): void {
	switch (fault.kind) {
		case 'slow':
			if (!isNonNegative(fault.delayMs)) {
				throw new RangeError(`Fault delayMs must be a non-negative number (got ${fault.delayMs})`);
			}
			return;
		case 'http':
			if (!isStatus(fault.status, 200)) {
				throw new RangeError(`Fault status must be an HTTP status from 200 to 599 (got ${fault.status})`);
			}
			return;
		case 'redirect':
			if (!REDIRECT_STATUSES.has(fault.status)) {
				throw new RangeError(`Fault status must be 301, 302, 303, 307 or 308 (got ${fault.status})`);
			}
			if (typeof fault.location !== 'string' || fault.location === '') {
				throw new RangeError('Fault location must be a non-empty string');
			}
			return;
		case 'doctype':
			if (!DOCTYPE_VARIANTS.has(fault.variant)) {
				throw new RangeError(`Unknown doctype variant ${String(fault.variant)}`);
			}
			return;
		case 'echo':
			if (fault.status !== undefined && !isStatus(fault.status, 200)) {
				throw new RangeError(`Fault status must be an HTTP status from 200 to 599 (got ${fault.status})`);
			}
			return;
		case 'trickle': {
			if (!isNonNegative(fault.intervalMs)) {
				throw new RangeError(`Fault intervalMs must be a non-negative number (got ${fault.intervalMs})`);
			}
			const chunkBytes = fault.chunkBytes ?? 1;
			if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
				throw new RangeError(`Fault chunkBytes must be a positive integer (got ${chunkBytes})`);
			}
			return;
		}
		case 'cutReply':
			if (fault.bytes !== undefined && (!Number.isSafeInteger(fault.bytes) || fault.bytes < 0)) {
				throw new RangeError(`Fault bytes must be a non-negative integer (got ${fault.bytes})`);
			}
			return;
		case 'oversize':
			if (!Number.isSafeInteger(fault.bytes) || fault.bytes < 0) {
				throw new RangeError(`Fault bytes must be a non-negative integer (got ${fault.bytes})`);
			}
			if (typeof fault.declareLength !== 'boolean') {
				throw new RangeError('Fault declareLength must be true or false');
			}
			return;
		default:
			return;
	}
}

function assertValidFault(fault: Fault): void {
	const times = fault.times ?? 1;
	if (times !== Infinity && (!Number.isInteger(times) || times < 1)) {
		throw new RangeError(`Fault times must be a positive integer or Infinity (got ${times})`);
	}
	const after = fault.after ?? 0;
	if (!Number.isInteger(after) || after < 0) {
		throw new RangeError(`Fault after must be a non-negative integer (got ${after})`);
	}
	if (fault.bodyIncludes !== undefined && (typeof fault.bodyIncludes !== 'string' || fault.bodyIncludes === '')) {
		throw new RangeError('Fault bodyIncludes must be a non-empty string');
	}
	assertKindSettings(fault);
}

function targets(fault: Fault, path: string, query: string, body: string): boolean {
	if (fault.bodyIncludes !== undefined && !body.includes(fault.bodyIncludes)) {
		return false;
	}
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

	/**
	 * Removes one use of the first fault that matches the path (and query) and body, and returns it; a
	 * fault with `times: Infinity` is never used up.
	 */
	takeFor(path: string, query = '', body = ''): Fault | undefined {
		const index = this.pending.findIndex(({ fault }) => targets(fault, path, query, body));
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

/** The status as a web server's HTML error page, or the given body; `Retry-After` when asked for. */
function statusReply(status: number, body: string | undefined, retryAfter: string | undefined): SandboxReply {
	const reply =
		body === undefined
			? htmlReply(status, `${status} ${STATUS_CODES[status] ?? 'Error'}`)
			: { status, contentType: HTML_CONTENT_TYPE, body };
	return retryAfter === undefined ? reply : { ...reply, headers: { 'Retry-After': retryAfter } };
}

function redirectReply(status: number, location: string): SandboxReply {
	return { ...htmlReply(status, `${status} ${STATUS_CODES[status] ?? 'Redirect'}`), headers: { Location: location } };
}

/** True when the request is processed (messages, emails, OTP stored) although the fault hits it. */
export function processesRequest(fault: Fault | undefined): boolean {
	switch (fault?.kind) {
		case undefined:
		case 'slow':
		case 'trickle':
		case 'dropAfterProcessing':
		case 'cutReply':
			return true;
		case 'http':
		case 'echo':
			return fault.afterProcessing === true;
		default:
			return false;
	}
}

/** The answer of a fault, in the endpoint's style; undefined for faults that answer normally or not at all. */
function faultReply(fault: Fault, style: ReplyStyle, request: SandboxRequest | undefined): SandboxReply | undefined {
	switch (fault.kind) {
		case 'rejectLogin':
			return wrongLoginReply(style);
		case 'http500':
			return fault.body === undefined
				? htmlReply(500, '500 Internal Server Error')
				: { status: 500, contentType: HTML_CONTENT_TYPE, body: fault.body };
		case 'http':
			return statusReply(fault.status, fault.body, fault.retryAfter);
		case 'redirect':
			return redirectReply(fault.status, fault.location);
		case 'malformed':
			// Neither XML nor JSON: the unclosed <p> and <br> make it an HTML page no XML parser accepts.
			return { status: 200, contentType: HTML_CONTENT_TYPE, body: UNAVAILABLE_PAGE };
		case 'wrongRoot':
			return wrongRootReply(style);
		case 'doctype':
			return doctypeReply(fault.variant, style);
		case 'echo':
			return echoReply(fault.status ?? 500, style, request?.body ?? Buffer.alloc(0));
		case 'slow':
		case 'trickle':
		case 'oversize':
		case 'dropAfterProcessing':
		case 'cutReply':
			return undefined;
	}
}

/**
 * The answer a fault gives instead of processing the request, written in the endpoint's style, or
 * undefined for faults that let the request be processed (`slow`, `trickle`, `dropAfterProcessing`, `cutReply`,
 * `http` and `echo` with `afterProcessing`) and for `oversize`, which is streamed. `echo` quotes
 * `request`'s body.
 */
export function replyInsteadOfProcessing(
	fault: Fault,
	style: ReplyStyle = 'smsXml',
	request?: SandboxRequest,
): SandboxReply | undefined {
	return processesRequest(fault) ? undefined : faultReply(fault, style, request);
}

/** The answer that replaces the real one of a processed request (`http` and `echo` with `afterProcessing`). */
export function replyAfterProcessing(
	fault: Fault,
	style: ReplyStyle,
	request: SandboxRequest,
): SandboxReply | undefined {
	return (fault.kind === 'http' || fault.kind === 'echo') && fault.afterProcessing === true
		? faultReply(fault, style, request)
		: undefined;
}
