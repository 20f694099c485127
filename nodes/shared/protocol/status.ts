import type { EmailStatusRecord } from './agent/email-status';
import { providerId } from './sms/reply';
import type { SmsState } from './sms/state-sms';
import type { MessageState } from './sms/types';

/** Statuses that never change again (the SMS document's "Конечный статус", plus the OTP document's invalid phone). */
export const FINAL_STATUSES: ReadonlySet<string> = new Set([
	'deliver',
	'not_deliver',
	'expired',
	'partly_deliver',
	'not_valid_phone',
]);
const KNOWN_STATUSES: ReadonlySet<string> = new Set([...FINAL_STATUSES, 'send']);

/** Europe/Moscow has kept UTC+3 all year since 2014; the provider writes its times in that clock. */
const PROVIDER_OFFSET = '+03:00';
const PROVIDER_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?)$/;

type StatusValue = string | number | boolean | null;
export type StatusOutput = Record<string, StatusValue>;

/** `YYYY-MM-DD hh:mm:ss` in the provider's clock as ISO 8601 with its offset; the "never" date and blanks as null. */
export function providerTimeToIso(value: string): string | null {
	const match = PROVIDER_TIME.exec(value.trim());
	if (!match || match[1] === '0000-00-00') return null;
	const time = match[2].length === 5 ? match[2] + ':00' : match[2];
	return `${match[1]}T${time}${PROVIDER_OFFSET}`;
}

const PROVIDER_OFFSET_MS = 3 * 3_600_000;

/** An instant as the provider's clock writes it: `YYYY-MM-DD hh:mm:ss`, or `YYYY-MM-DD hh:mm` to the minute. */
export function formatProviderTime(at: number, precision: 'second' | 'minute' = 'second'): string {
	return new Date(at + PROVIDER_OFFSET_MS)
		.toISOString()
		.replace('T', ' ')
		.slice(0, precision === 'minute' ? 16 : 19);
}

/** The instant a `YYYY-MM-DD hh:mm[:ss]` of the provider's clock names; NaN when it names none. */
export function providerTimeMs(text: string): number {
	const iso = providerTimeToIso(text);
	return iso === null ? NaN : Date.parse(iso);
}

function numberOrNull(value: string): number | null {
	const trimmed = value.trim().replace(',', '.');
	return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : null;
}

function flag(value: string | null): boolean {
	return value !== null && value.trim() === '1';
}

/**
 * A status row: a known status as is; any other text is, per the document, the provider's error for that id
 * (e.g. an id it never accepted), which is final.
 */
function statusFields(id: string, status: string): StatusOutput {
	const idValue = providerId(id) ?? id;
	if (KNOWN_STATUSES.has(status)) return { id: idValue, status, final: FINAL_STATUSES.has(status) };
	return { id: idValue, status: 'error', final: true, error: status || 'TargetSMS returned no status for this id' };
}

export function normaliseMessageState(state: MessageState): StatusOutput {
	return {
		...statusFields(state.id, state.status),
		smsStatus: state.smsStatus || null,
		viberStatus: state.viberStatus || null,
		changedAt: providerTimeToIso(state.changedAt),
		smsParts: numberOrNull(state.smsParts),
		smsPrice: numberOrNull(state.smsPrice),
		viberPrice: numberOrNull(state.viberPrice),
	};
}

export function normaliseSmsState(state: SmsState): StatusOutput {
	return { ...statusFields(state.id, state.status), changedAt: providerTimeToIso(state.changedAt) };
}

/** Email: `status` is the furthest of sent → delivered → opened; final once delivery is known either way. */
export function normaliseEmailStatus(record: EmailStatusRecord): StatusOutput {
	const delivered = record.delivered === null || record.delivered.trim() === '' ? null : flag(record.delivered);
	const opened = flag(record.open);
	let status = 'sent';
	if (delivered === false) status = 'not_delivered';
	else if (opened) status = 'opened';
	else if (delivered === true) status = 'delivered';
	return {
		id: providerId(record.id) ?? record.id,
		status,
		final: delivered !== null,
		createdAt: providerTimeToIso(record.creationDate),
		delivered,
		deliveredAt: providerTimeToIso(record.deliveredDate),
		opened,
		openedAt: providerTimeToIso(record.openDate),
		spam: flag(record.spam),
		spamAt: providerTimeToIso(record.spamDate),
		unsubscribed: flag(record.unsubscribe),
		unsubscribedAt: providerTimeToIso(record.unsubscribeDate),
	};
}
