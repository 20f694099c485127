import { formatMoscowDateTime } from '../../sandbox/moscow-time';
import { type ExampleExpectation, type ExampleRun, pairedInputs } from '../expectation';
import { listScheduled, messageStates, scheduleSms } from '../sandbox-gateway';

/** The sample appointment's phone, in Vladivostok (+7 to Moscow) for this run. */
const CLIENT = '79001234561';
const OTHER_CLIENT = '79001234562';
const VLADIVOSTOK = { operator: 'МТС', region: 'Приморский край', timeZone: 7 };
const REMINDERS = 'Напоминания о записи';
/** The old reminders' send time: a day ahead of the sandbox's clock. */
const OLD_SEND_AHEAD_MS = 24 * 3600_000;

/** What `before` scheduled, by role. */
const preloaded: Record<'oldReminder' | 'otherClient' | 'promo', { messageId: number; smsId: number }> = {
	oldReminder: { messageId: 0, smsId: 0 },
	otherClient: { messageId: 0, smsId: 0 },
	promo: { messageId: 0, smsId: 0 },
};

/** The new reminder's time_send: 10:00 in Vladivostok on the appointment's new date is 03:00 Moscow that day. */
function newReminderTime(run: ExampleRun): string {
	const [sample] = run.output('Sample appointment') as Array<{ body: { date: string } }>;
	expect(sample.body.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	return `${sample.body.date} 03:00`;
}

/** The scheduled SMS to the client from the reminders mailing, as the sandbox lists them now. */
async function clientReminders(sandboxUrl: string) {
	return (await listScheduled(sandboxUrl)).filter((row) => row.phone === CLIENT && row.deliveryName === REMINDERS);
}

/**
 * The sandbox holds an old reminder for the client, a reminder for another client and a promotion to the client (both
 * must stay). The run schedules the new reminder for 10:00 the client's time (03:00 Moscow, Vladivostok being +7),
 * then cancels the old one only; the old one is never delivered. Run again (the same appointment posted twice), it
 * replaces the reminder it scheduled first, so one remains; with no old reminder, nothing is cancelled and the run
 * still succeeds.
 */
export const expectation: ExampleExpectation = {
	async before({ sandbox, sandboxUrl }) {
		sandbox.account.setPhoneInfo(CLIENT, VLADIVOSTOK);
		const sendTime = formatMoscowDateTime(new Date(sandbox.now().getTime() + OLD_SEND_AHEAD_MS)).slice(0, 16);
		const draft = { sender: 'MyClinic', deliveryName: REMINDERS, sendTime };
		preloaded.oldReminder = await scheduleSms(sandboxUrl, { ...draft, phone: CLIENT, text: 'Анна, ждём вас сегодня в 12:00.' });
		preloaded.otherClient = await scheduleSms(sandboxUrl, { ...draft, phone: OTHER_CLIENT, text: 'Борис, ждём вас сегодня в 14:00.' });
		preloaded.promo = await scheduleSms(sandboxUrl, { ...draft, phone: CLIENT, deliveryName: 'Акции', text: 'Скидка 10% до пятницы' });
	},

	async check(first) {
		const { sandbox, sandboxUrl, output, run } = first;
		const timeSend = newReminderTime(first);
		expect(sandbox.requests.map(({ path }) => path)).toEqual([
			...['/xml/message.php', '/xml/message.php', '/xml/message.php'], // before(): the three preloaded SMS
			'/xml/def.php',
			'/xml/message.php',
			'/xml/list_scheduled.php',
			'/xml/scheduled.php',
		]);

		// The new reminder: 10:00 on the client's clock, written in Moscow time.
		const sent = sandbox.messages[3];
		expect(sent).toMatchObject({
			phone: CLIENT,
			senderSms: 'MyClinic',
			textSms: 'Анна, запись перенесена: ждём вас сегодня в 16:00. Клиника «Здоровье»',
			nameDelivery: REMINDERS,
			timeSend,
			smsOrder: 1,
			viberOrder: 0,
		});
		expect(output('Schedule new reminder')).toEqual([
			{
				phone: CLIENT,
				messageId: sent.idMessage,
				clientMessageId: sent.clientIdMessage,
				smsId: sent.idSms,
				viberId: null,
				parts: sent.parts,
				status: 'send',
				alreadySent: false,
			},
		]);

		// Listed: the three preloaded and the new one; kept: the client's old reminder only; cancelled: that one.
		expect(output('Get scheduled SMS').map((row) => row.smsId)).toEqual([
			preloaded.oldReminder.smsId,
			preloaded.otherClient.smsId,
			preloaded.promo.smsId,
			sent.idSms,
		]);
		expect(output('Get scheduled SMS')[3]).toMatchObject({ phone: CLIENT, deliveryName: REMINDERS, sendAt: `${timeSend.replace(' ', 'T')}:00+03:00` });
		expect(output('Old reminders of this client').map((row) => row.smsId)).toEqual([preloaded.oldReminder.smsId]);
		expect(output('Cancel old reminders')).toEqual([{ smsId: preloaded.oldReminder.smsId, cancelled: true, result: 'delete' }]);
		expect(pairedInputs(run, 'Schedule new reminder')).toEqual([{ item: 0 }]);
		expect(pairedInputs(run, 'Get scheduled SMS')).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }, { item: 0 }]);
		expect(pairedInputs(run, 'Cancel old reminders')).toEqual([{ item: 0 }]);

		expect((await listScheduled(sandboxUrl)).map((row) => Number(row.smsId))).toEqual([
			preloaded.otherClient.smsId,
			preloaded.promo.smsId,
			sent.idSms,
		]);

		// The same appointment posted again: another new reminder, and the first run's one cancelled.
		const second = await first.runAgain();
		const resent = sandbox.messages[4];
		expect(resent).toMatchObject({ phone: CLIENT, nameDelivery: REMINDERS, timeSend });
		expect(resent.clientIdMessage).not.toBe(sent.clientIdMessage);
		expect(second.output('Cancel old reminders')).toEqual([{ smsId: sent.idSms, cancelled: true, result: 'delete' }]);
		expect((await clientReminders(sandboxUrl)).map((row) => Number(row.smsId))).toEqual([resent.idSms]);

		// When the old reminders' time comes, the cancelled one is not delivered; the other client's is.
		sandbox.advanceTime(OLD_SEND_AHEAD_MS + 60_000);
		const states = await messageStates(sandboxUrl, [preloaded.oldReminder.messageId, preloaded.otherClient.messageId]);
		expect(states.map(({ id, status }) => ({ id: Number(id), status }))).toEqual([
			{ id: preloaded.oldReminder.messageId, status: 'not_deliver' },
			{ id: preloaded.otherClient.messageId, status: 'deliver' },
		]);
		expect(sandbox.messages[0].cancelledAt).toBeInstanceOf(Date);

		// Nothing to cancel: the filter lets nothing through, Cancel does not run, the run succeeds with the new reminder.
		sandbox.reset();
		sandbox.account.setPhoneInfo(CLIENT, VLADIVOSTOK);
		const third = await first.runAgain();
		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/def.php', '/xml/message.php', '/xml/list_scheduled.php']);
		expect(third.output('Old reminders of this client')).toEqual([]);
		expect(third.run.data.resultData.runData).not.toHaveProperty(['Cancel old reminders']);
		expect((await clientReminders(sandboxUrl)).map((row) => Number(row.smsId))).toEqual([sandbox.messages[0].idSms]);
	},
};
