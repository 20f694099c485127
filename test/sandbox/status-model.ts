import { parseMoscowMinute } from './moscow-time';
import { countSmsParts } from './sms-parts';
import type { SandboxMessage } from './store';

export type DeliveryState = 'send' | 'deliver' | 'not_deliver' | 'expired' | 'partly_deliver';
export type Channel = 'viber' | 'sms';

/** A message's state at one moment, in the terms of `state_message.php`. */
export interface MessageStatus {
	status: DeliveryState;
	stateSms: DeliveryState;
	stateViber: DeliveryState;
	changedAt: Date;
	smsParts: number;
	smsPrice: string;
	viberPrice: string;
}

/** What the timeline of a message depends on; an OTP or external SMS is planned as an SMS-only message. */
export type DeliveryPlanInput = Pick<
	SandboxMessage,
	'phone' | 'smsOrder' | 'viberOrder' | 'textSms' | 'timeSend' | 'acceptedAt' | 'validityPeriodViber' | 'finaleViberRead'
> & { cancelledAt?: Date };

/** The SMS channel of one `id_sms`, in the terms of `state.php`. */
export interface SmsState {
	state: DeliveryState;
	/** When the state last changed; the acceptance time before any change. */
	changedAt: Date;
}

/** How a recipient behaves, chosen by the last digit of the phone. */
export type RecipientBehaviour =
	| 'delivers'
	| 'notViberUser'
	| 'partlyDelivers'
	| 'viberNeverRead'
	| 'rejectsEverything'
	| 'offline';

const BEHAVIOUR_BY_LAST_DIGIT: Readonly<Record<string, RecipientBehaviour>> = {
	'0': 'notViberUser',
	'6': 'partlyDelivers',
	'7': 'viberNeverRead',
	'8': 'rejectsEverything',
	'9': 'offline',
};

export const ATTEMPT_DURATION_MS = 2_000;
const SMS_PRICE_PER_PART_KOPECKS = 250;
const VIBER_PRICE_KOPECKS = 120;
const MINUTE_MS = 60_000;

export function behaviourOf(phone: string): RecipientBehaviour {
	return BEHAVIOUR_BY_LAST_DIGIT[phone.slice(-1)] ?? 'delivers';
}

/** One channel's try within the cascade. */
export interface ChannelAttempt {
	channel: Channel;
	startsAt: Date;
	/** The channel's own final state and when it is reached. */
	result: Exclude<DeliveryState, 'send'>;
	resultAt: Date;
	/** When the cascade is done with this channel (later than resultAt only for an unread Viber message). */
	endsAt: Date;
	/** Whether the next channel is tried once this one ends. */
	cascadeContinues: boolean;
}

interface AttemptOutcome {
	result: ChannelAttempt['result'];
	resultAfterMs: number;
	endsAfterMs: number;
	cascadeContinues: boolean;
}

function outcome(
	result: ChannelAttempt['result'],
	resultAfterMs: number,
	cascadeContinues: boolean,
	endsAfterMs = resultAfterMs,
): AttemptOutcome {
	return { result, resultAfterMs, endsAfterMs, cascadeContinues };
}

function viberOutcome(behaviour: RecipientBehaviour, message: DeliveryPlanInput): AttemptOutcome {
	const validityMs = message.validityPeriodViber * MINUTE_MS;
	switch (behaviour) {
		case 'notViberUser':
			return outcome('not_deliver', 0, true);
		case 'rejectsEverything':
			return outcome('not_deliver', ATTEMPT_DURATION_MS, true);
		case 'offline':
			return outcome('expired', validityMs, true);
		case 'partlyDelivers':
			return outcome('partly_deliver', ATTEMPT_DURATION_MS, false);
		case 'viberNeverRead':
			return message.finaleViberRead
				? outcome('deliver', ATTEMPT_DURATION_MS, true, Math.max(validityMs, ATTEMPT_DURATION_MS))
				: outcome('deliver', ATTEMPT_DURATION_MS, false);
		case 'delivers':
			return outcome('deliver', ATTEMPT_DURATION_MS, false);
	}
}

function smsOutcome(behaviour: RecipientBehaviour): AttemptOutcome {
	switch (behaviour) {
		case 'rejectsEverything':
			return outcome('not_deliver', ATTEMPT_DURATION_MS, true);
		case 'offline':
			return outcome('expired', ATTEMPT_DURATION_MS, true);
		case 'partlyDelivers':
			return outcome('partly_deliver', ATTEMPT_DURATION_MS, false);
		case 'notViberUser':
		case 'viberNeverRead':
		case 'delivers':
			return outcome('deliver', ATTEMPT_DURATION_MS, false);
	}
}

/** Channels in cascade order: ascending send_* value; on a tie Viber goes first. */
export function cascadeOrder(message: Pick<SandboxMessage, 'viberOrder' | 'smsOrder'>): Channel[] {
	const channels: Array<{ channel: Channel; order: number }> = [
		{ channel: 'viber', order: message.viberOrder },
		{ channel: 'sms', order: message.smsOrder },
	];
	return channels
		.filter(({ order }) => order > 0)
		.sort((a, b) => a.order - b.order)
		.map(({ channel }) => channel);
}

