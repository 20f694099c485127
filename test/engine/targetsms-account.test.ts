import { XMLParser } from 'fast-xml-parser';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SandboxTexts } from '../sandbox/server';
import { requestsTo, runNode, runTargetSms, startSandbox } from './targetsms-fixture';

const context = startSandbox();
const wire = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['phone', 'schedule'].includes(name),
});
const MOSCOW_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/;
const LOGIN = { login: { value: 'demo' }, password: { value: 'demo1234' } };

const account = (parameters: INodeParameters, items: IDataObject[] = [{}], extra = {}) =>
	runNode(context.sandbox, 'targetSmsAccount', { items, parameters, ...extra });

/** The only request the node made to `path`, read independently of the node's parser. */
function onlyRequest(path: string): Record<string, unknown> {
	const requests = requestsTo(context.sandbox, path);
	expect(requests).toHaveLength(1);
	return (wire.parse(requests[0].body) as { request: Record<string, unknown> }).request;
}

/** A send scheduled three hours ahead, from the TargetSMS node; returns its output items. */
async function scheduleSms(phones: string, text = 'Напоминание') {
	const sendAt = new Date(context.sandbox.now().getTime() + 3 * 3600_000);
	sendAt.setUTCSeconds(0, 0);
	const result = await runTargetSms(context.sandbox, {
		items: [{}],
		parameters: { operation: 'send', channel: 'sms', phones, smsSender: 'Shop', smsText: text, options: { sendAt: sendAt.toISOString() } },
	});
	return { items: result.output('TargetSMS').map((item) => item.json), sendAt };
}

