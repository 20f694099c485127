import { XMLParser } from 'fast-xml-parser';

import { requestsTo, runNode, runNodes, startSandbox } from './targetsms-fixture';
import { readWire } from './wire';

const context = startSandbox();
const xml = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (name) => name === 'id_sms' });
const MOSCOW_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/;

const sms = (phones: string) => ({
	name: 'Send',
	type: 'n8n-nodes-targetsms.targetSms',
	parameters: { operation: 'send', channel: 'viberThenSms', phones, smsSender: 'S', smsText: 't', viberSender: 'V', viberText: 'v' },
});

describe('TargetSMS Status node in n8n’s engine against the sandbox', () => {
	it('gathers the message ids of all items into one state request and follows them to final', async () => {
		const { sandbox } = context;
		const sent = await runNodes(sandbox, { items: [{}] }, [sms('79000000001, 79000000010, 79000000008')]);
		const messageIds = sent.output('Send').map((item) => ({ id: item.json.messageId }));

		const ask = () =>
			runNode(sandbox, 'targetSmsStatus', { items: messageIds, parameters: { resource: 'message', operation: 'get', ids: '={{ $json.id }}' } });
		const pending = await ask();
		expect(requestsTo(sandbox, '/xml/state_message.php')).toHaveLength(1);
		expect(readWire(requestsTo(sandbox, '/xml/state_message.php')[0].body).state?.id_message).toEqual(
			messageIds.map((item) => String(item.id)),
		);
		expect(pending.output('Node').map((item) => [item.json.status, item.json.final, item.pairedItem])).toEqual([
			['send', false, { item: 0 }],
			['send', false, { item: 1 }],
			['send', false, { item: 2 }],
		]);

		sandbox.advanceTime(60_000);
		const done = (await ask()).output('Node').map((item) => item.json);
		expect(done[0]).toEqual({
			id: messageIds[0].id,
			status: 'deliver',
			final: true,
			smsStatus: 'send',
			viberStatus: 'deliver',
			changedAt: expect.stringMatching(MOSCOW_ISO),
			smsParts: 0,
			smsPrice: 0,
			viberPrice: 1.2,
		});
		expect(done[1]).toMatchObject({ status: 'deliver', final: true, viberStatus: 'not_deliver', smsStatus: 'deliver', smsParts: 1, smsPrice: 2.5 });
		expect(done[2]).toMatchObject({ status: 'not_deliver', final: true });
	});

	it('splits ids separated by commas, spaces and line breaks; an unknown id is its own final error item', async () => {
		const { sandbox } = context;
		const sent = await runNodes(sandbox, { items: [{}] }, [sms('79000000001')]);
		const known = sent.output('Send')[0].json.messageId;
		const result = await runNode(sandbox, 'targetSmsStatus', {
			items: [{ ids: `${known}, 999999;\n123 456` }],
			parameters: { resource: 'message', operation: 'get', ids: '={{ $json.ids }}' },
		});
		const output = result.output('Node').map((item) => item.json);
		expect(output.map((item) => item.id)).toEqual([known, 999999, 123, 456]);
		expect(output[1]).toMatchObject({ status: 'error', final: true, error: 'Сообщение с таким ID не принималось', changedAt: null });
		expect(result.output('Node').every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
	});

	it('asks state.php for SMS ids, from the SMS node and from the OTP node', async () => {
		const { sandbox } = context;
		const sent = await runNodes(sandbox, { items: [{}] }, [sms('79000000010')]);
		const otp = await runNode(sandbox, 'targetSmsOtp', {
			items: [{}],
			parameters: { operation: 'send', phone: '79001234567', sender: 'target', codeLength: 4, text: 'Код {код}' },
		});
		const smsIds = [sent.output('Send')[0].json.smsId, otp.output('Node')[0].json.smsId];
		sandbox.advanceTime(60_000);
		const result = await runNode(sandbox, 'targetSmsStatus', {
			items: smsIds.map((id) => ({ id })),
			parameters: { resource: 'sms', operation: 'get', ids: '={{ $json.id }}' },
		});
		const [request] = requestsTo(sandbox, '/xml/state.php');
		expect(xml.parse(request.body).request.get_state.id_sms).toEqual(smsIds.map(String));
		expect(result.output('Node').map((item) => item.json)).toEqual([
			{ id: smsIds[0], status: 'deliver', final: true, changedAt: expect.stringMatching(MOSCOW_ISO) },
			{ id: smsIds[1], status: 'deliver', final: true, changedAt: expect.stringMatching(MOSCOW_ISO) },
		]);
	});

	it.each(['json', 'xml'] as const)('gets email status in %s, one id per request, normalised', async (format) => {
		const { sandbox } = context;
		const sent = await runNode(sandbox, 'targetSmsEmail', {
			items: [{ to: 'anna@example.ru' }, { to: 'bounce@example.ru' }],
			parameters: { operation: 'send', format, from: 'shop@example.com', to: '={{ $json.to }}', subject: 'S', body: 'B' },
		});
		const externalIds = sent.output('Node').map((item) => ({ id: item.json.externalMessageId }));
		const ask = () =>
			runNode(sandbox, 'targetSmsStatus', {
				items: externalIds,
				parameters: { resource: 'email', operation: 'get', format, ids: '={{ $json.id }}' },
			});
		const fresh = (await ask()).output('Node').map((item) => item.json);
		expect(fresh[0]).toEqual({
			id: externalIds[0].id,
			status: 'sent',
			final: false,
			createdAt: expect.stringMatching(MOSCOW_ISO),
			delivered: null,
			deliveredAt: null,
			opened: false,
			openedAt: null,
			spam: false,
			spamAt: null,
			unsubscribed: false,
			unsubscribedAt: null,
		});
		const statusRequests = requestsTo(sandbox, '/clients/api.php').filter((request) => request.query.includes('func=status'));
		expect(statusRequests).toHaveLength(2);

		sandbox.advanceTime(10_000);
		const later = (await ask()).output('Node').map((item) => item.json);
		expect(later[0]).toMatchObject({ status: 'opened', final: true, delivered: true, opened: true, openedAt: expect.stringMatching(MOSCOW_ISO) });
		expect(later[1]).toMatchObject({ status: 'not_delivered', final: true, delivered: false, opened: false });
	});

	it('an unknown email id is that item’s error, with the provider’s words', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsStatus', {
			items: [{ id: '424242' }],
			parameters: { resource: 'email', operation: 'get', format: 'json', ids: '={{ $json.id }}' },
			settings: { continueOnFail: true },
		});
		expect(result.output('Node')[0]).toMatchObject({ json: { error: expect.stringMatching(/^TargetSMS refused the request: /) }, pairedItem: { item: 0 } });
	});

	it('refuses an id that is not a number before any request', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsStatus', {
			items: [{ id: '12a' }],
			parameters: { resource: 'message', operation: 'get', ids: '={{ $json.id }}' },
		});
		expect(result.nodeError('Node')?.message).toMatch(/^Item 0: IDs: "12a" is not an ID/);
		expect(sandbox.requests).toHaveLength(0);
	});
});
