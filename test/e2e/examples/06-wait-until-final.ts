import { assignedValue, type ExampleExpectation } from '../expectation';

/**
 * Three Viber-then-SMS messages in one request, then the Wait → Status → If loop until all are final: …61 delivered
 * by Viber, …60 (no Viber) by SMS, …68 not delivered by either.
 */
export const expectation: ExampleExpectation = {
	check({ sandbox, output, workflow }) {
		const TEXT = assignedValue(workflow, 'Batch', 'text');
		const paths = sandbox.requests.map(({ path }) => path);
		expect(paths[0]).toBe('/xml/message.php');
		expect(paths.length).toBeGreaterThanOrEqual(2);
		expect(paths.slice(1).every((path) => path === '/xml/state_message.php')).toBe(true);

		expect(sandbox.messages.map(({ phone }) => phone)).toEqual(['79001234561', '79001234560', '79001234568']);
		for (const message of sandbox.messages) {
			expect(message).toMatchObject({
				viberOrder: 1,
				smsOrder: 2,
				senderViber: 'MyShop',
				senderSms: 'MyShop',
				textViber: TEXT,
				textSms: TEXT,
				nameDelivery: 'Весенняя распродажа',
			});
		}

		const ids = new Map(sandbox.messages.map((message) => [message.phone, message.idMessage]));
		const report = output('Delivery report').map((item): Record<string, unknown> => ({ ...item, messageId: Number(item.messageId) }));
		expect([...report].sort((a, b) => String(a.phone).localeCompare(String(b.phone)))).toEqual([
			{ phone: '79001234560', messageId: ids.get('79001234560'), status: 'deliver', deliveredBy: 'SMS', final: true },
			{ phone: '79001234561', messageId: ids.get('79001234561'), status: 'deliver', deliveredBy: 'Viber', final: true },
			{
				phone: '79001234568',
				messageId: ids.get('79001234568'),
				status: 'not_deliver',
				deliveredBy: 'не доставлено',
				final: true,
			},
		]);

		// Every message's status was asked at least once (rounds depend on timing: only the ids are checked).
		const asked = output('Get status').map(({ id }) => Number(id));
		expect(new Set(asked)).toEqual(new Set(ids.values()));
	},
};
