import { TargetSmsSandbox } from '../sandbox/server';
import { testCredential } from './harness';
import { NODE_NAME, requestsTo, runTargetSms, startSandbox, targetSmsNodeType } from './targetsms-fixture';
import { readWire } from './wire';

const MESSAGE = '/xml/message.php';
const context = startSandbox();

const smsFromItems = {
	operation: 'send',
	channel: 'sms',
	phones: '={{ $json.phone }}',
	smsSender: 'MyShop',
	smsText: '={{ $json.text }}',
};

describe('TargetSMS node: send in n8n’s engine against the sandbox', () => {
	it('sends every item of a run in one request and pairs each recipient with its item', async () => {
		const { sandbox } = context;
		const items = [
			{ phone: '+7 (900) 123-45-67', text: 'Заказ №1 принят\nСпасибо!' },
			{ phone: '8 900 123-45-68', text: 'Order <2> & "quotes"' },
			{ phone: '9001234569', text: 'Третий' },
		];
		const result = await runTargetSms(sandbox, { items, parameters: smsFromItems });
		expect(result.error).toBeUndefined();

		const requests = requestsTo(sandbox, MESSAGE);
		expect(requests).toHaveLength(1);
		expect(requests[0].headers['content-type']).toMatch(/^text\/xml; charset=utf-8$/);
		expect(requests[0].body).not.toMatch(/[\r\n]/);
		const wire = readWire(requests[0].body);
		expect(wire.security.login.value).toBe(TargetSmsSandbox.DEFAULT_LOGIN);
		expect(wire.message).toHaveLength(3);
		expect(wire.message!.map((message) => message.abonent!.map((abonent) => abonent.phone))).toEqual([
			['79001234567'],
			['79001234568'],
			['79001234569'],
		]);
		expect(wire.message![0]).toMatchObject({
			send_sms: '1',
			send_viber: '0',
			sender_sms: 'MyShop',
			text_sms: 'Заказ №1 принят\\nСпасибо!',
		});
		expect(wire.message![0].text_viber).toBeUndefined();
		expect(wire.message![1].text_sms).toBe('Order <2> & "quotes"');

		const output = result.output(NODE_NAME);
		expect(output).toHaveLength(3);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const stored = sandbox.messages[index];
			expect(item.json).toEqual({
				phone: stored.phone,
				messageId: stored.idMessage,
				clientMessageId: wire.message![index].abonent![0].client_id_message,
				smsId: stored.idSms,
				viberId: null,
				parts: stored.parts,
				status: 'send',
				alreadySent: false,
			});
		});
		expect(sandbox.messages.map((message) => message.textSms)).toEqual(items.map((item) => item.text));
	});

	it('maps every Viber-then-SMS field onto the document’s elements', async () => {
		const { sandbox } = context;
		const sendAt = new Date(Date.now() + 3 * 3600_000);
		sendAt.setUTCSeconds(0, 0);
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79001112233' }],
			parameters: {
				operation: 'send',
				channel: 'viberThenSms',
				phones: '={{ $json.phone }}',
				smsSender: 'MyShop',
				smsText: 'SMS text',
				viberSender: 'MyShopViber',
				viberText: 'Viber text',
				options: {
					deliveryName: 'Reminders',
					sendAt: sendAt.toISOString(),
					buttonText: 'Open',
					buttonUrl: 'https://example.com/a?b=1&c=2',
					imageUrl: 'https://example.com/i.png',
					viberValidity: 90,
					viberReadIsFinal: true,
				},
			},
		});
		expect(result.error).toBeUndefined();
		const [message] = readWire(requestsTo(sandbox, MESSAGE)[0].body).message!;
		const moscow = new Date(sendAt.getTime() + 3 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
		expect(message).toEqual({
			send_viber: '1',
			send_sms: '2',
			name_delivery: 'Reminders',
			time_send: moscow,
			sender_viber: 'MyShopViber',
			text_viber: 'Viber text',
			button_text: 'Open',
			button_url: 'https://example.com/a?b=1&c=2',
			image_url: 'https://example.com/i.png',
			validity_period_viber: '90',
			finale_viber_read: '1',
			sender_sms: 'MyShop',
			text_sms: 'SMS text',
			abonent: [{ phone: '79001112233', client_id_message: expect.stringMatching(/^\d+$/) }],
		});
		const [item] = result.output(NODE_NAME);
		expect(item.json.viberId).toBe(sandbox.messages[0].idViber);
		expect(item.json.smsId).toBe(sandbox.messages[0].idSms);
		expect(item.json.parts).toBe(1);
	});

	it('orders SMS before Viber for smsThenViber and leaves SMS out of a Viber-only message', async () => {
		const { sandbox } = context;
		const parameters = {
			operation: 'send',
			phones: '79001112233',
			smsSender: 'Shop',
			smsText: 'sms',
			viberSender: 'Shop',
			viberText: 'viber',
		};
		await runTargetSms(sandbox, { items: [{}], parameters: { ...parameters, channel: 'smsThenViber' } });
		await runTargetSms(sandbox, { items: [{}], parameters: { ...parameters, channel: 'viber' } });
		const [cascade, viberOnly] = requestsTo(sandbox, MESSAGE).map((request) => readWire(request.body).message![0]);
		expect(cascade).toMatchObject({ send_viber: '2', send_sms: '1', text_sms: 'sms', text_viber: 'viber' });
		expect(viberOnly).toMatchObject({ send_viber: '1', send_sms: '0', text_viber: 'viber' });
		expect(viberOnly.text_sms).toBeUndefined();
		expect(viberOnly.sender_sms).toBeUndefined();
	});

	it('sends an item’s several phones as abonents of one message, each its own output item', async () => {
		const { sandbox } = context;
		const result = await runTargetSms(sandbox, {
			items: [{ phones: '+7 900 000-00-01; 89000000002\n+84 912 345 678, 79000000001' }],
			parameters: { ...smsFromItems, phones: '={{ $json.phones }}', smsText: 'Hi' },
		});
		const wire = readWire(requestsTo(sandbox, MESSAGE)[0].body);
		expect(wire.message).toHaveLength(1);
		expect(wire.message![0].abonent!.map((abonent) => abonent.phone)).toEqual([
			'79000000001',
			'79000000002',
			'84912345678',
		]);
		const output = result.output(NODE_NAME);
		expect(output.map((item) => item.json.phone)).toEqual(['79000000001', '79000000002', '84912345678']);
		expect(output.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
		expect(new Set(output.map((item) => item.json.clientMessageId)).size).toBe(3);
	});

	it('splits recipients into requests of at most Batch Size, splitting an item into messages with the same content', async () => {
		const { sandbox } = context;
		const items = [
			{ phones: '79000000001, 79000000002, 79000000003, 79000000004, 79000000005', text: 'big' },
			{ phones: '79000000006', text: 'small' },
		];
		const result = await runTargetSms(sandbox, {
			items,
			parameters: { ...smsFromItems, phones: '={{ $json.phones }}', options: { batchSize: 2 } },
		});
		expect(result.error).toBeUndefined();
		const wires = requestsTo(sandbox, MESSAGE).map((request) => readWire(request.body));
		expect(wires.map((wire) => wire.message!.map((message) => message.abonent!.length))).toEqual([[2], [2], [1, 1]]);
		expect(wires.flatMap((wire) => wire.message!.map((message) => message.text_sms))).toEqual([
			'big',
			'big',
			'big',
			'small',
		]);
		const output = result.output(NODE_NAME);
		expect(output.map((item) => [item.json.phone, (item.pairedItem as { item: number }).item])).toEqual([
			['79000000001', 0],
			['79000000002', 0],
			['79000000003', 0],
			['79000000004', 0],
			['79000000005', 0],
			['79000000006', 1],
		]);
		expect(sandbox.messages).toHaveLength(6);
	});

	it('derives the same client ids when the same execution sends again, so nothing is sent twice', async () => {
		const { sandbox } = context;
		const run = { items: [{ phone: '79001234567', text: 'once' }], parameters: smsFromItems, executionId: 'exec-42' };
		const first = await runTargetSms(sandbox, run);
		const second = await runTargetSms(sandbox, run);
		expect(sandbox.messages).toHaveLength(1);
		expect(second.output(NODE_NAME)[0].json).toEqual(first.output(NODE_NAME)[0].json);

		await runTargetSms(sandbox, { ...run, executionId: 'exec-43' });
		expect(sandbox.messages).toHaveLength(2);
	});

	it('sends the user’s Client Message ID as given, and refuses it for an item with several phones', async () => {
		const { sandbox } = context;
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79001234567', id: '100045' }, { phone: '79001234567, 79001234568', id: '100046' }],
			parameters: { ...smsFromItems, smsText: 'x', options: { clientMessageId: '={{ $json.id }}' } },
			settings: { continueOnFail: true },
		});
		const wire = readWire(requestsTo(sandbox, MESSAGE)[0].body);
		expect(wire.message).toHaveLength(1);
		expect(wire.message![0].abonent).toEqual([{ phone: '79001234567', client_id_message: '100045' }]);
		const output = result.output(NODE_NAME);
		expect(output[0].json.clientMessageId).toBe('100045');
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].json.error).toMatch(/Item 1: Client Message ID: .*2 phones/);
	});
});

