import type { ExampleExpectation } from '../expectation';

/**
 * The sample order (Manual Trigger) becomes one SMS whose client_id_message is the order number; the SMS node's
 * result reaches Respond to Webhook. In a running n8n, an order posted to the webhook is answered with that result.
 */
export const expectation: ExampleExpectation = {
	check({ sandbox, output }) {
		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/message.php']);
		expect(sandbox.messages).toHaveLength(1);
		const [message] = sandbox.messages;
		expect(message).toMatchObject({
			phone: '79001234561',
			clientIdMessage: '100045',
			senderSms: 'MyShop',
			textSms: 'Анна, заказ №100045 на 2490 ₽ принят. Спасибо!',
			nameDelivery: 'Подтверждение заказа',
			smsOrder: 1,
			viberOrder: 0,
		});

		const sent = output('Send order SMS');
		expect(sent).toEqual([
			{
				phone: '79001234561',
				messageId: message.idMessage,
				clientMessageId: '100045',
				smsId: message.idSms,
				viberId: null,
				parts: 1,
				status: 'send',
			},
		]);
		expect(output('Respond to Webhook')).toEqual(sent);
	},

	/** The real trigger: the workflow activated, an order posted to its production webhook. */
	async viaServer({ server, cookie, sandbox, workflow }) {
		await server.activateWorkflow(cookie, String(workflow.id));
		const response = await fetch(`${server.url}/webhook/order`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ orderId: 100046, phone: '8 (900) 123-45-62', name: 'Борис', total: 990 }),
		});
		expect(response.status).toBe(200);
		const answer = (await response.json()) as Record<string, unknown>;

		expect(sandbox.messages).toHaveLength(1);
		const [message] = sandbox.messages;
		expect(message).toMatchObject({
			phone: '79001234562',
			clientIdMessage: '100046',
			textSms: 'Борис, заказ №100046 на 990 ₽ принят. Спасибо!',
		});
		expect(answer).toEqual({
			phone: '79001234562',
			messageId: message.idMessage,
			clientMessageId: '100046',
			smsId: message.idSms,
			viberId: null,
			parts: 1,
			status: 'send',
		});
	},
};
