import fc from 'fast-check';

import { InputError } from '../../../nodes/shared/validation/input-error';
import { readWallClock, recipientInstant, recipientSendTime } from '../../../nodes/shared/validation/recipient-time';

describe('Send At as the recipient’s wall clock', () => {
	it('ignores the offset of Send At and reads a Date in the workflow’s zone', () => {
		expect(readWallClock('2026-11-23T10:00:00+05:00', 'Europe/Berlin')).toEqual({ year: 2026, month: 11, day: 23, hour: 10, minute: 0 });
		expect(readWallClock('2026-11-23 10:30', 'Europe/Berlin')).toEqual({ year: 2026, month: 11, day: 23, hour: 10, minute: 30 });
		expect(readWallClock(new Date('2026-11-23T07:00:00Z'), 'Asia/Vladivostok')).toEqual({ year: 2026, month: 11, day: 23, hour: 17, minute: 0 });
		expect(() => readWallClock('', 'Europe/Moscow')).toThrow(InputError);
		expect(() => readWallClock('2026-02-30T10:00', 'Europe/Moscow')).toThrow(/not a real date-time/);
	});

	it('Vladivostok (+7) at 02:00 Moscow: its 10:00 today is 03:00 Moscow; its 08:00 is past; its 05:00 tomorrow is 22:00 Moscow today', () => {
		const now = new Date('2026-01-02T02:00:00+03:00');
		expect(recipientSendTime({ year: 2026, month: 1, day: 2, hour: 10, minute: 0 }, 7, now)).toBe('2026-01-02 03:00');
		expect(recipientSendTime({ year: 2026, month: 1, day: 2, hour: 8, minute: 0 }, 7, now)).toBeUndefined();
		expect(recipientSendTime({ year: 2026, month: 1, day: 3, hour: 5, minute: 0 }, 7, now)).toBe('2026-01-02 22:00');
		expect(recipientSendTime({ year: 2026, month: 1, day: 1, hour: 4, minute: 0 }, -1, new Date('2025-12-31T12:00:00+03:00'))).toBe('2026-01-01 05:00');
	});

	it('property: the recipient’s clock shows the wall time at the instant chosen', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }),
				fc.integer({ min: -1, max: 9 }),
				(date, offset) => {
					const wall = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes() };
					const seen = new Date(recipientInstant(wall, offset).getTime() + (3 + offset) * 3_600_000);
					expect([seen.getUTCFullYear(), seen.getUTCMonth() + 1, seen.getUTCDate(), seen.getUTCHours(), seen.getUTCMinutes()]).toEqual([
						wall.year,
						wall.month,
						wall.day,
						wall.hour,
						wall.minute,
					]);
				},
			),
		);
	});
});
