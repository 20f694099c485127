import { acceptedSmsJson } from '../../support/sms-output';
import type { ExampleExpectation } from '../expectation';

const DERIVED_ID = /^[1-9][0-9]*$/;

/**
 * The sample order (Manual Trigger) becomes one SMS whose client_id_message is derived from the order number (the
 * node's Deduplication Key) and the phone; the SMS node's result reaches Respond to Webhook. In a running n8n, an order
 * with two phones posted to the webhook is sent to both, and the same order posted again sends nothing again.
 */
export const expectation: ExampleExpectation = {
	check({ sandbox, output }) {
		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/message.php']);
		expect(sandbox.messages).toHaveLength(1);
		const [message] = sandbox.messages;
		expect(message).toMatchObject({
			phone: '79001234561',
			clientIdMessage: expect.stringMatching(DERIVED_ID),
			senderSms: 'MyShop',
			textSms: 'Анна, заказ №100045 на 2490 ₽ принят. Спасибо!',
			nameDelivery: 'Подтверждение заказа',
			smsOrder: 1,
			viberOrder: 0,
		});
		// Derived from the key, not the key itself (the key is any text; several phones need several ids).
		expect(message.clientIdMessage).not.toBe('100045');

		const sent = output('Send order SMS');
		expect(sent).toEqual([acceptedSmsJson(message)]);
		expect(output('Respond to Webhook')).toEqual(sent);
	},

	/**
	 * The real trigger: the workflow activated, an order with two phones posted to its production webhook, then the
	 * same order posted again (a shop retrying its call): the provider drops both repeats.
	 */
	async viaServer({ server, cookie, sandbox, workflow }) {
		await server.activateWorkflow(cookie, String(workflow.id));
		const order = { orderId: 100046, phone: '8 (900) 123-45-62, +7 900 123-45-63', name: 'Борис', total: 990 };
		const post = async (): Promise<Record<string, unknown>> => {
			const response = await fetch(`${server.url}/webhook/order`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(order),
			});
			expect(response.status).toBe(200);
			return (await response.json()) as Record<string, unknown>;
		};
		const answer = await post();

		expect(sandbox.messages).toHaveLength(2);
		const [first, second] = sandbox.messages;
		expect(first).toMatchObject({
			phone: '79001234562',
			clientIdMessage: expect.stringMatching(DERIVED_ID),
			textSms: 'Борис, заказ №100046 на 990 ₽ принят. Спасибо!',
		});
		expect(second).toMatchObject({ phone: '79001234563', clientIdMessage: expect.stringMatching(DERIVED_ID) });
		expect(second.clientIdMessage).not.toBe(first.clientIdMessage);
		// Respond to Webhook answers with the first recipient's result.
		expect(answer).toEqual({
			phone: '79001234562',
			messageId: first.idMessage,
			clientMessageId: first.clientIdMessage,
			smsId: first.idSms,
			viberId: null,
			parts: 1,
			status: 'send',
			alreadySent: false,
		});

		const again = await post();
		expect(sandbox.messages).toHaveLength(2);
		const ids = sandbox.requests
			.filter(({ path }) => path === '/xml/message.php')
			.flatMap(({ body }) => [...body.matchAll(/client_id_message="([0-9]+)"/g)].map((match) => match[1]));
		expect(ids).toEqual([first.clientIdMessage, second.clientIdMessage, first.clientIdMessage, second.clientIdMessage]);
		expect(again).toMatchObject({ phone: '79001234562', clientMessageId: first.clientIdMessage });
		expect(again).not.toHaveProperty('error');
		if (again.alreadySent !== true) expect(again.messageId).toBe(first.idMessage);
	},
};
