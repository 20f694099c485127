import type { SandboxClock } from '../clock';

/** One SMS a subscriber sent to the account's number, as `incoming.php` reports it. */
export interface SandboxIncomingSms {
	idSms: number;
	/** When the provider received it (whole seconds, the sandbox clock). */
	receivedAt: Date;
	/** The subscriber's phone: 10–15 digits. */
	from: string;
	/** The number it was sent to (a short number or a long one). */
	to: string;
	/** The keyword it was routed by; '' when none. */
	prefix: string;
	text: string;
}

export interface IncomingSmsDraft {
	from: string;
	text: string;
	to?: string;
	prefix?: string;
	/** Default: the sandbox clock's now. */
	receivedAt?: Date;
}

export const DEFAULT_INCOMING_NUMBER = '3443';

const PHONE = /^[0-9]{10,15}$/;

/** Incoming SMS of the account; ids from their own sequence (never reused within one sandbox). */
export class IncomingSmsStore {
	readonly messages: SandboxIncomingSms[] = [];
	private nextId = 6_000_001;

	constructor(private readonly clock: SandboxClock) {}

	add(draft: IncomingSmsDraft): SandboxIncomingSms {
		if (!PHONE.test(draft.from)) throw new RangeError(`An incoming SMS needs a sender phone of 10–15 digits (got "${draft.from}")`);
		if (typeof draft.text !== 'string') throw new RangeError('An incoming SMS needs a text');
		const at = draft.receivedAt ?? this.clock.now();
		const sms: SandboxIncomingSms = {
			idSms: this.nextId++,
			receivedAt: new Date(Math.floor(at.getTime() / 1000) * 1000),
			from: draft.from,
			to: draft.to ?? DEFAULT_INCOMING_NUMBER,
			prefix: draft.prefix ?? '',
			text: draft.text,
		};
		this.messages.push(sms);
		return sms;
	}

	/** Received strictly after `start` and strictly before `end` (when given), in order of receipt. */
	between(start: Date, end: Date | undefined): SandboxIncomingSms[] {
		return this.messages.filter((sms) => sms.receivedAt > start && (end === undefined || sms.receivedAt < end));
	}

	reset(): void {
		this.messages.length = 0;
	}
}