describe('TargetSMS node: refusals and failures', () => {
	it('reports a refused recipient as its own item with continueOnFail', async () => {
		const { sandbox } = context;
		sandbox.refusePhone('79000000002', 'Номер в стоп-листе');
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001, 79000000002, 79000000003' }],
			parameters: { ...smsFromItems, smsText: 'x' },
			settings: { continueOnFail: true },
		});
		expect(result.error).toBeUndefined();
		const output = result.output(NODE_NAME).map((item) => item.json);
		expect(output[1]).toMatchObject({ phone: '79000000002', error: 'Номер в стоп-листе', messageId: null });
		expect(output[0].messageId).toBe(sandbox.messages[0].idMessage);
		expect(output[2].messageId).toBe(sandbox.messages[1].idMessage);
		expect(output[0].error).toBeUndefined();
	});

	it('without continueOnFail, fails naming the refused count and lists every accepted recipient', async () => {
		const { sandbox } = context;
		sandbox.refusePhone('79000000002', 'Номер в стоп-листе');
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001, 79000000002, 79000000003' }],
			parameters: { ...smsFromItems, smsText: 'x' },
		});
		const error = result.nodeError(NODE_NAME) as Error & { description?: string };
		expect(error.message).toMatch(/refused 1 of 3 recipients/);
		expect(error.message).toContain('Номер в стоп-листе');
		for (const stored of sandbox.messages) {
			expect(error.description).toContain(`${stored.phone}: id_message ${stored.idMessage}`);
		}
	});

	it('shows the provider’s words for a refused login and never the password', async () => {
		const { sandbox } = context;
		const password = 'wrong&"<pass>';
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }],
			parameters: { ...smsFromItems, smsText: 'x' },
			password,
		});
		const error = result.nodeError(NODE_NAME) as Error & { description?: string };
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/Неправильный логин или пароль/);
		const everything = JSON.stringify(result.run) + error.message + String(error.description);
		expect(everything).not.toContain(password);
		expect(everything).not.toContain('wrong&amp;');
		expect(sandbox.messages).toHaveLength(0);
	});

	it.each([
		['http500', /HTTP 500 \(3 attempts\)/],
		['malformed', /unexpected reply/],
		['wrongRoot', /unexpected reply: Expected a <response> document/],
		['dropAfterProcessing', /The connection to TargetSMS .* failed before its answer \(3 attempts\)/],
	] as const)('turns a lasting %s reply into a NodeApiError, or one error item per recipient', async (kind, message) => {
		const { sandbox } = context;
		sandbox.failNext({ kind, path: MESSAGE, times: 3 });
		const failed = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }, { phone: '79000000002' }],
			parameters: { ...smsFromItems, smsText: 'x' },
		});
		const error = failed.nodeError(NODE_NAME)!;
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(message);

		sandbox.reset();
		sandbox.failNext({ kind, path: MESSAGE, times: 3 });
		const tolerated = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }, { phone: '79000000002' }],
			parameters: { ...smsFromItems, smsText: 'x' },
			settings: { continueOnFail: true },
		});
		const output = tolerated.output(NODE_NAME);
		expect(output).toHaveLength(2);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(String(item.json.error)).toMatch(message);
			expect(item.json.phone).toBe(`7900000000${index + 1}`);
			expect(item.json.clientMessageId).toMatch(/^\d+$/);
			// Each of these replies may have come after TargetSMS acted on the request.
			expect(item.json.mayHaveBeenSent).toBe(true);
		});
	});

	it('a failed request lists what earlier requests of the run already sent', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http500', path: MESSAGE, after: 1, times: 3 });
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }, { phone: '79000000002' }],
			parameters: { ...smsFromItems, smsText: 'x', options: { batchSize: 1 } },
		});
		const error = result.nodeError(NODE_NAME) as Error & { description?: string };
		expect(error.message).toBe('TargetSMS answered HTTP 500 (3 attempts)');
		expect(error.description).toContain("n8n's Retry of this execution send nothing twice");
		expect(sandbox.messages).toHaveLength(1);
		expect(error.description).toContain(`79000000001: id_message ${sandbox.messages[0].idMessage}`);
		expect(error.description).not.toContain('79000000002');
	});

	it('with continueOnFail, only the items of the failed request get error items', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'rejectLogin', path: MESSAGE, after: 1 });
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }, { phone: '79000000002, 79000000003' }],
			parameters: { ...smsFromItems, smsText: 'x', options: { batchSize: 1 } },
			settings: { continueOnFail: true },
		});
		const output = result.output(NODE_NAME);
		expect(output.map((item) => [(item.pairedItem as { item: number }).item, item.json.phone])).toEqual([
			[0, '79000000001'],
			[1, '79000000002'],
			[1, '79000000003'],
		]);
		expect(output[1].json.error).toMatch(/Неправильный логин или пароль/);
		// A refusal: TargetSMS did not act on the request.
		expect(output[1].json.mayHaveBeenSent).toBe(false);
		expect(output[2].json.error).toBeUndefined();
		expect(sandbox.messages.map((message) => message.phone)).toEqual(['79000000001', '79000000003']);
	});

	it('a retry after the connection dropped mid-request sends nothing twice', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'dropAfterProcessing', path: MESSAGE });
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }, { phone: '79000000002' }],
			parameters: { ...smsFromItems, smsText: 'x' },
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, MESSAGE)).toHaveLength(2);
		expect(sandbox.messages).toHaveLength(2);
		expect(result.output(NODE_NAME).map((item) => item.json.messageId)).toEqual(
			sandbox.messages.map((message) => message.idMessage),
		);
	});
});

