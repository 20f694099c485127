import fc from 'fast-check';

import type { SendTimeContext } from '../../../nodes/shared/validation/send-time';
import { assertTimezone, PROVIDER_TIMEZONE, toProviderSendTime } from '../../../nodes/shared/validation/send-time';
import { inputError } from './support';

const NOW = new Date('2026-06-01T00:00:00Z');

const context = (inputTimezone = 'Europe/Berlin', providerTimezone = PROVIDER_TIMEZONE, now = NOW): SendTimeContext => ({
	inputTimezone,
	providerTimezone,
	now,
});

/** Moscow has kept UTC+3 all year since 2014. */
const moscowMinute = (instant: Date) => new Date(instant.getTime() + 3 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('toProviderSendTime', () => {
	it('uses Europe/Moscow as the provider clock', () => {
		expect(PROVIDER_TIMEZONE).toBe('Europe/Moscow');
	});

	it.each([
		['2026-11-23T13:00:00+03:00', '2026-11-23 13:00'],
		['2026-11-23T10:00:00Z', '2026-11-23 13:00'],
		['2026-11-23T10:00:00.000z', '2026-11-23 13:00'],
		['2026-11-23T13:00:00+01:00', '2026-11-23 15:00'],
		['2026-11-23T13:00+0100', '2026-11-23 15:00'],
		['2026-11-23T13:00-05', '2026-11-23 21:00'],
		['2026-11-23T22:30:00+05:30', '2026-11-23 20:00'],
		['2026-11-23 13:00 +03:00', '2026-11-23 13:00'],
		['2026-12-31T21:00:00Z', '2027-01-01 00:00'],
		['2026-11-23T10:00:59Z', '2026-11-23 13:00'],
	])('converts %s (with an offset) to Moscow time %s', (raw, expected) => {
		expect(toProviderSendTime(raw, context('Asia/Vladivostok'))).toBe(expected);
	});

	it.each([
		['Europe/Berlin', '2026-11-23T13:00', '2026-11-23 15:00'],
		['Europe/Berlin', '2026-07-10T13:00', '2026-07-10 14:00'],
		['Europe/Berlin', '2026-11-23 13:00:00', '2026-11-23 15:00'],
		['Asia/Vladivostok', '2026-11-23T05:00', '2026-11-22 22:00'],
		['Asia/Vladivostok', '2026-11-23T12:00:00', '2026-11-23 05:00'],
		['UTC', '2026-11-23T21:30', '2026-11-24 00:30'],
		['UTC', '2026-11-23', '2026-11-23 03:00'],
		['Europe/Moscow', '2026-11-23T13:00', '2026-11-23 13:00'],
	])('reads a time without an offset in the workflow zone %s: %s → %s', (zone, raw, expected) => {
		expect(toProviderSendTime(raw, context(zone))).toBe(expected);
	});

	it('accepts a Date and a Luxon-like DateTime (anything with toISO())', () => {
		expect(toProviderSendTime(new Date('2026-11-23T10:00:00Z'), context())).toBe('2026-11-23 13:00');
		const luxonLike = { toISO: () => '2026-11-23T13:00:00.000+01:00', toString: () => 'DateTime' };
		expect(toProviderSendTime(luxonLike, context())).toBe('2026-11-23 15:00');
	});

	it('writes the time in another provider zone when one is named', () => {
		expect(toProviderSendTime('2026-11-23T10:00:00Z', context('UTC', 'Asia/Yekaterinburg'))).toBe('2026-11-23 15:00');
		expect(toProviderSendTime('2026-07-10T10:00:00Z', context('UTC', 'Europe/Berlin'))).toBe('2026-07-10 12:00');
		expect(toProviderSendTime('2026-11-23T10:00', context('Asia/Vladivostok', 'UTC'))).toBe('2026-11-23 00:00');
	});

	it('treats an absent or empty value as "send now"', () => {
		expect(toProviderSendTime(undefined, context())).toBeUndefined();
		expect(toProviderSendTime(null, context())).toBeUndefined();
		expect(toProviderSendTime('', context())).toBeUndefined();
	});

	it('refuses a time in the past or exactly now, rather than sending at once', () => {
		for (const raw of ['2026-05-31T23:59:00Z', '2026-06-01T00:00:00Z', '2020-01-01T00:00', new Date('2026-01-01T00:00:00Z')]) {
			const error = inputError(() => toProviderSendTime(raw, context('UTC')));
			expect(error.field).toBe('Send At');
			expect(error.message).toContain('past');
		}
		expect(toProviderSendTime('2026-06-01T00:01:00Z', context('UTC'))).toBe('2026-06-01 03:01');
	});

	it('refuses an unknown provider zone with the field Timezone', () => {
		const error = inputError(() => toProviderSendTime('2026-11-23T10:00:00Z', context('UTC', 'Moscow/Kremlin')));
		expect(error.field).toBe('Timezone');
		expect(error.message).toContain('Moscow/Kremlin');
	});

	it('gives the same verdict on a zone however often it is checked (checked zones are remembered)', () => {
		for (let round = 0; round < 3; round++) {
			expect(() => assertTimezone('Asia/Vladivostok', 'Timezone')).not.toThrow();
			expect(inputError(() => assertTimezone('Moscow/Kremlin', 'Timezone')).field).toBe('Timezone');
		}
		// More zones than it remembers: the oldest are checked again, with the same verdict.
		for (let index = 0; index < 300; index++) {
			expect(inputError(() => assertTimezone(`Nowhere/City${index}`, 'Timezone')).message).toContain(`Nowhere/City${index}`);
		}
		expect(() => assertTimezone('Asia/Vladivostok', 'Timezone')).not.toThrow();
		expect(inputError(() => assertTimezone('Moscow/Kremlin', 'Timezone')).field).toBe('Timezone');
	});

	it('refuses an unknown workflow zone for a time without an offset', () => {
		expect(inputError(() => toProviderSendTime('2026-11-23T10:00', context('Nowhere/City'))).field).toBe('Workflow time zone');
	});

	it.each([
		['words', 'tomorrow at noon'],
		['a month that does not exist', '2026-13-01T10:00'],
		['a day that does not exist', '2026-02-30T10:00'],
		['hour 24', '2026-11-23T24:00'],
		['minute 60', '2026-11-23T10:60'],
		['a US date', '11/23/2026 10:00'],
		['a time alone', '10:00'],
		['a number', 1_795_000_000_000],
		['an invalid Date', new Date('nonsense')],
		['an object', { when: 'soon' }],
		['a DateTime-like object that is invalid', { toISO: () => null }],
	])('refuses %s, naming the field', (_name, raw) => {
		expect(inputError(() => toProviderSendTime(raw, context())).field).toBe('Send At');
	});

	it('writes any future instant given with an offset as its Moscow wall clock, to the minute', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('2026-06-01T00:01:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
				fc.integer({ min: -12 * 60, max: 14 * 60 }),
				(instant, offsetMinutes) => {
					const shifted = new Date(instant.getTime() + offsetMinutes * 60_000);
					const sign = offsetMinutes < 0 ? '-' : '+';
					const abs = Math.abs(offsetMinutes);
					const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
					const raw = shifted.toISOString().slice(0, 19) + offset;
					const expected = moscowMinute(new Date(Math.floor(instant.getTime() / 1000) * 1000));
					expect(toProviderSendTime(raw, context('Europe/Berlin'))).toBe(expected);
					expect(toProviderSendTime(instant, context('Europe/Berlin'))).toBe(moscowMinute(instant));
				},
			),
		);
	});

	it('reads any wall clock in Asia/Vladivostok (UTC+10) as 7 hours ahead of Moscow', () => {
		fc.assert(
			fc.property(fc.date({ min: new Date('2026-06-02T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (wall) => {
				const raw = wall.toISOString().slice(0, 16);
				const expected = moscowMinute(new Date(wall.getTime() - 10 * 3_600_000));
				expect(toProviderSendTime(raw, context('Asia/Vladivostok'))).toBe(expected);
			}),
		);
	});

	// A wall clock that happens twice at the end of summer time is read as the later instant (as the code says).
	const earlyNow = new Date('2026-01-01T00:00:00Z');

	it('reads a repeated wall clock east of UTC as the later instant (Berlin, 25 Oct 2026, 02:30)', () => {
		// 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
		expect(toProviderSendTime('2026-10-25T02:30', context('Europe/Berlin', 'UTC', earlyNow))).toBe('2026-10-25 01:30');
		// Sydney, 5 Apr 2026: 02:30 happens at 15:30Z (AEDT) and again at 16:30Z (AEST) the day before in UTC.
		expect(toProviderSendTime('2026-04-05T02:30', context('Australia/Sydney', 'UTC', earlyNow))).toBe('2026-04-04 16:30');
	});

	it('reads a repeated wall clock west of UTC as the later instant too (New York, 1 Nov 2026, 01:30)', () => {
		// 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
		expect(toProviderSendTime('2026-11-01T01:30', context('America/New_York', 'UTC', earlyNow))).toBe('2026-11-01 06:30');
	});
});
