import fc from 'fast-check';

import type { EmailStatusRecord } from '../../../nodes/shared/protocol/agent/email-status';
import { parseSmsStateResponse } from '../../../nodes/shared/protocol/sms/state-sms';
import { parseMessageStateResponse } from '../../../nodes/shared/protocol/sms/state';
import type { MessageState } from '../../../nodes/shared/protocol/sms/types';
import {
	FINAL_STATUSES,
	normaliseEmailStatus,
	normaliseMessageState,
	normaliseSmsState,
	providerTimeToIso,
} from '../../../nodes/shared/protocol/status';

const NEVER = '0000-00-00 00:00:00';
const TERMINAL = ['deliver', 'not_deliver', 'expired', 'partly_deliver', 'not_valid_phone'];
const KNOWN = ['send', ...TERMINAL];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A provider id that fits a JavaScript number. */
const providerIdText = fc.bigInt({ min: 1n, max: 10n ** 15n }).map(String);

/** Any provider time: `YYYY-MM-DD hh:mm:ss` (or without seconds) of a real date. */
const providerTime = fc
	.record({
		date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
		seconds: fc.boolean(),
	})
	.map(({ date, seconds }) => {
		const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
		const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` + (seconds ? `:${pad(date.getUTCSeconds())}` : '');
		return `${day} ${time}`;
	});

const messageState = (overrides: Partial<MessageState>): MessageState => ({
	id: '111',
	status: 'send',
	changedAt: '',
	smsStatus: '',
	viberStatus: '',
	smsParts: '',
	smsPrice: '',
	viberPrice: '',
	...overrides,
});

const emailRecord = (overrides: Partial<EmailStatusRecord>): EmailStatusRecord => ({
	id: '124',
	creationDate: '2019-02-21 15:47:34',
	open: '0',
	openDate: NEVER,
	unsubscribe: '0',
	unsubscribeDate: NEVER,
	spam: '0',
	spamDate: NEVER,
	delivered: null,
	deliveredDate: NEVER,
	...overrides,
});

describe('providerTimeToIso', () => {
	it.each([
		['2019-02-21 15:47:34', '2019-02-21T15:47:34+03:00'],
		['2017-11-23 13:15:25', '2017-11-23T13:15:25+03:00'],
		['2017-11-23 13:00', '2017-11-23T13:00:00+03:00'],
		['  2019-02-21 15:47:34 ', '2019-02-21T15:47:34+03:00'],
		['2000-01-01 00:00:00', '2000-01-01T00:00:00+03:00'],
	])('reads %p as %p', (raw, expected) => {
		expect(providerTimeToIso(raw)).toBe(expected);
	});

	it.each([
		['the provider\'s "never"', NEVER],
		['the "never" date without seconds', '0000-00-00 00:00'],
		['an empty value', ''],
		['blanks', '   '],
		['text', 'Время последней смены состояния'],
		['a date without a time', '2019-02-21'],
	])('reads %s as null', (_name, raw) => {
		expect(providerTimeToIso(raw)).toBeNull();
	});

	it('writes any provider time as ISO 8601 with +03:00 that means the same instant in Moscow', () => {
		fc.assert(
			fc.property(providerTime, (raw) => {
				const iso = providerTimeToIso(raw);
				expect(iso).toMatch(ISO);
				const [day, time] = raw.split(' ');
				const [year, month, date] = day.split('-').map(Number);
				const [hours, minutes, seconds = 0] = time.split(':').map(Number);
				expect(Date.parse(iso!)).toBe(Date.UTC(year, month - 1, date, hours - 3, minutes, seconds));
			}),
		);
	});
});

describe('normaliseMessageState', () => {
	it('writes numbers as numbers, blanks as null and times as ISO', () => {
		expect(
			normaliseMessageState(
				messageState({
					id: '111',
					status: 'deliver',
					changedAt: '2017-11-23 13:15:25',
					smsStatus: 'deliver',
					viberStatus: 'not_deliver',
					smsParts: '2',
					smsPrice: '2.50',
					viberPrice: '0',
				}),
			),
		).toStrictEqual({
			id: 111,
			status: 'deliver',
			final: true,
			smsStatus: 'deliver',
			viberStatus: 'not_deliver',
			changedAt: '2017-11-23T13:15:25+03:00',
			smsParts: 2,
			smsPrice: 2.5,
			viberPrice: 0,
		});
	});

	it('writes empty fields as null', () => {
		expect(normaliseMessageState(messageState({ status: 'send', changedAt: NEVER }))).toStrictEqual({
			id: 111,
			status: 'send',
			final: false,
			smsStatus: null,
			viberStatus: null,
			changedAt: null,
			smsParts: null,
			smsPrice: null,
			viberPrice: null,
		});
	});

	it.each([
		['2.50', 2.5],
		['2,50', 2.5],
		['0.35', 0.35],
		['10', 10],
		[' 3 ', 3],
		['', null],
		['  ', null],
		['n/a', null],
	])('reads the price %p as %p', (raw, expected) => {
		expect(normaliseMessageState(messageState({ smsPrice: raw })).smsPrice).toBe(expected);
	});

	it.each(TERMINAL)('marks %s final', (status) => {
		expect(normaliseMessageState(messageState({ status }))).toMatchObject({ status, final: true });
	});

	it('marks send not final', () => {
		expect(normaliseMessageState(messageState({ status: 'send' }))).toMatchObject({ status: 'send', final: false });
	});

	it('treats exactly the document\'s terminal statuses as final', () => {
		expect([...FINAL_STATUSES].sort()).toEqual([...TERMINAL].sort());
	});

	it('reports an id the provider does not know as a final error with the provider\'s text', () => {
		const output = normaliseMessageState(messageState({ id: '999', status: 'Сообщение с таким ID не принималось' }));
		expect(output).toMatchObject({ id: 999, status: 'error', final: true, error: 'Сообщение с таким ID не принималось' });
	});

	it('reports a row without a status as a final error that says so', () => {
		const output = normaliseMessageState(messageState({ status: '' }));
		expect(output.status).toBe('error');
		expect(output.final).toBe(true);
		expect(output.error).toMatch(/no status/);
	});

	it('keeps an id too large for a JavaScript number as its digits', () => {
		expect(normaliseMessageState(messageState({ id: '123456789012345678901' })).id).toBe('123456789012345678901');
	});

	it('normalises the rows of a state reply', () => {
		const rows = parseMessageStateResponse(
			'<?xml version="1.0" encoding="utf-8"?><response>' +
				'<state id_message="111" time_change_state="2017-11-23 13:15:25" state_sms="deliver" state_viber="send" num_parts_sms="2" price_sms="3.10" price_viber="0">deliver</state>' +
				'<state id_message="999" time_change_state="" state_sms="" state_viber="" num_parts_sms="" price_sms="" price_viber="">Сообщение с таким ID не принималось</state>' +
				'</response>',
		).map(normaliseMessageState);
		expect(rows).toStrictEqual([
			{
				id: 111,
				status: 'deliver',
				final: true,
				smsStatus: 'deliver',
				viberStatus: 'send',
				changedAt: '2017-11-23T13:15:25+03:00',
				smsParts: 2,
				smsPrice: 3.1,
				viberPrice: 0,
			},
			{
				id: 999,
				status: 'error',
				final: true,
				error: 'Сообщение с таким ID не принималось',
				smsStatus: null,
				viberStatus: null,
				changedAt: null,
				smsParts: null,
				smsPrice: null,
				viberPrice: null,
			},
		]);
	});

	it('gives the right types for any known status, time and numbers', () => {
		const decimal = fc
			.tuple(fc.nat({ max: 100_000 }), fc.nat({ max: 99 }), fc.constantFrom('.', ','))
			.map(([whole, cents, point]) => ({ text: `${whole}${point}${pad(cents)}`, value: whole + cents / 100 }));
		const status = fc.constantFrom(...KNOWN);
		fc.assert(
			fc.property(
				providerIdText,
				status,
				fc.oneof(providerTime, fc.constant(NEVER)),
				fc.option(status, { nil: '' }),
				fc.option(status, { nil: '' }),
				fc.nat({ max: 20 }),
				decimal,
				decimal,
				(id, state, changedAt, smsStatus, viberStatus, parts, smsPrice, viberPrice) => {
					const output = normaliseMessageState({
						id,
						status: state,
						changedAt,
						smsStatus,
						viberStatus,
						smsParts: String(parts),
						smsPrice: smsPrice.text,
						viberPrice: viberPrice.text,
					});
					expect(Object.keys(output).sort()).toEqual(
						['id', 'status', 'final', 'smsStatus', 'viberStatus', 'changedAt', 'smsParts', 'smsPrice', 'viberPrice'].sort(),
					);
					expect(typeof output.id).toBe('number');
					expect(output.id).toBe(Number(id));
					expect(output.status).toBe(state);
					expect(output.final).toBe(TERMINAL.includes(state));
					expect(output.smsStatus).toBe(smsStatus || null);
					expect(output.viberStatus).toBe(viberStatus || null);
					if (changedAt === NEVER) expect(output.changedAt).toBeNull();
					else expect(output.changedAt).toMatch(ISO);
					expect(output.smsParts).toBe(parts);
					expect(output.smsPrice).toBeCloseTo(smsPrice.value, 10);
					expect(output.viberPrice).toBeCloseTo(viberPrice.value, 10);
				},
			),
		);
	});
});

describe('normaliseSmsState', () => {
	it.each(TERMINAL)('marks %s final', (status) => {
		expect(normaliseSmsState({ id: '1712292705', status, changedAt: '2024-05-01 12:00:00' })).toStrictEqual({
			id: 1712292705,
			status,
			final: true,
			changedAt: '2024-05-01T12:00:00+03:00',
		});
	});

	it('marks send not final, with no time yet as null', () => {
		expect(normaliseSmsState({ id: '1712292705', status: 'send', changedAt: '' })).toStrictEqual({
			id: 1712292705,
			status: 'send',
			final: false,
			changedAt: null,
		});
	});

	it('reports an unknown id as a final error with the provider\'s text', () => {
		expect(normaliseSmsState({ id: '5', status: 'SMS с таким ID не найдено', changedAt: NEVER })).toStrictEqual({
			id: 5,
			status: 'error',
			final: true,
			error: 'SMS с таким ID не найдено',
			changedAt: null,
		});
	});

	it('normalises the rows of a state.php reply', () => {
		const rows = parseSmsStateResponse(
			'<?xml version="1.0" encoding="utf-8"?><response>' +
				'<state id_sms="1712292705" time="2024-05-01 12:00:05">deliver</state>' +
				'<state id_sms="1712292706" time="">send</state>' +
				'</response>',
		).map(normaliseSmsState);
		expect(rows).toStrictEqual([
			{ id: 1712292705, status: 'deliver', final: true, changedAt: '2024-05-01T12:00:05+03:00' },
			{ id: 1712292706, status: 'send', final: false, changedAt: null },
		]);
	});

	it('gives the right types for any known status and time', () => {
		fc.assert(
			fc.property(providerIdText, fc.constantFrom(...KNOWN), fc.oneof(providerTime, fc.constant(NEVER)), (id, status, changedAt) => {
				const output = normaliseSmsState({ id, status, changedAt });
				expect(output.id).toBe(Number(id));
				expect(output.status).toBe(status);
				expect(output.final).toBe(TERMINAL.includes(status));
				expect(output.error).toBeUndefined();
				if (changedAt === NEVER) expect(output.changedAt).toBeNull();
				else expect(output.changedAt).toMatch(ISO);
			}),
		);
	});
});

describe('normaliseEmailStatus', () => {
	it.each([
		['sent, delivery unknown', { delivered: null }, 'sent', null, false],
		['sent, delivery unknown (the document\'s delivered="")', { delivered: '' }, 'sent', null, false],
		['delivered', { delivered: '1', deliveredDate: '2019-02-21 15:47:40' }, 'delivered', true, true],
		['not delivered', { delivered: '0' }, 'not_delivered', false, true],
		['opened, delivery unknown', { open: '1', openDate: '2019-02-21 15:48:07' }, 'opened', null, false],
		['delivered and opened', { delivered: '1', open: '1', openDate: '2019-02-21 15:48:07' }, 'opened', true, true],
	] as Array<[string, Partial<EmailStatusRecord>, string, boolean | null, boolean]>)(
		'%s',
		(_name, overrides, status, delivered, final) => {
			expect(normaliseEmailStatus(emailRecord(overrides))).toMatchObject({ status, delivered, final });
		},
	);

	it('writes the full output for a delivered letter that was opened and marked as spam', () => {
		expect(
			normaliseEmailStatus(
				emailRecord({
					open: '1',
					openDate: '2019-02-21 15:48:07',
					spam: '1',
					spamDate: '2019-02-21 16:00:00',
					unsubscribe: '1',
					unsubscribeDate: '2019-02-21 16:00:01',
					delivered: '1',
					deliveredDate: '2019-02-21 15:47:40',
				}),
			),
		).toStrictEqual({
			id: 124,
			status: 'opened',
			final: true,
			createdAt: '2019-02-21T15:47:34+03:00',
			delivered: true,
			deliveredAt: '2019-02-21T15:47:40+03:00',
			opened: true,
			openedAt: '2019-02-21T15:48:07+03:00',
			spam: true,
			spamAt: '2019-02-21T16:00:00+03:00',
			unsubscribed: true,
			unsubscribedAt: '2019-02-21T16:00:01+03:00',
		});
	});

	it('writes the flags as booleans, "0" and "" as false', () => {
		const output = normaliseEmailStatus(emailRecord({ open: '', spam: '0', unsubscribe: '' }));
		expect(output).toMatchObject({ opened: false, spam: false, unsubscribed: false });
	});

	it('gives the right types and the furthest status for any flags and times', () => {
		const flag = fc.constantFrom('0', '1', '');
		const time = fc.oneof(providerTime, fc.constant(NEVER));
		fc.assert(
			fc.property(
				fc.record({
					id: providerIdText,
					creationDate: time,
					open: flag,
					openDate: time,
					unsubscribe: flag,
					unsubscribeDate: time,
					spam: flag,
					spamDate: time,
					delivered: fc.constantFrom('0', '1', '', null),
					deliveredDate: time,
				}),
				(record) => {
					const output = normaliseEmailStatus(record);
					expect(output.id).toBe(Number(record.id));
					const delivered = record.delivered === '1' ? true : record.delivered === '0' ? false : null;
					expect(output.delivered).toBe(delivered);
					expect(output.final).toBe(delivered !== null);
					for (const key of ['opened', 'spam', 'unsubscribed']) expect(typeof output[key]).toBe('boolean');
					expect(output.opened).toBe(record.open === '1');
					expect(output.spam).toBe(record.spam === '1');
					expect(output.unsubscribed).toBe(record.unsubscribe === '1');
					const expectedStatus =
						delivered === false ? 'not_delivered' : record.open === '1' ? 'opened' : delivered ? 'delivered' : 'sent';
					expect(output.status).toBe(expectedStatus);
					const times: Array<[string, string]> = [
						['createdAt', record.creationDate],
						['openedAt', record.openDate],
						['spamAt', record.spamDate],
						['unsubscribedAt', record.unsubscribeDate],
						['deliveredAt', record.deliveredDate],
					];
					for (const [key, raw] of times) {
						if (raw === NEVER) expect(output[key]).toBeNull();
						else expect(output[key]).toMatch(ISO);
					}
				},
			),
		);
	});
});
