import { formatProviderTime } from '../protocol/status';
import { InputError } from './input-error';
import { assertTimezone, ISO_DATE_TIME, wallClock } from './send-time';

/** A date and time on a clock, without a zone: what "10:00" means to each recipient. */
export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
}

const HOUR_MS = 3_600_000;
/** Moscow has kept UTC+3 all year since 2014: the provider's clock. */
const MOSCOW_UTC_OFFSET_HOURS = 3;

/**
 * Send At read as a wall-clock time (its date and time; an offset it carries is ignored). An n8n DateTime gives
 * its own wall clock; a plain Date, which has none, the workflow's.
 */
export function readWallClock(raw: unknown, inputTimezone: string, field = 'Send At'): WallClock {
	if (raw instanceof Date) {
		if (Number.isNaN(raw.getTime())) throw new InputError(field, 'is not a valid date');
		assertTimezone(inputTimezone, 'Workflow time zone');
		const local = wallClock(raw, inputTimezone);
		return checked({ year: +local.year, month: +local.month, day: +local.day, hour: +local.hour, minute: +local.minute }, String(raw), field);
	}
	if (typeof raw === 'object' && raw !== null && typeof (raw as { toISO?: unknown }).toISO === 'function') {
		return readWallClock((raw as { toISO: () => string | null }).toISO() ?? '', inputTimezone, field);
	}
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new InputError(field, 'is required when Send At Recipient Time is on: the local date and time to send at, e.g. 2026-11-23T10:00');
	}
	const match = ISO_DATE_TIME.exec(raw.trim());
	if (!match) throw new InputError(field, `"${raw}" is not an ISO date-time such as 2026-11-23T10:00`);
	const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
	if (Number(second) > 59) throw new InputError(field, `"${raw}" is not a real date-time`);
	return checked({ year: +year, month: +month, day: +day, hour: +hour, minute: +minute }, raw, field);
}

function checked(wall: WallClock, raw: string, field: string): WallClock {
	const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute));
	if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day || wall.hour > 23 || wall.minute > 59) {
		throw new InputError(field, `"${raw}" is not a real date-time`);
	}
	return wall;
}

/** The instant a recipient `moscowOffsetHours` ahead of Moscow sees `wall` on their clock. */
export function recipientInstant(wall: WallClock, moscowOffsetHours: number): Date {
	const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
	return new Date(wallAsUtc - (MOSCOW_UTC_OFFSET_HOURS + moscowOffsetHours) * HOUR_MS);
}

/** `time_send` (`YYYY-MM-DD hh:mm`, Moscow) for that recipient; undefined when that moment is already past. */
export function recipientSendTime(wall: WallClock, moscowOffsetHours: number, now: Date): string | undefined {
	const instant = recipientInstant(wall, moscowOffsetHours);
	if (instant.getTime() <= now.getTime()) return undefined;
	return formatProviderTime(instant.getTime(), 'minute');
}

export function formatWallClock(wall: WallClock): string {
	const two = (value: number) => String(value).padStart(2, '0');
	return `${wall.year}-${two(wall.month)}-${two(wall.day)} ${two(wall.hour)}:${two(wall.minute)}`;
}