/** When processing starts: on acceptance, or at time_send if that is later. */
export function processingStart(message: DeliveryPlanInput): Date {
	const scheduled = message.timeSend ? parseMoscowMinute(message.timeSend) : undefined;
	return scheduled !== undefined && scheduled > message.acceptedAt ? scheduled : message.acceptedAt;
}

/** The whole deterministic life of a message: one attempt per channel actually tried. */
export function planDelivery(message: DeliveryPlanInput): ChannelAttempt[] {
	const behaviour = behaviourOf(message.phone);
	const attempts: ChannelAttempt[] = [];
	let startsAt = processingStart(message);
	for (const channel of cascadeOrder(message)) {
		const next = channel === 'viber' ? viberOutcome(behaviour, message) : smsOutcome(behaviour);
		const attempt: ChannelAttempt = {
			channel,
			startsAt,
			result: next.result,
			resultAt: new Date(startsAt.getTime() + next.resultAfterMs),
			endsAt: new Date(startsAt.getTime() + next.endsAfterMs),
			cascadeContinues: next.cascadeContinues,
		};
		attempts.push(attempt);
		if (!attempt.cascadeContinues) {
			break;
		}
		startsAt = attempt.endsAt;
	}
	return attempts;
}

function formatRoubles(kopecks: number): string {
	return (kopecks / 100).toFixed(2);
}

function later(a: Date, b: Date): Date {
	return a > b ? a : b;
}

/** The message's status as `state_message.php` reports it at `now`. */
export function statusAt(message: DeliveryPlanInput, now: Date): MessageStatus {
	if (message.cancelledAt !== undefined) return cancelledStatus(message, now);
	const states: Record<Channel, DeliveryState> = { viber: 'send', sms: 'send' };
	let smsParts = 0;
	let viberKopecks = 0;
	let changedAt = message.acceptedAt;
	const attempts = planDelivery(message);
	for (const attempt of attempts) {
		if (now < attempt.startsAt) {
			break;
		}
		if (attempt.channel === 'sms') {
			smsParts = countSmsParts(message.textSms ?? '');
		} else {
			viberKopecks = VIBER_PRICE_KOPECKS;
		}
		if (now >= attempt.resultAt) {
			states[attempt.channel] = attempt.result;
			changedAt = later(changedAt, attempt.resultAt);
		}
	}
	const last = attempts[attempts.length - 1];
	const finished = last !== undefined && now >= last.endsAt;
	return {
		status: finished ? last.result : 'send',
		stateSms: states.sms,
		stateViber: states.viber,
		changedAt: finished ? later(changedAt, last.endsAt) : changedAt,
		smsParts,
		smsPrice: formatRoubles(smsParts * SMS_PRICE_PER_PART_KOPECKS),
		viberPrice: formatRoubles(viberKopecks),
	};
}

/** An SMS sent on its own (OTP, Email2SMS), planned like a message with only the SMS channel. */
export function singleSmsPlan(phone: string, text: string, acceptedAt: Date): DeliveryPlanInput {
	return {
		phone,
		smsOrder: 1,
		viberOrder: 0,
		textSms: text,
		acceptedAt,
		validityPeriodViber: 60,
		finaleViberRead: false,
	};
}

/**
 * The SMS channel's state at `now`: `send` until the SMS attempt has its result (or forever, when the
 * cascade never reaches SMS), then the result.
 */
export function smsStateAt(message: DeliveryPlanInput, now: Date): SmsState {
	if (message.cancelledAt !== undefined) {
		return now < message.cancelledAt ? { state: 'send', changedAt: message.acceptedAt } : { state: 'not_deliver', changedAt: message.cancelledAt };
	}
	const attempt = planDelivery(message).find(({ channel }) => channel === 'sms');
	if (attempt === undefined || now < attempt.resultAt) {
		return { state: 'send', changedAt: message.acceptedAt };
	}
	return { state: attempt.result, changedAt: attempt.resultAt };
}

/** A scheduled message cancelled with `scheduled.php`: never sent, `not_deliver` on every channel it had, free. */
function cancelledStatus(message: DeliveryPlanInput, now: Date): MessageStatus {
	const cancelledAt = message.cancelledAt ?? message.acceptedAt;
	const done = now >= cancelledAt;
	const state = (order: number): DeliveryState => (done && order > 0 ? 'not_deliver' : 'send');
	return {
		status: done ? 'not_deliver' : 'send',
		stateSms: state(message.smsOrder),
		stateViber: state(message.viberOrder),
		changedAt: done ? cancelledAt : message.acceptedAt,
		smsParts: 0,
		smsPrice: formatRoubles(0),
		viberPrice: formatRoubles(0),
	};
}
