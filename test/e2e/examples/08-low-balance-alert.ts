import { assignedValue, type ExampleExpectation, pairedInputs } from '../expectation';

/** A balance below the workflow's threshold (500), with what it still buys per direction. */
const LOW_BALANCE = {
	money: '87.50',
	currency: 'RUR',
	directions: [
		{ area: 'МТС', sms: 79, price: '1.1', typeSms: 'sms', typeText: 'Сервисные', mcc: '250', mnc: '1' },
		{ area: 'Мегафон', sms: 72, price: '1.2', typeSms: 'sms', typeText: 'Сервисные', mcc: '250', mnc: '2' },
	],
};

/**
 * A balance of 87.50 RUR, below the threshold the workflow sets in *Alert settings*: one balance request, then one
 * email to the owner with the figure and the SMS it still buys. Run again with 2500 RUR: the balance is asked, the If
 * sends it down its false branch, and no email goes out.
 */
export const expectation: ExampleExpectation = {
	before({ sandbox }) {
		sandbox.account.balance = structuredClone(LOW_BALANCE);
	},

	async check({ sandbox, output, run, workflow, runAgain }) {
		expect(assignedValue(workflow, 'Alert settings', 'threshold')).toBe(500);
		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/balance.php', '/clients/api.php']);

		const balance = {
			money: 87.5,
			currency: 'RUR',
			directions: [
				{ area: 'МТС', sms: 79, price: 1.1, type: 'sms', textType: 'Сервисные', mcc: '250', mnc: '1' },
				{ area: 'Мегафон', sms: 72, price: 1.2, type: 'sms', textType: 'Сервисные', mcc: '250', mnc: '2' },
			],
		};
		expect(output('Get balance')).toEqual([balance]);
		expect(output('Below threshold?')).toEqual([balance]);
		expect(output('Below threshold?', 1)).toEqual([]);

		expect(sandbox.emails).toHaveLength(1);
		const [email] = sandbox.emails;
		expect(email).toMatchObject({
			from: assignedValue(workflow, 'Alert settings', 'from'),
			to: assignedValue(workflow, 'Alert settings', 'ownerEmail'),
			subject: 'TargetSMS: баланс 87.5 RUR',
			format: 'json',
		});
		expect(email.body).toContain('<b>87.5 RUR</b> — меньше порога 500 RUR');
		expect(email.body).toContain('МТС — 79 SMS, Мегафон — 72 SMS');
		expect(output('Email the owner')).toEqual([{ to: email.to, messageId: email.messageId, externalMessageId: email.externalMessageId }]);
		expect(pairedInputs(run, 'Get balance')).toEqual([{ item: 0 }]);
		expect(pairedInputs(run, 'Email the owner')).toEqual([{ item: 0 }]);

		// Enough money: the same workflow asks, and writes to nobody.
		sandbox.reset();
		sandbox.account.balance = { ...structuredClone(LOW_BALANCE), money: '2500' };
		const again = await runAgain();
		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/balance.php']);
		expect(again.output('Below threshold?')).toEqual([]);
		expect(again.output('Below threshold?', 1)).toEqual([{ ...balance, money: 2500 }]);
		expect(again.run.data.resultData.runData).not.toHaveProperty(['Email the owner']);
		expect(sandbox.emails).toEqual([]);
	},
};