describe('TargetSMS Account node in n8n’s engine against the sandbox', () => {
	it('gets the balance: one item, numbers as numbers, a request of the login only', async () => {
		const result = await account({ resource: 'account', operation: 'getBalance' });
		expect(onlyRequest('/xml/balance.php')).toEqual({ security: LOGIN });
		expect(requestsTo(context.sandbox, '/xml/balance.php')[0].body).not.toMatch(/[\r\n]/);
		expect(result.output('Node')).toEqual([
			{
				json: {
					money: 150,
					currency: 'RUR',
					directions: [
						{ area: 'МТС', sms: 136, price: 1.1, type: 'sms', textType: 'Рекламные', mcc: '250', mnc: '1' },
						{ area: 'Мегафон', sms: 125, price: 1.2, type: 'sms', textType: 'Сервисные', mcc: '250', mnc: '2' },
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('gets the sender names with their states, or one anySender item', async () => {
		const listed = await account({ resource: 'account', operation: 'getSenders' });
		expect(listed.output('Node').map((item) => item.json)).toEqual([
			{ sender: 'TargetSMS', state: 'completed' },
			{ sender: 'Shop', state: 'completed' },
			{ sender: 'NewName', state: 'order' },
			{ sender: 'Refused', state: 'rejected' },
		]);
		context.sandbox.account.anySender = true;
		const any = await account({ resource: 'account', operation: 'getSenders' });
		expect(any.output('Node').map((item) => item.json)).toEqual([{ anySender: true }]);
	});

	it('looks up the phones of all items in one request, each output paired to its item; unknown phones are found: false', async () => {
		context.sandbox.account.setPhoneInfo('79140000001', { operator: 'Мегафон', region: 'Приморский край', timeZone: 7 });
		context.sandbox.account.setPhoneInfo('74012000000', { operator: 'Билайн', region: 'Калининградская область', timeZone: -1 });
		const result = await account({ resource: 'phone', operation: 'lookup', phones: '={{ $json.phones }}' }, [
			{ phones: '+7 914 000-00-01, 8 (4012) 00-00-00' },
			{ phones: '+84 912 345 678; 79140000001' },
		]);
		expect(onlyRequest('/xml/def.php')).toEqual({
			security: LOGIN,
			phones: { phone: ['79140000001', '74012000000', '84912345678'] },
		});
		expect(result.output('Node').map((item) => [item.json, item.pairedItem])).toEqual([
			[{ phone: '79140000001', found: true, operator: 'Мегафон', region: 'Приморский край', moscowOffsetHours: 7 }, { item: 0 }],
			[{ phone: '74012000000', found: true, operator: 'Билайн', region: 'Калининградская область', moscowOffsetHours: -1 }, { item: 0 }],
			[{ phone: '84912345678', found: false, operator: null, region: null, moscowOffsetHours: null }, { item: 1 }],
			[{ phone: '79140000001', found: true, operator: 'Мегафон', region: 'Приморский край', moscowOffsetHours: 7 }, { item: 1 }],
		]);
	});

	it('refuses an invalid phone naming item and field before any request; with continueOnFail the others go on', async () => {
		const items = [{ phones: '79001234567' }, { phones: '12-ab' }];
		const parameters = { resource: 'phone', operation: 'lookup', phones: '={{ $json.phones }}' };
		const failed = await account(parameters, items);
		expect(failed.nodeError('Node')?.message).toMatch(/^Item 1: Phones: "12-ab" is not a phone number/);
		expect(context.sandbox.requests).toHaveLength(0);

		const going = await account(parameters, items, { settings: { continueOnFail: true } });
		expect(going.output('Node').map((item) => [item.json.phone ?? item.json.error, item.pairedItem])).toEqual([
			['79001234567', { item: 0 }],
			[expect.stringMatching(/^Item 1: Phones: /), { item: 1 }],
		]);
	});

	it('adds to the stop list, which then blocks sends with the provider’s text; lists and removes', async () => {
		const added = await account({ resource: 'stopList', operation: 'add', phones: '+7 900 000-00-01, 79000000002' });
		expect(onlyRequest('/xml/stop.php')).toEqual({
			security: LOGIN,
			add_stop: { phone: [{ phone: '79000000001' }, { phone: '79000000002' }] },
		});
		expect(added.output('Node').map((item) => item.json)).toEqual([
			{ phone: '79000000001', result: 'add' },
			{ phone: '79000000002', result: 'add' },
		]);

		const send = await runTargetSms(context.sandbox, {
			items: [{}],
			parameters: { operation: 'send', channel: 'sms', phones: '79000000001, 79000000003', smsSender: 'Shop', smsText: 't' },
			settings: { continueOnFail: true },
		});
		expect(send.output('TargetSMS').map((item) => [item.json.phone, item.json.error ?? item.json.status])).toEqual([
			['79000000001', 'Номер телефона присутствует в стоп-листе.'],
			['79000000003', 'send'],
		]);
		expect(SandboxTexts.stopListedByAccount).toBe('Номер телефона присутствует в стоп-листе.');

		const listed = await account({ resource: 'stopList', operation: 'getAll', returnAll: true });
		expect(listed.output('Node').map((item) => item.json)).toEqual([{ phone: '79000000001' }, { phone: '79000000002' }]);
		const limited = await account({ resource: 'stopList', operation: 'getAll', returnAll: false, limit: 1 });
		expect(limited.output('Node').map((item) => item.json)).toEqual([{ phone: '79000000001' }]);

		context.sandbox.reset();
		context.sandbox.refusePhone('79000000001');
		const removed = await account({ resource: 'stopList', operation: 'remove', phones: '={{ $json.phone }}' }, [
			{ phone: '79000000001' },
			{ phone: '79000000009' },
		]);
		expect(onlyRequest('/xml/stop.php')).toEqual({
			security: LOGIN,
			delete_stop: { phone: [{ phone: '79000000001' }, { phone: '79000000009' }] },
		});
		expect(removed.output('Node').map((item) => [item.json, item.pairedItem])).toEqual([
			[{ phone: '79000000001', result: 'delete' }, { item: 0 }],
			[{ phone: '79000000009', result: 'not_found' }, { item: 1 }],
		]);
		expect(context.sandbox.stopList).toEqual([]);
	});

	it('an empty stop list is no items, not an error', async () => {
		const result = await account({ resource: 'stopList', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.output('Node')).toEqual([]);
	});

	it('lists scheduled SMS following the provider’s pages, and Limit stops early', async () => {
		context.sandbox.account.scheduledPageSize = 2;
		const { items, sendAt } = await scheduleSms('79000000001, 79000000002, 79000000003', 'Приём завтра');
		const all = await account({ resource: 'scheduled', operation: 'getAll', returnAll: true });
		const pages = requestsTo(context.sandbox, '/xml/list_scheduled.php').map(
			(request) => (wire.parse(request.body) as { request: { scheduled: { page: string } } }).request.scheduled.page,
		);
		expect(pages).toEqual(['1', '2']);
		const output = all.output('Node').map((item) => item.json);
		expect(output.map((row) => row.smsId)).toEqual(items.map((item) => item.smsId));
		expect(output[0]).toEqual({
			smsId: items[0].smsId,
			queuedAt: expect.stringMatching(MOSCOW_ISO),
			sender: 'Shop',
			phone: '79000000001',
			type: 'sms',
			text: 'Приём завтра',
			parts: 1,
			deliveryName: '',
			sendAt: new Date(sendAt.getTime() + 3 * 3600_000).toISOString().slice(0, 19) + '+03:00',
			validUntil: expect.stringMatching(MOSCOW_ISO),
		});

		context.sandbox.requests.length = 0;
		const limited = await account({ resource: 'scheduled', operation: 'getAll', returnAll: false, limit: 1 });
		expect(limited.output('Node')).toHaveLength(1);
		expect(requestsTo(context.sandbox, '/xml/list_scheduled.php')).toHaveLength(1);
	});

	it('cancels the ids of all items in one request; a cancelled reminder is never delivered', async () => {
		const { items } = await scheduleSms('79000000001, 79000000002');
		const result = await account({ resource: 'scheduled', operation: 'cancel', ids: '={{ $json.ids }}' }, [
			{ ids: String(items[0].smsId) },
			{ ids: `${items[0].smsId}; 999` },
		]);
		expect(onlyRequest('/xml/scheduled.php')).toEqual({
			security: LOGIN,
			delete_schedule: { schedule: [{ id_sms: String(items[0].smsId) }, { id_sms: '999' }] },
		});
		expect(result.output('Node').map((item) => [item.json, item.pairedItem])).toEqual([
			[{ smsId: items[0].smsId, cancelled: true, result: 'delete' }, { item: 0 }],
			[{ smsId: items[0].smsId, cancelled: true, result: 'delete' }, { item: 1 }],
			[{ smsId: 999, cancelled: false, result: 'not_found' }, { item: 1 }],
		]);

		const left = await account({ resource: 'scheduled', operation: 'getAll', returnAll: true });
		expect(left.output('Node').map((item) => item.json.smsId)).toEqual([items[1].smsId]);

		context.sandbox.advanceTime(4 * 3600_000);
		const status = await runNode(context.sandbox, 'targetSmsStatus', {
			items: items.map((item) => ({ id: item.messageId })),
			parameters: { resource: 'message', operation: 'get', ids: '={{ $json.id }}' },
		});
		expect(status.output('Node').map((item) => item.json.status)).toEqual(['not_deliver', 'deliver']);
	});

	it.each([
		['a non-numeric id', '12a', /^Item 0: SMS IDs: "12a" is not an ID/],
		['an empty list', ' , ', /^Item 0: SMS IDs: at least one ID is required/],
	])('refuses %s before any request', async (_case, ids, message) => {
		const result = await account({ resource: 'scheduled', operation: 'cancel', ids });
		expect(result.nodeError('Node')?.message).toMatch(message);
		expect(context.sandbox.requests).toHaveLength(0);
	});

	it('passes a provider refusal on as NodeApiError with its text, without the password', async () => {
		const result = await runNode(context.sandbox, 'targetSmsAccount', {
			items: [{}],
			parameters: { resource: 'account', operation: 'getBalance' },
			password: 'wrong-password',
		});
		const error = result.nodeError('Node') as Error & { description?: string; name?: string };
		expect(error.name).toBe('NodeApiError');
		expect(`${error.message} ${error.description ?? ''}`).toContain(SandboxTexts.wrongLogin);
		expect(JSON.stringify(error)).not.toContain('wrong-password');
	});
});