describe('TargetSMS node: bad input', () => {
	it('refuses an invalid phone before any request, naming the item and the field', async () => {
		const { sandbox } = context;
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }, { phone: '12345' }, { phone: '79000000003' }],
			parameters: { ...smsFromItems, smsText: 'x' },
		});
		const error = result.nodeError(NODE_NAME)!;
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/^Item 1: Phones: "12345"/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('with continueOnFail, the refused item gets an error item and the valid ones go out', async () => {
		const { sandbox } = context;
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }, { phone: 'call me' }, { phone: '79000000003' }],
			parameters: { ...smsFromItems, smsText: 'x' },
			settings: { continueOnFail: true },
		});
		const output = result.output(NODE_NAME);
		expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
		expect(output[1].json.error).toMatch(/^Item 1: Phones:/);
		expect(output[0].json.messageId).toBe(sandbox.messages[0].idMessage);
		expect(output[2].json.messageId).toBe(sandbox.messages[1].idMessage);
		expect(requestsTo(sandbox, MESSAGE)).toHaveLength(1);
	});

	it.each([
		['a Viber text over 1000 characters', { channel: 'viber', viberText: 'я'.repeat(1000) + '\r\n' }, /Item 0: Viber Text: is 1001 characters long/],
		['a button without its URL', { channel: 'viber', options: { buttonText: 'Go' } }, /Item 0: Button URL: is required when Button Text is set/],
		[
			'a button text over 19 characters',
			{ channel: 'viber', options: { buttonText: 'A very long button text' , buttonUrl: 'https://e.com' } },
			/Item 0: Button Text: is 23 characters long; the provider accepts at most 19/,
		],
		['an image without a button', { channel: 'viber', options: { imageUrl: 'https://e.com/i.png' } }, /Item 0: Image URL: needs a button/],
		['a control character in the SMS text', { channel: 'sms', smsText: 'ok\u0001no' }, /Item 0: SMS Text: has a character U\+0001 at position 3/],
		['a line break in the sender', { channel: 'sms', smsSender: 'Shop\nBcc' }, /Item 0: SMS Sender: has a character U\+000A at position 5/],
		['an empty SMS text', { channel: 'sms', smsText: '={{ $json.missing }}' }, /Item 0: SMS Text: is required/],
		['a blank SMS text', { channel: 'sms', smsText: '={{ "   " }}' }, /Item 0: SMS Text: must not be blank/],
		['a send time in the past', { channel: 'sms', options: { sendAt: '2020-01-01T10:00:00' } }, /Item 0: Send At: .* is in the past/],
		['an unknown time zone', { channel: 'sms', options: { sendAt: '2099-01-01T10:00', timezone: 'Mars/Olympus' } }, /Item 0: Timezone:/],
	] as const)('refuses %s', async (_label, overrides, message) => {
		const { sandbox } = context;
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }],
			parameters: {
				operation: 'send',
				phones: '={{ $json.phone }}',
				smsSender: 'Shop',
				smsText: 'text',
				viberSender: 'Shop',
				viberText: 'text',
				...overrides,
			},
		});
		expect(result.nodeError(NODE_NAME)?.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('TargetSMS API credential test', () => {
	it('accepts the sandbox login and shows the provider’s refusal of a wrong password', async () => {
		const { sandbox } = context;
		const data = { login: TargetSmsSandbox.DEFAULT_LOGIN, smsBaseUrl: sandbox.url, apiBaseUrl: sandbox.url };
		const ok = await testCredential(targetSmsNodeType, 'targetSmsApiTest', 'targetSmsApi', {
			...data,
			password: TargetSmsSandbox.DEFAULT_PASSWORD,
		});
		expect(ok.status).toBe('OK');
		const wrong = await testCredential(targetSmsNodeType, 'targetSmsApiTest', 'targetSmsApi', {
			...data,
			password: 'not-the-password',
		});
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(/Неправильный логин или пароль/);
		expect(wrong.message).not.toContain('not-the-password');
		const wire = readWire(requestsTo(sandbox, '/xml/state_message.php')[0].body);
		expect(wire.state?.id_message ?? []).toEqual([]);
		expect(sandbox.messages).toHaveLength(0);
	});
});
