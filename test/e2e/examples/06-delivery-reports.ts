import { nodeOutput } from '../../../scripts/n8n/instance';
import type { ExampleExpectation } from '../expectation';
import { deactivateWorkflow, finishedExecutions, waitFor } from '../served/context';

const TRIGGER = 'Delivery reports';
const MOSCOW_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/;

/**
 * Headless, the Manual Trigger's sample shipment is sent (one SMS per phone; the trigger does not run). In a running
 * n8n, publishing registers the trigger's production URL with the provider; an order posted to the webhook is sent, the
 * sandbox pushes both final states to that URL, and each starts the trigger's branch once: …71 delivered, …78 not.
 * Unpublishing clears the URL.
 */
export const expectation: ExampleExpectation = {
	check({ sandbox, output }) {
		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/message.php']);
		expect(sandbox.deliveryReportUrl).toBe('');
		expect(sandbox.messages.map(({ phone }) => phone)).toEqual(['79001234561', '79001234568']);
		for (const message of sandbox.messages) {
			expect(message).toMatchObject({
				senderSms: 'MyShop',
				textSms: 'Заказ №100050 передан в доставку. Спасибо за покупку!',
				nameDelivery: 'Заказ отправлен',
			});
		}
		expect(output('Send shipping SMS').map(({ phone, smsId }) => ({ phone, smsId }))).toEqual(
			sandbox.messages.map(({ phone, idSms }) => ({ phone, smsId: idSms })),
		);
	},

	async viaServer({ server, cookie, sandbox, workflow }) {
		const id = String(workflow.id);
		const trigger = workflow.nodes.find(({ name }) => name === TRIGGER) as { webhookId?: string } | undefined;
		await server.activateWorkflow(cookie, id);
		const url = `${server.url}/webhook/${String(trigger?.webhookId)}/delivery-report`;
		// n8n 2.41 publishes through its outbox: the triggers are registered just after the REST call returns.
		await waitFor('the URL in the sandbox', () => (sandbox.deliveryReportUrl === url ? true : undefined), 30_000);
		const known = new Set((await server.listExecutions(cookie, id)).map((execution) => execution.id));

		const response = await fetch(`${server.url}/webhook/order-shipped`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ orderId: 100051, phones: '+7 900 123-45-71, +7 900 123-45-78' }),
		});
		expect(response.status).toBe(200);
		await waitFor('both SMS sent', () => (sandbox.messages.length === 2 ? true : undefined), 30_000);
		const smsId = (phone: string) => sandbox.messages.find((message) => message.phone === phone)?.idSms;

		await waitFor('two confirmed delivery reports', () => {
			const reports = sandbox.deliveryReports;
			return reports.length === 2 && reports.every(({ confirmed }) => confirmed) ? true : undefined;
		}, 30_000);
		const runs = await waitFor(
			'the runs the reports started',
			async () => {
				const fresh = (await finishedExecutions(server, cookie, id)).filter((execution) => !known.has(execution.id));
				const details = await Promise.all(fresh.map((execution) => server.execution(cookie, execution.id)));
				const reportRuns = details.filter((detail) => detail.run.data.resultData.runData[TRIGGER] !== undefined);
				const reports = reportRuns.flatMap((detail) => nodeOutput(detail.run, TRIGGER));
				return reports.length >= 2 ? reportRuns : undefined;
			},
			30_000,
		);
		for (const run of runs) expect(run).toMatchObject({ mode: 'webhook', status: 'success' });
		const outputOf = (node: string) =>
			runs.flatMap((detail) => (detail.run.data.resultData.runData[node] ? nodeOutput(detail.run, node) : []));
		expect(outputOf(TRIGGER)).toHaveLength(2);
		expect(outputOf('Mark delivered')).toEqual([
			{ smsId: smsId('79001234571'), deliveredAt: expect.stringMatching(MOSCOW_ISO), orderStatus: 'sms_delivered' },
		]);
		expect(outputOf('Follow up')).toEqual([
			{ smsId: smsId('79001234578'), status: 'not_deliver', final: true, action: 'Позвонить клиенту: SMS не доставлено' },
		]);
		for (const push of sandbox.pushes) expect(push).toMatchObject({ url, status: 200 });

		await deactivateWorkflow(server, cookie, id);
		await waitFor('the URL cleared', () => (sandbox.deliveryReportUrl === '' ? true : undefined), 30_000);
	},
};
