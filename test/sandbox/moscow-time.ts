/** The provider's clock: Europe/Moscow, UTC+3 all year (no daylight saving since 2014). */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

const MINUTE_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
const SECOND_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function twoDigits(value: number): string {
	return String(value).padStart(2, '0');
}

/** `YYYY-MM-DD hh:mm:ss` in Moscow time, as the status replies write it. */
export function formatMoscowDateTime(date: Date): string {
	const moscow = new Date(date.getTime() + MOSCOW_OFFSET_MS);
	const day = `${String(moscow.getUTCFullYear()).padStart(4, '0')}-${twoDigits(moscow.getUTCMonth() + 1)}-${twoDigits(moscow.getUTCDate())}`;
	const time = `${twoDigits(moscow.getUTCHours())}:${twoDigits(moscow.getUTCMinutes())}:${twoDigits(moscow.getUTCSeconds())}`;
	return `${day} ${time}`;
}

/** Reads `YYYY-MM-DD hh:mm` as a Moscow time; undefined when the text is not exactly that or not a real date. */
export function parseMoscowMinute(text: string): Date | undefined {
	return parseMoscow(MINUTE_PATTERN, text);
}

/** Reads `YYYY-MM-DD hh:mm:ss` as a Moscow time; undefined when the text is not exactly that or not a real moment. */
export function parseMoscowSecond(text: string): Date | undefined {
	return parseMoscow(SECOND_PATTERN, text);
}

function parseMoscow(pattern: RegExp, text: string): Date | undefined {
	const match = pattern.exec(text);
	if (match === null) {
		return undefined;
	}
	const [year, month, day, hours, minutes, seconds = 0] = match.slice(1).map(Number);
	const utc = Date.UTC(year, month - 1, day, hours, minutes, seconds);
	const check = new Date(utc);
	const isRealDate =
		check.getUTCFullYear() === year &&
		check.getUTCMonth() === month - 1 &&
		check.getUTCDate() === day &&
		check.getUTCHours() === hours &&
		check.getUTCMinutes() === minutes &&
		check.getUTCSeconds() === seconds;
	return isRealDate ? new Date(utc - MOSCOW_OFFSET_MS) : undefined;
}

/** Start of the Moscow minute that contains `date`. */
export function startOfMinute(date: Date): Date {
	return new Date(Math.floor(date.getTime() / 60_000) * 60_000);
}
