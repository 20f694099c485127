/**
 * Sender names from the account (node version 2 of TargetSMS and TargetSMS OTP): the editor's list (`listSearch`
 * through n8n-core's real LoadOptionsContext, as n8n's DynamicNodeParametersService runs it), sends with a value
 * picked From List or typed By Name, and a workflow saved with version 1 nodes running unchanged.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeHelpers } from 'n8n-workflow';

import { TargetSmsSandbox, SandboxTexts } from '../sandbox/server';
import type { SandboxMessage } from '../sandbox/store';
import { acceptedSmsJson } from '../support/sms-output';
import { findSecret, secretForms } from '../support/secret-forms';
import type { HarnessNode } from './harness';
import { searchList } from './harness';
import { NODE_TYPES, TARGET_SMS_TYPE, requestsTo, runNodes, sandboxCredentials, startSandbox } from './targetsms-fixture';

const OTP_TYPE = 'n8n-nodes-targetsms.targetSmsOtp';
const ORIGINATOR = '/xml/originator.php';
const context = startSandbox();

/** Where each node keeps its sender, with the parameters the editor has set when it asks for the list. */
const SENDER_OF = {
	[TARGET_SMS_TYPE]: { parameter: 'smsSender', parameters: { operation: 'send', channel: 'sms', phones: '', smsSender: { __rl: true, mode: 'list', value: '' } } },
	[OTP_TYPE]: { parameter: 'sender', parameters: { operation: 'send', phone: '', sender: { __rl: true, mode: 'list', value: '' } } },
} as const;

function senderList(type: keyof typeof SENDER_OF, filter?: string) {
	const { parameter, parameters } = SENDER_OF[type];
	return searchList({
		nodeTypes: NODE_TYPES,
		type,
		typeVersion: 2,
		parameters: parameters as unknown as INodeParameters,
		path: `parameters.${parameter}`,
		methodName: 'searchSenders',
		credentials: sandboxCredentials(context.sandbox),
		filter,
	});
}

/** The output item of a recipient the sandbox accepted (item 0's only phone), as version 1 has always given it. */
function acceptedSms(message: SandboxMessage) {
	return { json: acceptedSmsJson(message), pairedItem: { item: 0 } };
}

const names = async (type: keyof typeof SENDER_OF, filter?: string) => (await senderList(type, filter)).results;

