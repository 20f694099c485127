import { assignedValue, type ExampleExpectation } from '../expectation';

/** One HTML email over the JSON API, then, after the Wait, its status: delivered and opened (final). */
export const expectation: ExampleExpectation = {
	check({ sandbox, output, workflow }) {
		expect(sandbox.requests.map(({ path, query }) => (query ? `${path}?${query}` : path))).toEqual([
			'/clients/api.php',
			'/clients/api.php?func=status',
		]);
		expect(sandbox.emails).toHaveLength(1);
		const [email] = sandbox.emails;
		expect(email).toMatchObject({
			from: 'shop@example.com',
			to: 'anna@example.ru',
			subject: assignedValue(workflow, 'Letter', 'subject'),
			body: assignedValue(workflow, 'Letter', 'html'),
			format: 'json',
		});

		expect(output('Send email')).toMatchObject([
			{ messageId: email.messageId, externalMessageId: email.externalMessageId },
		]);
		expect(output('Get email status')).toEqual([
			{
				id: email.externalMessageId,
				status: 'opened',
				final: true,
				createdAt: expect.stringMatching(/\+03:00$/),
				delivered: true,
				deliveredAt: expect.stringMatching(/\+03:00$/),
				opened: true,
				openedAt: expect.stringMatching(/\+03:00$/),
				spam: false,
				spamAt: null,
				unsubscribed: false,
				unsubscribedAt: null,
			},
		]);
	},
};
