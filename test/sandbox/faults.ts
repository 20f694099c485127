import { buildXmlDocument } from './xml/document';
import { HTML_CONTENT_TYPE, htmlReply, type SandboxReply, XML_CONTENT_TYPE } from './http/exchange';
import { SandboxTexts } from './texts';

/** Which requests a fault hits: `path` absent = any path; `after` matching requests pass untouched first. */
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

/** Faults waiting for their requests, applied first-queued-first; each request takes at most one. */
export class FaultQueue {
	private pending: PendingFault[] = [];

	add(fault: Fault): void {
		assertValidFault(fault);
		this.pending.push({ fault: { ...fault }, remaining: fault.times ?? 1, passing: fault.after ?? 0 });
	}

	/** Removes one use of the first fault that matches the path and returns it. */
	takeFor(path: string): Fault | undefined {
		const index = this.pending.findIndex(({ fault }) => fault.path === undefined || fault.path === path);
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

/**
 * The answer a fault gives instead of processing the request, or undefined for faults that let the
 * request be processed (`slow`, `dropAfterProcessing`).
 */
export function replyInsteadOfProcessing(fault: Fault): SandboxReply | undefined {
	switch (fault.kind) {
		case 'rejectLogin':
			return {
				status: 200,
				contentType: XML_CONTENT_TYPE,
				body: buildXmlDocument('response', { error: SandboxTexts.wrongLogin }),
			};
		case 'http500':
			return fault.body === undefined
				? htmlReply(500, '500 Internal Server Error')
				: { status: 500, contentType: HTML_CONTENT_TYPE, body: fault.body };
		case 'malformed':
			// Not XML: the unclosed <p> and <br> make it an HTML page no XML parser accepts.
			return { status: 200, contentType: HTML_CONTENT_TYPE, body: UNAVAILABLE_PAGE };
		case 'wrongRoot':
			// Well-formed XML shaped like the email API's success reply, not a <response>.
			return {
				status: 200,
				contentType: XML_CONTENT_TYPE,
				body: buildXmlDocument('request', { error: '' }),
			};
		case 'slow':
		case 'dropAfterProcessing':
			return undefined;
	}
}
