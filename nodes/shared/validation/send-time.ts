import { InputError } from './input-error';

export const PROVIDER_TIMEZONE = 'Europe/Moscow';

export const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export interface SendTimeContext {
	/** Zone in which a date-time without an offset is read: the workflow's. */
	inputTimezone: string;
	/** The provider's clock zone (Europe/Moscow unless the user names another). */
	providerTimezone: string;
	now: Date;
}

/**
 * `sendAt` (ISO text, a Date, or a Luxon DateTime from an expression) as the provider's `YYYY-MM-DD hh:mm`.
 * A moment already past is refused rather than silently sent at once.
 */
export function toProviderSendTime(raw: unknown, context: SendTimeContext, field = 'Send At'): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	assertTimezone(context.providerTimezone, 'Timezone');
	const instant = toInstant(raw, context.inputTimezone, field);
	if (instant.getTime() <= context.now.getTime()) {
		throw new InputError(field, `${instant.toISOString()} is in the past; a scheduled message needs a future time`);
	}
	const local = wallClock(instant, context.providerTimezone);
	return `${local.year}-${local.month}-${local.day} ${local.hour}:${local.minute}`;
}

export function assertTimezone(zone: string, field: string): void {
	if (!isKnownTimezone(zone)) {
		throw new InputError(field, `"${zone}" is not a known time zone (use an IANA name such as Europe/Moscow)`);
	}
}

/**
 * Zones already checked, known or not. Building an Intl.DateTimeFormat costs tens of microseconds, and a run checks
 * the same zone for every item. Bounded, since a zone may come from each item's data.
 */
const checkedZones = new Map<string, boolean>();
const CHECKED_ZONES_LIMIT = 256;

function isKnownTimezone(zone: string): boolean {
	const checked = checkedZones.get(zone);
	if (checked !== undefined) return checked;
	let known: boolean;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		known = true;
	} catch {
		known = false;
	}
	if (checkedZones.size >= CHECKED_ZONES_LIMIT) checkedZones.delete(checkedZones.keys().next().value as string);
	checkedZones.set(zone, known);
	return known;
}

function toInstant(raw: unknown, inputTimezone: string, field: string): Date {
	if (raw instanceof Date) {
		if (Number.isNaN(raw.getTime())) throw new InputError(field, 'is not a valid date');
		return raw;
	}
	if (typeof raw === 'object' && raw !== null && typeof (raw as { toISO?: unknown }).toISO === 'function') {
		return toInstant((raw as { toISO: () => string | null }).toISO() ?? '', inputTimezone, field);
	}
	if (typeof raw !== 'string') throw new InputError(field, `expected a date-time, got ${typeof raw}`);
	const match = ISO_DATE_TIME.exec(raw.trim());
	if (!match) {
		throw new InputError(field, `"${raw}" is not an ISO date-time such as 2026-11-23T13:00 or 2026-11-23T13:00:00+03:00`);
	}
	const [, year, month, day, hour = '00', minute = '00', second = '00', offset] = match;
	const fields = [year, month, day, hour, minute, second].map(Number);
	const wallAsUtc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
	const check = new Date(wallAsUtc);
	if (check.getUTCMonth() !== fields[1] - 1 || check.getUTCDate() !== fields[2] || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) {
		throw new InputError(field, `"${raw}" is not a real date-time`);
	}
	if (offset !== undefined) return new Date(wallAsUtc - offsetMinutes(offset, raw, field) * 60_000);
	assertTimezone(inputTimezone, 'Workflow time zone');
	return fromWallClock(wallAsUtc, inputTimezone);
}

function offsetMinutes(offset: string, raw: string, field: string): number {
	if (offset.toUpperCase() === 'Z') return 0;
	const sign = offset.startsWith('-') ? -1 : 1;
	const digits = offset.slice(1).replace(':', '');
	const hours = Number(digits.slice(0, 2));
	const minutes = Number(digits.slice(2) || '0');
	if (hours > 14 || minutes > 59) throw new InputError(field, `"${raw}" has an impossible UTC offset ${offset}`);
	return sign * (hours * 60 + minutes);
}

const DAY_MS = 86_400_000;

/**
 * The instant at which clocks in `zone` show the given wall time: the later one when the time occurs twice (clocks
 * turned back), and the time as if the clocks had not yet moved when it does not occur at all (clocks turned forward).
 */
function fromWallClock(wallAsUtc: number, zone: string): Date {
	const offsetBefore = zoneOffsetMs(new Date(wallAsUtc - DAY_MS), zone);
	const offsetAfter = zoneOffsetMs(new Date(wallAsUtc + DAY_MS), zone);
	const candidates = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter].filter(
		(instant) => instant + zoneOffsetMs(new Date(instant), zone) === wallAsUtc,
	);
	return new Date(candidates.length > 0 ? Math.max(...candidates) : wallAsUtc - offsetBefore);
}

function zoneOffsetMs(instant: Date, zone: string): number {
	const local = wallClock(instant, zone);
	const asUtc = Date.UTC(+local.year, +local.month - 1, +local.day, +local.hour, +local.minute, +local.second);
	return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function wallClock(instant: Date, zone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
	let formatter = formatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-CA', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(zone, formatter);
	}
	const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
	return {
		year: parts.year,
		month: parts.month,
		day: parts.day,
		hour: parts.hour,
		minute: parts.minute,
		second: parts.second,
	};
}
