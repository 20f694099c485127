import type { INodeParameters } from 'n8n-workflow';

import { requestsTo, runTargetSms, startSandbox } from './targetsms-fixture';
import { readWire } from './wire';

const context = startSandbox();
const HOUR = 3_600_000;

/** The Moscow calendar date `days` from now, as YYYY-MM-DD. */
function moscowDate(days: number): string {
	return new Date(Date.now() + 3 * HOUR + days * 24 * HOUR).toISOString().slice(0, 10);
}

function shiftDate(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * 24 * HOUR).toISOString().slice(0, 10);
}

const send = (phones: string, options: INodeParameters, continueOnFail = false) =>
	runTargetSms(context.sandbox, {
		items: [{ phones }],
		parameters: { operation: 'send', channel: 'sms', phones: '={{ $json.phones }}', smsSender: 'Shop', smsText: 'Приём', options },
		settings: { continueOnFail },
	});

beforeEach(() => {
	context.sandbox.account.setPhoneInfo('79140000001', { operator: 'МТС', region: 'Приморский край', timeZone: 7 });
	context.sandbox.account.setPhoneInfo('79110000001', { operator: 'МТС', region: 'Калининградская область', timeZone: -1 });
});

describe('Send At Recipient Time in n8n’s engine against the sandbox', () => {
	it('looks the phones up first, then sends one <message> per offset with its own time_send, across a date change', async () => {
		const day = moscowDate(2);
		const result = await send('79000000001, 79140000001, 79110000001, 79000000002', {
			sendAt: `${day}T05:00:00+05:00`,
			sendAtRecipientTime: true,
		});
		expect(result.error).toBeUndefined();
		expect(context.sandbox.requests.map((request) => request.path)).toEqual(['/xml/def.php', '/xml/message.php']);
		const [lookup] = requestsTo(context.sandbox, '/xml/def.php');
		expect(lookup.body).toContain('<phones><phone>79000000001</phone><phone>79140000001</phone><phone>79110000001</phone><phone>79000000002</phone></phones>');
		const messages = readWire(requestsTo(context.sandbox, '/xml/message.php')[0].body).message ?? [];
		expect(messages.map((message) => [message.time_send, (message.abonent ?? []).map((abonent) => abonent.phone)])).toEqual([
			[`${day} 05:00`, ['79000000001', '79000000002']],
			[`${shiftDate(day, -1)} 22:00`, ['79140000001']],
			[`${day} 06:00`, ['79110000001']],
		]);
		expect(result.output('TargetSMS').map((item) => [item.json.phone, item.json.status, item.pairedItem])).toEqual([
			['79000000001', 'send', { item: 0 }],
			['79000000002', 'send', { item: 0 }],
			['79140000001', 'send', { item: 0 }],
			['79110000001', 'send', { item: 0 }],
		]);
	});

	it('an unknown phone or a local time already past is that recipient’s error before any send request', async () => {
		const soon = new Date(Date.now() + 3 * HOUR + 2 * HOUR).toISOString().slice(0, 16);
		const failed = await send('79000000001, 79140000001, +84912345678', { sendAt: soon, sendAtRecipientTime: true });
		const error = failed.nodeError('TargetSMS');
		expect(error?.message).toMatch(/^Item 0: Phones: .*79140000001 \(Moscow \+7 h\) is already past; .*does not know 84912345678/);
		expect(requestsTo(context.sandbox, '/xml/message.php')).toHaveLength(0);

		context.sandbox.reset();
		context.sandbox.account.setPhoneInfo('79140000001', { operator: 'МТС', region: 'Приморский край', timeZone: 7 });
		const going = await send('79000000001, 79140000001, +84912345678', { sendAt: soon, sendAtRecipientTime: true }, true);
		expect(going.output('TargetSMS').map((item) => [item.json.phone, item.json.status ?? item.json.error])).toEqual([
			['79140000001', expect.stringMatching(/already past; nothing was sent to it$/)],
			['84912345678', expect.stringMatching(/does not know 84912345678/)],
			['79000000001', 'send'],
		]);
		expect(context.sandbox.messages.map((message) => message.phone)).toEqual(['79000000001']);
	});

	it('refuses Timezone together with it, and a missing Send At, before any request', async () => {
		const contradiction = await send('79000000001', { sendAt: `${moscowDate(2)}T10:00`, sendAtRecipientTime: true, timezone: 'Europe/Moscow' });
		expect(contradiction.nodeError('TargetSMS')?.message).toMatch(/^Item 0: Timezone: cannot be combined with Send At Recipient Time/);
		const missing = await send('79000000001', { sendAtRecipientTime: true });
		expect(missing.nodeError('TargetSMS')?.message).toMatch(/^Item 0: Send At: is required/);
		expect(context.sandbox.requests).toHaveLength(0);
	});
});