describe('the sender list of the editor (listSearch in n8n-core’s LoadOptionsContext, against the sandbox)', () => {
	it.each([TARGET_SMS_TYPE, OTP_TYPE] as const)('%s: the approved names only, from one originator.php request of the login', async (type) => {
		expect(await senderList(type)).toEqual({
			results: [
				{ name: 'TargetSMS', value: 'TargetSMS' },
				{ name: 'Shop', value: 'Shop' },
			],
		});
		const requests = requestsTo(context.sandbox, ORIGINATOR);
		expect(context.sandbox.requests).toHaveLength(1);
		expect(requests[0].body).toBe(
			`<?xml version="1.0" encoding="utf-8"?><request><security><login value="${TargetSmsSandbox.DEFAULT_LOGIN}"/><password value="${TargetSmsSandbox.DEFAULT_PASSWORD}"/></security></request>`,
		);
	});

	it('narrows the list by the search text, in any letter case; pending and refused names are never offered', async () => {
		context.sandbox.account.senders = [
			{ name: 'Аптека', state: 'completed' },
			{ name: 'АптекаПлюс', state: 'order' },
			{ name: 'Shop', state: 'completed' },
			{ name: 'ShopOld', state: 'rejected' },
			{ name: 'MyShop', state: 'completed' },
		];
		expect(await names(TARGET_SMS_TYPE, 'sHo')).toEqual([
			{ name: 'Shop', value: 'Shop' },
			{ name: 'MyShop', value: 'MyShop' },
		]);
		expect(await names(OTP_TYPE, 'аПТ')).toEqual([{ name: 'Аптека', value: 'Аптека' }]);
		expect(await names(TARGET_SMS_TYPE, 'плюс')).toEqual([]);
		expect(await names(TARGET_SMS_TYPE, '  ')).toHaveLength(3);
	});

	it('offers no names when the account may send with any name (any_originator TRUE)', async () => {
		context.sandbox.account.anySender = true;
		expect(await senderList(TARGET_SMS_TYPE)).toEqual({ results: [] });
		expect(await senderList(OTP_TYPE, 'Shop')).toEqual({ results: [] });
	});

	it('a refusal of the provider is n8n’s error with the provider’s text', async () => {
		context.sandbox.failNext({ kind: 'rejectLogin', path: ORIGINATOR });
		const failure = await senderList(TARGET_SMS_TYPE).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect((failure as NodeApiError).message).toBe(`TargetSMS refused the request: ${SandboxTexts.wrongLogin}`);
	});

	it.each([500, 200])('a reply echoing the request (HTTP %s) is a clear error without the password in any form', async (status) => {
		context.sandbox.failNext({ kind: 'echo', status, path: ORIGINATOR, times: Infinity });
		const failure = (await senderList(OTP_TYPE).catch((error: unknown) => error)) as NodeApiError;
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure.message).toMatch(status === 500 ? /^TargetSMS answered HTTP 500/ : /^TargetSMS refused the request: /);
		const echoed = context.sandbox.requests.map((request) => request.responseBody).join('\n');
		const forms = secretForms(TargetSmsSandbox.DEFAULT_PASSWORD);
		expect(findSecret(echoed, forms).length).toBeGreaterThan(0);
		expect(findSecret(`${failure.message}\n${failure.description ?? ''}\n${JSON.stringify(failure)}`, forms)).toEqual([]);
	});

	it('a redirect is refused, naming its Location, and not followed', async () => {
		const location = `${context.sandbox.url}/xml/balance.php`;
		context.sandbox.failNext({ kind: 'redirect', status: 302, location, path: ORIGINATOR });
		const failure = (await senderList(TARGET_SMS_TYPE).catch((error: unknown) => error)) as NodeApiError;
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure.message).toBe(`TargetSMS answered with a redirect (HTTP 302) to ${location}`);
		expect(context.sandbox.requests.map(({ path }) => path)).toEqual([ORIGINATOR]);
	});
});

describe('version 2 sends with the sender picked From List or typed By Name', () => {
	const items = [{ phone: '+7 900 123-45-67', sender: 'Shop' }];

	it.each([
		['From List', { __rl: true, mode: 'list', value: 'TargetSMS', cachedResultName: 'TargetSMS' }, 'TargetSMS'],
		['By Name (an expression)', { __rl: true, mode: 'name', value: '={{ $json.sender }}' }, 'Shop'],
		['By Name, a name the list does not hold', { __rl: true, mode: 'name', value: 'AnyName' }, 'AnyName'],
	])('TargetSMS, %s', async (_mode, smsSender, expected) => {
		const result = await runNodes(context.sandbox, { items }, [
			{
				name: 'TargetSMS',
				type: TARGET_SMS_TYPE,
				typeVersion: 2,
				parameters: { operation: 'send', channel: 'sms', phones: '={{ $json.phone }}', smsSender, smsText: 'Заказ собран' },
			},
		]);
		expect(result.error).toBeUndefined();
		const [message] = context.sandbox.messages;
		expect(context.sandbox.messages).toHaveLength(1);
		expect(message).toMatchObject({ phone: '79001234567', senderSms: expected, textSms: 'Заказ собран' });
		expect(requestsTo(context.sandbox, '/xml/message.php')[0].body).toContain(`<sender_sms>${expected}</sender_sms>`);
		expect(result.output('TargetSMS')).toEqual([acceptedSms(message)]);
	});

	it.each([
		['From List', { __rl: true, mode: 'list', value: 'Shop' }, 'Shop'],
		['By Name', { __rl: true, mode: 'name', value: '={{ $json.sender }}-2' }, 'Shop-2'],
	])('TargetSMS OTP, %s', async (_mode, sender, expected) => {
		const result = await runNodes(context.sandbox, { items }, [
			{ name: 'OTP', type: OTP_TYPE, typeVersion: 2, parameters: { operation: 'send', phone: '={{ $json.phone }}', sender, codeLength: 4 } },
		]);
		expect(result.error).toBeUndefined();
		const [otp] = context.sandbox.otps;
		expect(otp).toMatchObject({ phone: '79001234567', sender: expected });
		expect(result.output('OTP')).toEqual([
			{ json: { phone: '79001234567', code: otp.code, smsId: otp.idSms, status: 'send' }, pairedItem: { item: 0 } },
		]);
	});

	it('an empty sender: n8n refuses the empty list choice before the run; a blank name is the item’s input error', async () => {
		const run = (smsSender: INodeParameters) =>
			runNodes(context.sandbox, { items }, [
				{
					name: 'TargetSMS',
					type: TARGET_SMS_TYPE,
					typeVersion: 2,
					parameters: { operation: 'send', channel: 'sms', phones: '={{ $json.phone }}', smsSender, smsText: 't' },
				},
			]);
		await expect(run({ __rl: true, mode: 'list', value: '' })).rejects.toThrow('Parameter "SMS Sender" is required');
		const blank = await run({ __rl: true, mode: 'name', value: '={{ " " }}' });
		expect(blank.nodeError('TargetSMS')?.message).toMatch(/^Item 0: SMS Sender/);
		expect(context.sandbox.requests).toEqual([]);
	});

	it('a new node gets version 2, whose sender starts empty in From List; version 1 keeps its text field', () => {
		for (const [type, parameter] of [
			[TARGET_SMS_TYPE, 'smsSender'],
			[OTP_TYPE, 'sender'],
		] as const) {
			const versioned = NODE_TYPES[type];
			expect(versioned.description.version).toEqual([1, 2]);
			expect(versioned.description.defaultVersion).toBe(2);
			const defaults = (typeVersion: number) => {
				const node: INode = { id: 'n', name: 'N', type, typeVersion, position: [0, 0], parameters: {} };
				const description = NodeHelpers.getVersionedNodeType(versioned, typeVersion).description;
				return NodeHelpers.getNodeParameters(description.properties, {}, true, false, node, description)?.[parameter];
			};
			expect(defaults(2)).toEqual({ __rl: true, mode: 'list', value: '' });
			expect(defaults(1)).toBe('');
		}
	});
});

