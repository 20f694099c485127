import { nodeOutput } from '../../../scripts/n8n/instance';
import type { ExampleExpectation } from '../expectation';
import { deactivateWorkflow, finishedExecutions, waitFor, withQuickPolls } from '../served/context';

const TRIGGER = 'Incoming SMS';
const MOSCOW_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/;

/**
 * Headless, the Manual Trigger's appointment gets its "reply ДА" SMS (the polling trigger does not run). In a running
 * n8n, a copy of the workflow polling four times a minute (the example polls every minute) is published; two replies
 * injected in the sandbox, " Да " from the client and another text from someone else, start the incoming branch: the
 * first confirms the appointment in the CRM step, the second goes to Call back, each once.
 */
export const expectation: ExampleExpectation = {
	check({ sandbox, output }) {
		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/message.php']);
		expect(sandbox.messages).toHaveLength(1);
		expect(sandbox.messages[0]).toMatchObject({
			phone: '79001234561',
			senderSms: 'MyClinic',
			textSms: 'Анна, вы записаны на 2 декабря в 10:30. Ответьте ДА, чтобы подтвердить запись.',
			nameDelivery: 'Подтверждение записи',
		});
		expect(output('Ask to confirm')).toHaveLength(1);
	},

	async viaServer({ server, cookie, sandbox, workflow }) {
		const { id: _original, ...rest } = workflow;
		const { workflow: quick } = withQuickPolls(
			{ ...rest, name: `${workflow.name} (e2e: polls every 15 s)` },
			'n8n-nodes-targetsms.targetSmsTrigger',
		);
		const id = (await server.createWorkflow(cookie, quick)).id;
		await server.activateWorkflow(cookie, id);
		const polls = () => sandbox.requests.filter(({ path }) => path === '/xml/incoming.php').length;
		await waitFor('the poll at activation', () => (polls() >= 1 ? true : undefined), 20_000);
		await new Promise((resolve) => setTimeout(resolve, 1_100));

		sandbox.injectIncomingSms({ from: '79001234561', text: ' Да ' });
		sandbox.injectIncomingSms({ from: '79001234562', text: 'Перенесите на пятницу, пожалуйста' });

		const outputs = async () => {
			const details = await Promise.all(
				(await finishedExecutions(server, cookie, id)).map((execution) => server.execution(cookie, execution.id)),
			);
			const of = (node: string) => details.flatMap((detail) => (detail.run.data.resultData.runData[node] ? nodeOutput(detail.run, node) : []));
			return { details, of };
		};
		await waitFor('both replies handled', async () => ((await outputs()).of(TRIGGER).length >= 2 ? true : undefined), 45_000);
		const pollsThen = polls();
		await waitFor('two more polls', () => (polls() >= pollsThen + 2 ? true : undefined), 45_000);
		await new Promise((resolve) => setTimeout(resolve, 1_000));

		const { details, of } = await outputs();
		for (const detail of details) expect(detail).toMatchObject({ mode: 'trigger', status: 'success' });
		expect(of(TRIGGER).map(({ from, text }) => ({ from, text })).sort((a, b) => String(a.from).localeCompare(String(b.from)))).toEqual([
			{ from: '79001234561', text: ' Да ' },
			{ from: '79001234562', text: 'Перенесите на пятницу, пожалуйста' },
		]);
		expect(of('Confirm in CRM')).toEqual([
			{ phone: '79001234561', appointmentStatus: 'confirmed', confirmedAt: expect.stringMatching(MOSCOW_ISO) },
		]);
		expect(of('Call back')).toEqual([
			{ phone: '79001234562', reply: 'Перенесите на пятницу, пожалуйста', action: 'Перезвонить клиенту' },
		]);

		await deactivateWorkflow(server, cookie, id);
	},
};
