import { assignedValue, type ExampleExpectation } from '../expectation';

/** One windows-1251 template email through the SMTP sandbox, carrying one SMS for each of two phones. */
export const expectation: ExampleExpectation = {
	check({ sandbox, smtp, output, workflow }) {
		// The template's lines are CRLF-separated, the text's own line breaks included.
		const TEXT = String(assignedValue(workflow, 'Recipients and text', 'text')).replace(/\r?\n/g, '\r\n');
		expect(sandbox.requests).toEqual([]);
		expect(smtp.received).toHaveLength(1);
		const [email] = smtp.received;
		expect(email).toMatchObject({
			accepted: true,
			mailFrom: 'shop@example.com',
			rcptTo: ['emailtosms@email2smsapi.ru'],
			contentType: 'text/plain; charset=windows-1251',
		});
		expect(email.body).toBe(
			`SmsUser=demo\r\nPassword=demo1234\r\nSourceAddress=MyShop\r\nPhoneNumber=79001234561,79001234562\r\n${TEXT}\r\n`,
		);
		expect(email.sms.map(({ phone, sender, text }) => ({ phone, sender, text }))).toEqual([
			{ phone: '79001234561', sender: 'MyShop', text: TEXT },
			{ phone: '79001234562', sender: 'MyShop', text: TEXT },
		]);
		expect(sandbox.externalSms.map(({ idSms }) => idSms)).toEqual(email.sms.map(({ idSms }) => idSms));

		const items = output('Send SMS by email');
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ phones: ['79001234561', '79001234562'], accepted: true });
		expect(items[0].smtpMessageId).toEqual(expect.stringMatching(/^<.+@.+>$/));
		expect(JSON.stringify(items)).not.toContain('demo1234');
	},
};
