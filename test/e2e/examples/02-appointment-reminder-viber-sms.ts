import type { ExampleExpectation } from '../expectation';

/** Tomorrow 09:00 in Moscow (the provider's clock), as the provider writes `time_send`, for a given moment. */
function tomorrowNineInMoscow(at: Date): string {
	const moscowDate = new Date(at.getTime() + 3 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 10);
	return `${moscowDate} 09:00`;
}

/**
 * Two appointments become two Viber-then-SMS reminders in one request, scheduled for tomorrow 09:00 Moscow time,
 * with the rebooking button and a two-hour Viber validity.
 */
export const expectation: ExampleExpectation = {
	check({ sandbox, output, result }) {
		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/message.php']);
		// The workflow reads "now" while it runs: either side of a Moscow midnight during the run is right.
		const finished = new Date();
		const started = new Date(finished.getTime() - result.durationMs);
		const scheduled = new Set([tomorrowNineInMoscow(started), tomorrowNineInMoscow(finished)]);

		const common = {
			viberOrder: 1,
			smsOrder: 2,
			senderViber: 'MyClinic',
			senderSms: 'MyClinic',
			nameDelivery: 'Напоминания о записи',
			buttonText: 'Перенести запись',
			buttonUrl: 'https://example.ru/booking',
			validityPeriodViber: 120,
		};
		expect(sandbox.messages).toHaveLength(2);
		expect(sandbox.messages[0]).toMatchObject({
			...common,
			phone: '79001234561',
			textViber:
				'Анна, напоминаем: сегодня в 12:30 вы записаны в клинику «Здоровье». Если планы изменились, перенесите запись по кнопке ниже.',
			textSms: 'Анна, ждём вас сегодня в 12:30. Клиника «Здоровье»',
		});
		expect(sandbox.messages[1]).toMatchObject({
			...common,
			phone: '79001234560',
			textViber:
				'Борис, напоминаем: сегодня в 16:00 вы записаны в клинику «Здоровье». Если планы изменились, перенесите запись по кнопке ниже.',
			textSms: 'Борис, ждём вас сегодня в 16:00. Клиника «Здоровье»',
		});
		for (const message of sandbox.messages) expect(scheduled).toContain(message.timeSend);

		expect(output('Send reminder')).toEqual(
			sandbox.messages.map((message) => ({
				phone: message.phone,
				messageId: message.idMessage,
				clientMessageId: message.clientIdMessage,
				smsId: message.idSms,
				viberId: message.idViber,
				parts: 1,
				status: 'send',
				alreadySent: false,
			})),
		);
	},
};