describe('a workflow saved with version 1 nodes runs unchanged', () => {
	const saved = JSON.parse(readFileSync(resolve(__dirname, 'fixtures/saved-v1-senders.json'), 'utf8')) as {
		nodes: Array<INode & { credentials?: unknown }>;
	};
	const packageNodes: HarnessNode[] = saved.nodes
		.filter((node) => node.type.startsWith('n8n-nodes-targetsms.'))
		.map(({ name, type, typeVersion, parameters }) => ({ name, type, typeVersion, parameters }));

	it('its saved nodes are version 1, with the senders as plain text', () => {
		expect(packageNodes.map(({ type, typeVersion }) => [type, typeVersion])).toEqual([
			[TARGET_SMS_TYPE, 1],
			[OTP_TYPE, 1],
		]);
		expect(packageNodes.map(({ parameters }) => parameters.smsSender ?? parameters.sender)).toEqual(['Shop', 'TargetSMS']);
	});

	it('sends the SMS and the code with the saved senders, outputs as before', async () => {
		const result = await runNodes(context.sandbox, { items: [{ phone: '8 900 123-45-67', name: 'Анна' }] }, packageNodes);
		expect(result.error).toBeUndefined();
		expect(result.executedNodes).toEqual(['Start', 'Order ready SMS', 'Login code']);
		const [message] = context.sandbox.messages;
		expect(message).toMatchObject({ phone: '79001234567', senderSms: 'Shop', textSms: 'Анна, ваш заказ собран.' });
		expect(result.output('Order ready SMS')).toEqual([acceptedSms(message)]);
		const [otp] = context.sandbox.otps;
		expect(otp).toMatchObject({ phone: '79001234567', sender: 'TargetSMS' });
		expect(otp.code).toMatch(/^\d{6}$/);
		expect(result.output('Login code')).toEqual([
			{ json: { phone: '79001234567', code: otp.code, smsId: otp.idSms, status: 'send' }, pairedItem: { item: 0 } },
		]);
		// No list was asked for: a saved workflow never calls originator.php.
		expect(requestsTo(context.sandbox, ORIGINATOR)).toEqual([]);
	});
});
