/**
 * `npm run demo`: a Viber → SMS cascade sent through n8n's workflow engine to the local TargetSMS sandbox, then
 * the delivery status of every message until all are final. Against the real service only the credential differs.
 */
import { resolve } from 'node:path';

import { loadNodeType, runWorkflow } from '../test/engine/harness';
import { TargetSmsSandbox } from '../test/sandbox/server';

const POLL_INTERVAL_MS = 1000;
const POLL_LIMIT_MS = 30_000;

const customers = [
	{ name: 'Анна', phone: '+7 (900) 123-45-61', order: 'A-1001' },
	{ name: 'Борис', phone: '8 900 123-45-60', order: 'A-1002' },
	{ name: 'Вера', phone: '9001234568', order: 'A-1003' },
];

async function main(): Promise<void> {
	const sandbox = new TargetSmsSandbox();
	const url = await sandbox.start();
	try {
		console.log(`TargetSMS sandbox at ${url}\n`);
		const credentials = {
			login: TargetSmsSandbox.DEFAULT_LOGIN,
			password: TargetSmsSandbox.DEFAULT_PASSWORD,
			smsBaseUrl: url,
			apiBaseUrl: url,
		};
		const dist = resolve(__dirname, '../../dist/nodes');
		const nodeTypes = {
			'n8n-nodes-targetsms.targetSms': loadNodeType(resolve(dist, 'TargetSms/TargetSms.node.js'), 'TargetSms'),
			'n8n-nodes-targetsms.targetSmsStatus': loadNodeType(resolve(dist, 'TargetSmsStatus/TargetSmsStatus.node.js'), 'TargetSmsStatus'),
		};
		const result = await runWorkflow({
			nodeTypes,
			items: customers,
			nodes: [
				{
					name: 'Order ready',
					type: 'n8n-nodes-targetsms.targetSms',
					continueOnFail: true,
					parameters: {
						operation: 'send',
						channel: 'viberThenSms',
						phones: '={{ $json.phone }}',
						viberSender: 'DemoShop',
						viberText: '={{ $json.name }}, ваш заказ {{ $json.order }} готов к выдаче.\nЖдём вас!',
						smsSender: 'DemoShop',
						smsText: '={{ $json.name }}, заказ {{ $json.order }} готов.',
						options: { deliveryName: 'Demo: order ready', buttonText: 'Мой заказ', buttonUrl: 'https://example.com/orders' },
					},
				},
			],
			credentials: { targetSmsApi: { data: credentials } },
		});
		if (result.error) throw result.error;
		const sent = result.output('Order ready').map((item) => item.json);
		console.log('Sent (one output item per recipient):');
		console.table(sent);

		const ids = sent.filter((item) => item.messageId !== null).map((item) => ({ id: item.messageId }));
		const started = Date.now();
		for (;;) {
			const status = await runWorkflow({
				nodeTypes,
				items: ids,
				nodes: [
					{
						name: 'Delivery status',
						type: 'n8n-nodes-targetsms.targetSmsStatus',
						parameters: { resource: 'message', operation: 'get', ids: '={{ $json.id }}' },
					},
				],
				credentials: { targetSmsApi: { data: credentials } },
			});
			if (status.error) throw status.error;
			const states = status.output('Delivery status').map((item) => item.json);
			if (states.every((state) => state.final === true) || Date.now() - started > POLL_LIMIT_MS) {
				console.log(`\nStatuses after ${Math.round((Date.now() - started) / 1000)} s (TargetSMS Status node):`);
				console.table(states);
				break;
			}
			await new Promise((resolveWait) => setTimeout(resolveWait, POLL_INTERVAL_MS));
		}
		console.log('\nThe number ending in 0 has no Viber: its message fell back to SMS.');
	} finally {
		await sandbox.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
