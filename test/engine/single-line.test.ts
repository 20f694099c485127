/**
 * The sandbox accepts whitespace and line breaks between elements, as the real server and every public client do;
 * the nodes themselves keep sending single-line documents, as the SMS document asks ("the XML document must not
 * contain line breaks"). This runs every HTTP node with multi-line user input and checks the bytes it sent.
 */
import { runNode, runNodes, runTargetSms, startSandbox } from './targetsms-fixture';

const context = startSandbox();
const MULTI_LINE = 'Заказ №1042 собран.\nЖдём вас\r\nв магазине\rдо 20:00';

function expectSingleLine(): void {
	const { requests } = context.sandbox;
	expect(requests.length).toBeGreaterThan(0);
	for (const request of requests) {
		expect({ path: request.path, lineBreak: /[\r\n]/.test(request.body) }).toEqual({ path: request.path, lineBreak: false });
	}
}

describe("the nodes' own requests are single-line documents", () => {
	it('TargetSMS send (SMS and Viber texts with line breaks) and TargetSMS Status', async () => {
		const { sandbox } = context;
		const sent = await runTargetSms(sandbox, {
			items: [{ phones: '+7 900 123-45-61\n+7 900 123-45-62' }],
			parameters: {
				operation: 'send',
				channel: 'viberThenSms',
				phones: '={{ $json.phones }}',
				smsSender: 'MyShop',
				smsText: MULTI_LINE,
				viberSender: 'MyShop',
				viberText: MULTI_LINE,
			},
		});
		expect(sent.error).toBeUndefined();
		expect(sandbox.messages.map(({ textSms }) => textSms)).toEqual([MULTI_LINE.replace(/\r\n|\r/g, '\n'), MULTI_LINE.replace(/\r\n|\r/g, '\n')]);
		const ids = sandbox.messages.map(({ idMessage, idSms }) => ({ message: idMessage, sms: idSms }));
		for (const resource of ['message', 'sms'] as const) {
			const status = await runNode(sandbox, 'targetSmsStatus', {
				items: [{ ids: ids.map((id) => id[resource]).join('\n') }],
				parameters: { resource, operation: 'get', ids: '={{ $json.ids }}' },
			});
			expect(status.error).toBeUndefined();
		}
		expectSingleLine();
	});

	it.each(['xml', 'json'])('TargetSMS Email (%s) with a multi-line letter and its status', async (format) => {
		const { sandbox } = context;
		const result = await runNodes(sandbox, { items: [{ to: 'anna@example.ru' }] }, [
			{
				name: 'Send',
				type: 'n8n-nodes-targetsms.targetSmsEmail',
				parameters: { operation: 'send', format, from: sandbox.emailFrom, to: '={{ $json.to }}', subject: 'Заказ', body: `<p>${MULTI_LINE}</p>\n<p>Ещё строка</p>`.repeat(20) },
			},
			{
				name: 'Status',
				type: 'n8n-nodes-targetsms.targetSmsStatus',
				parameters: { resource: 'email', operation: 'get', format, ids: '={{ $json.externalMessageId }}' },
			},
		]);
		expect(result.error).toBeUndefined();
		expect(sandbox.emails).toHaveLength(1);
		expectSingleLine();
	});

	it('TargetSMS OTP with a multi-line text', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsOtp', {
			items: [{ phone: '+7 900 123-45-67' }],
			parameters: { operation: 'send', phone: '={{ $json.phone }}', sender: 'MyShop', codeLength: 6, text: `Код: {код}\n${MULTI_LINE}` },
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.otps).toHaveLength(1);
		expectSingleLine();
	});
});
