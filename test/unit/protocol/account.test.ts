import fc from 'fast-check';

import { ProviderRefusalError, UnexpectedResponseError } from '../../../nodes/shared/protocol/errors';
import {
	approvedSenders,
	buildCancelScheduledRequest,
	buildDefRequest,
	buildListScheduledRequest,
	buildStopRequest,
	parseBalanceResponse,
	parseCancelScheduledResponse,
	parseDefResponse,
	parseListScheduledResponse,
	parseOriginatorResponse,
	parseStopListResponse,
	parseStopResponse,
} from '../../../nodes/shared/protocol/sms/account';
import { digits, singleLineText } from '../support/arbitraries';
import { childNames, parseDocument } from '../support/strict-xml';

const reply = (inner: string) => `<?xml version="1.0" encoding="utf-8"?><response>${inner}</response>`;

describe('account builders', () => {
	it('write the reference’s shapes on one line', () => {
		const login = { login: 'l', password: 'p' };
		const security = '<security><login value="l"/><password value="p"/></security>';
		expect(buildDefRequest(login, ['79001234567'])).toBe(
			`<?xml version="1.0" encoding="utf-8"?><request>${security}<phones><phone>79001234567</phone></phones></request>`,
		);
		expect(buildStopRequest(login, 'add', ['79001234567'])).toContain('<add_stop><phone phone="79001234567"/></add_stop>');
		expect(buildStopRequest(login, 'delete', ['79001234567'])).toContain('<delete_stop><phone phone="79001234567"/></delete_stop>');
		expect(buildListScheduledRequest(login, 3)).toContain('<scheduled page="3"/>');
		expect(buildCancelScheduledRequest(login, ['1', '2'])).toContain(
			'<delete_schedule><schedule id_sms="1"/><schedule id_sms="2"/></delete_schedule>',
		);
	});

	it('property: any login, password and phones keep the document’s structure', () => {
		fc.assert(
			fc.property(singleLineText(), singleLineText(), fc.array(digits(10, 15), { minLength: 1, maxLength: 5 }), (login, password, phones) => {
				for (const body of [buildDefRequest({ login, password }, phones), buildStopRequest({ login, password }, 'add', phones)]) {
					expect(body).not.toMatch(/[\r\n]/);
					const root = parseDocument(body);
					expect(childNames(root)).toHaveLength(2);
					expect(root.children[0].children.map((child) => child.attributes.value)).toEqual([login, password]);
					expect(root.children[1].children).toHaveLength(phones.length);
				}
			}),
		);
	});
});

describe('account parsers', () => {
	it('read the balance with numbers as numbers', () => {
		expect(
			parseBalanceResponse(reply('<money currency="RUR">150.5</money><sms area="МТС" price="1,1" type_sms="sms" type_text="Рекламные" MCC="250" MNC="1">136</sms>')),
		).toEqual({
			money: 150.5,
			currency: 'RUR',
			directions: [{ area: 'МТС', sms: 136, price: 1.1, type: 'sms', textType: 'Рекламные', mcc: '250', mnc: '1' }],
		});
	});

	it('read sender names; only completed ones are approved; TRUE means any', () => {
		const names = parseOriginatorResponse(
			reply('<any_originator>FALSE</any_originator><list_originator><originator state="completed">A</originator><originator state="order">B</originator><originator state="rejected">C</originator></list_originator>'),
		);
		expect(names.anySender).toBe(false);
		expect(approvedSenders(names)).toEqual(['A']);
		expect(parseOriginatorResponse(reply('<any_originator>TRUE</any_originator>'))).toEqual({ anySender: true, senders: [] });
	});

	it('read def.php with time_zone as hours from Moscow; an unknown phone is absent', () => {
		const known = parseDefResponse(reply('<phone operator="Мегафон" region="Москва" time_zone="0">79001234567</phone><phone operator="X" region="Приморье" time_zone="7">79140000001</phone>'));
		expect(known.get('79140000001')).toEqual({ phone: '79140000001', operator: 'X', region: 'Приморье', moscowOffsetHours: 7 });
		expect(known.get('79001234567')?.moscowOffsetHours).toBe(0);
		expect(known.has('1')).toBe(false);
	});

	it('read stop lists, stop results, scheduled pages and cancellations', () => {
		expect(parseStopListResponse(reply('<phone>79001234567</phone>'))).toEqual(['79001234567']);
		expect(parseStopListResponse(reply(''))).toEqual([]);
		expect([...parseStopResponse(reply('<phone phone="79001234567">add</phone><phone phone="7">not_found</phone>'))]).toEqual([
			['79001234567', 'add'],
			['7', 'not_found'],
		]);
		const page = parseListScheduledResponse(
			reply('<phones page="2" num_pages="3"><scheduled id_sms="5" time_put_turn="2026-01-01 10:00:00" originator="S" phone="7900" type_sms="sms" text_sms="t" count_sms="1" name_delivery="" time_send="2026-01-02 10:00:00" validity_period="2026-01-03 10:00:00"/></phones>'),
		);
		expect(page).toMatchObject({ page: 2, pages: 3, scheduled: [{ smsId: '5', sender: 'S', sendAt: '2026-01-02 10:00:00' }] });
		expect([...parseCancelScheduledResponse(reply('<scheduled id_sms="007">delete</scheduled>'))]).toEqual([['7', 'delete']]);
	});

	it('refuse an error reply and a foreign document', () => {
		expect(() => parseBalanceResponse(reply('<error>Неправильный логин или пароль</error>'))).toThrow(ProviderRefusalError);
		expect(() => parseDefResponse('<html></html>')).toThrow(UnexpectedResponseError);
	});
});
