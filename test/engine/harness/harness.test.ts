import { HARNESS_START_NODE_NAME, runWorkflow, testCredential } from './index';

import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialTestFunctions,
	ICredentialType,
	ICredentialsDecrypted,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

interface ReceivedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: string;
}

const received: ReceivedRequest[] = [];
let flakyCalls = 0;
let server: Server;
let baseUrl = '';

function startServer(): Promise<void> {
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const request: ReceivedRequest = {
				method: req.method ?? '',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			received.push(request);
			if (url.pathname === '/echo') {
				res.writeHead(200, { 'content-type': 'text/plain' }).end(`echo:${request.body}`);
			} else if (url.pathname === '/flaky') {
				flakyCalls++;
				if (flakyCalls === 1) res.writeHead(500, { 'content-type': 'text/plain' }).end('try again');
				else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
			} else if (url.pathname === '/auth') {
				const ok = req.headers['x-api-key'] === 'good-key';
				res
					.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
					.end(JSON.stringify(ok ? { ok: true } : { error: 'bad key' }));
			} else {
				res.writeHead(404).end();
			}
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
			resolve();
		});
	});
}

beforeAll(startServer);

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve, reject) =>
		server.close((error) => (error ? reject(error) : resolve())),
	);
});

beforeEach(() => {
	received.length = 0;
	flakyCalls = 0;
});

/** For each item: POSTs 'x' to the local server, and fails for the phone 'bad'. */
const echoNode: INodeType = {
	description: {
		displayName: 'Echo',
		name: 'test.echo',
		group: ['transform'],
		version: 1,
		description: 'Posts to a local server',
		defaults: { name: 'Echo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const phone = this.getNodeParameter('phone', i) as string;
				if (phone === 'bad') {
					throw new NodeOperationError(this.getNode(), `Invalid phone: ${phone}`, { itemIndex: i });
				}
				const baseUrl = this.getNodeParameter('baseUrl', i) as string;
				const response = (await this.helpers.httpRequest({
					url: `${baseUrl}/echo?phone=${encodeURIComponent(phone)}`,
					method: 'POST',
					body: 'x',
					json: false,
				})) as string;
				returnData.push({
					json: { phone, response, timezone: this.getTimezone() },
					pairedItem: { item: i },
				});
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [returnData];
	},
};

/** Copies its input, to check what reaches the next node. */
const passNode: INodeType = {
	description: {
		displayName: 'Pass',
		name: 'test.pass',
		group: ['transform'],
		version: 1,
		description: 'Passes items on',
		defaults: { name: 'Pass' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, i) => ({
				json: { ...item.json, passed: true },
				pairedItem: { item: i },
			})),
		];
	},
};

/** Throws without looking at continueOnFail: the engine's own handling applies. */
const throwNode: INodeType = {
	description: {
		displayName: 'Throw',
		name: 'test.throw',
		group: ['transform'],
		version: 1,
		description: 'Always fails',
		defaults: { name: 'Throw' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'boom');
	},
};

/** GETs a URL that fails with 500 on its first call. */
const flakyNode: INodeType = {
	description: {
		displayName: 'Flaky',
		name: 'test.flaky',
		group: ['transform'],
		version: 1,
		description: 'Fails once',
		defaults: { name: 'Flaky' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const response = (await this.helpers.httpRequest({
			url,
			method: 'GET',
			json: false,
		})) as string;
		return [[{ json: { response }, pairedItem: { item: 0 } }]];
	},
};

const testApiCredentialType: ICredentialType = {
	name: 'testApi',
	displayName: 'Test API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Region', name: 'region', type: 'string', default: 'ru' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } },
	},
};

async function testApiConnection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	try {
		await this.helpers.request({
			uri: `${String(data.baseUrl)}/auth`,
			method: 'GET',
			headers: { 'x-api-key': data.apiKey },
			json: true,
		});
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful' };
}

/** Reads its credentials and calls the server with them (through the credential's authenticate). */
const authNode: INodeType = {
	description: {
		displayName: 'Auth',
		name: 'test.auth',
		group: ['transform'],
		version: [1, 2],
		description: 'Uses credentials',
		defaults: { name: 'Auth' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'testApi', required: true, testedBy: 'testApiConnection' }],
		properties: [],
	},
	methods: { credentialTest: { testApiConnection } },
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('testApi');
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'testApi', {
			url: `${String(credentials.baseUrl)}/auth`,
			method: 'GET',
			json: true,
		})) as { ok: boolean };
		return [
			[
				{
					json: {
						apiKey: credentials.apiKey,
						region: credentials.region ?? null,
						ok: response.ok,
						version: this.getNode().typeVersion,
					},
					pairedItem: { item: 0 },
				},
			],
		];
	},
};

const nodeTypes = {
	'test.echo': echoNode,
	'test.pass': passNode,
	'test.throw': throwNode,
	'test.flaky': flakyNode,
	'test.auth': authNode,
};

describe('engine harness: runWorkflow', () => {
	test('runs a node through WorkflowExecute with real HTTP, expressions and paired items', async () => {
		const result = await runWorkflow({
			nodeTypes,
			items: [{ phone: '79001112233' }, { phone: '79004445566' }],
			nodes: [
				{ name: 'Echo', type: 'test.echo', parameters: { phone: '={{ $json.phone }}', baseUrl } },
				{ name: 'Pass', type: 'test.pass', parameters: {} },
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		expect(result.executedNodes).toEqual([HARNESS_START_NODE_NAME, 'Echo', 'Pass']);
		expect(result.output(HARNESS_START_NODE_NAME).map((item) => item.json)).toEqual([
			{ phone: '79001112233' },
			{ phone: '79004445566' },
		]);
		expect(result.output('Echo')).toEqual([
			{
				json: { phone: '79001112233', response: 'echo:x', timezone: 'Europe/Moscow' },
				pairedItem: { item: 0 },
			},
			{
				json: { phone: '79004445566', response: 'echo:x', timezone: 'Europe/Moscow' },
				pairedItem: { item: 1 },
			},
		]);
		expect(result.output('Pass').map((item) => item.json.passed)).toEqual([true, true]);
		expect(
			received.map(({ method, path, body, query }) => [method, path, body, query.get('phone')]),
		).toEqual([
			['POST', '/echo', 'x', '79001112233'],
			['POST', '/echo', 'x', '79004445566'],
		]);
	});

	test('continueOnFail on: the failing item becomes an error item, the others go on', async () => {
		const result = await runWorkflow({
			nodeTypes,
			items: [{ phone: '1' }, { phone: 'bad' }, { phone: '3' }],
			nodes: [
				{
					name: 'Echo',
					type: 'test.echo',
					parameters: { phone: '={{ $json.phone }}', baseUrl },
					continueOnFail: true,
				},
				{ name: 'Pass', type: 'test.pass', parameters: {} },
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.nodeError('Echo')).toBeUndefined();
		expect(result.output('Echo')).toEqual([
			{
				json: { phone: '1', response: 'echo:x', timezone: 'Europe/Moscow' },
				pairedItem: { item: 0 },
			},
			{ json: { error: 'Invalid phone: bad' }, pairedItem: { item: 1 } },
			{
				json: { phone: '3', response: 'echo:x', timezone: 'Europe/Moscow' },
				pairedItem: { item: 2 },
			},
		]);
		expect(result.output('Pass')).toHaveLength(3);
		expect(received.map(({ query }) => query.get('phone'))).toEqual(['1', '3']);
	});

	test('continueOnFail off: the error stops the run and surfaces in result.error and nodeError', async () => {
		const result = await runWorkflow({
			nodeTypes,
			items: [{ phone: '1' }, { phone: 'bad' }, { phone: '3' }],
			nodes: [
				{ name: 'Echo', type: 'test.echo', parameters: { phone: '={{ $json.phone }}', baseUrl } },
				{ name: 'Pass', type: 'test.pass', parameters: {} },
			],
		});

		expect(result.run.status).toBe('error');
		expect(result.error?.message).toBe('Invalid phone: bad');
		// n8n-core records a plain-object copy of the error ({ ...error, message, stack }), not the instance.
		expect(result.nodeError('Echo')).toMatchObject({
			name: 'NodeOperationError',
			message: 'Invalid phone: bad',
			context: { itemIndex: 1 },
		});
		expect(result.error).toEqual(result.nodeError('Echo'));
		expect(result.output('Echo')).toEqual([]);
		expect(() => result.output('Pass')).toThrow('Node "Pass" did not run');
		expect(result.executedNodes).toEqual([HARNESS_START_NODE_NAME, 'Echo']);
		expect(received.map(({ query }) => query.get('phone'))).toEqual(['1']);
	});

	test('continueOnFail on a node that just throws: the engine passes its input items on', async () => {
		const result = await runWorkflow({
			nodeTypes,
			items: [{ a: 1 }],
			nodes: [
				{ name: 'Throw', type: 'test.throw', parameters: {}, continueOnFail: true },
				{ name: 'Pass', type: 'test.pass', parameters: {} },
			],
		});

		// What n8n 2.41 does for continueRegularOutput when execute() itself throws: the node's task
		// data keeps the error and its input items go out unchanged.
		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		expect(result.output('Throw').map((item) => item.json)).toEqual([{ a: 1 }]);
		expect(result.nodeError('Throw')?.message).toBe('boom');
		expect(result.output('Pass').map((item) => item.json)).toEqual([{ a: 1, passed: true }]);
	});

	test('retryOnFail: the engine runs the node again after a failed HTTP call', async () => {
		const result = await runWorkflow({
			nodeTypes,
			items: [{}],
			nodes: [
				{
					name: 'Flaky',
					type: 'test.flaky',
					parameters: { url: `${baseUrl}/flaky` },
					retryOnFail: true,
					maxTries: 2,
					waitBetweenTries: 10,
				},
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.output('Flaky').map((item) => item.json)).toEqual([{ response: 'ok' }]);
		expect(received.filter(({ path }) => path === '/flaky')).toHaveLength(2);
	});

	test('without retryOnFail the same HTTP failure fails the run', async () => {
		const result = await runWorkflow({
			nodeTypes,
			items: [{}],
			nodes: [{ name: 'Flaky', type: 'test.flaky', parameters: { url: `${baseUrl}/flaky` } }],
		});

		expect(result.run.status).toBe('error');
		expect(result.error).toBeDefined();
		expect(result.nodeError('Flaky')).toBeDefined();
		expect(received.filter(({ path }) => path === '/flaky')).toHaveLength(1);
	});

	test('credentials reach getCredentials and httpRequestWithAuthentication', async () => {
		const credentials = { testApi: { data: { apiKey: 'good-key', baseUrl } } };

		const plain = await runWorkflow({
			nodeTypes,
			items: [{}],
			nodes: [{ name: 'Auth', type: 'test.auth', parameters: {} }],
			credentials,
			timezone: 'UTC',
		});
		// No credential type definitions: authenticate leaves the request as it is, so the server says 401.
		expect(plain.run.status).toBe('error');
		expect(received[0]?.headers['x-api-key']).toBeUndefined();

		received.length = 0;
		const authenticated = await runWorkflow({
			nodeTypes,
			items: [{}],
			nodes: [{ name: 'Auth', type: 'test.auth', parameters: {} }],
			credentials,
			credentialTypes: { testApi: testApiCredentialType },
		});
		expect(authenticated.error).toBeUndefined();
		expect(authenticated.output('Auth').map((item) => item.json)).toEqual([
			{ apiKey: 'good-key', region: 'ru', ok: true, version: 2 },
		]);
		expect(received.map(({ headers }) => headers['x-api-key'])).toEqual(['good-key']);
	});

	test('a missing credential fails the node with a clear message', async () => {
		const result = await runWorkflow({
			nodeTypes,
			items: [{}],
			nodes: [
				{
					name: 'Auth',
					type: 'test.auth',
					parameters: {},
					credentials: { testApi: { id: '1', name: 'x' } },
				},
			],
		});
		expect(result.nodeError('Auth')?.message).toContain('No credentials of type "testApi"');
	});

	test('is reusable: many runs in one process, each with its own items', async () => {
		for (let run = 0; run < 15; run++) {
			const result = await runWorkflow({
				nodeTypes,
				items: [{ phone: `p${run}` }],
				nodes: [
					{ name: 'Echo', type: 'test.echo', parameters: { phone: '={{ $json.phone }}', baseUrl } },
				],
				timezone: 'Asia/Yekaterinburg',
			});
			expect(result.output('Echo')[0].json).toEqual({
				phone: `p${run}`,
				response: 'echo:x',
				timezone: 'Asia/Yekaterinburg',
			});
		}
		expect(received).toHaveLength(15);
	});

	test('start items are data, never expressions', async () => {
		const result = await runWorkflow({
			nodeTypes,
			items: [{ text: '={{ 1 + 1 }}' }],
			nodes: [{ name: 'Pass', type: 'test.pass', parameters: {} }],
		});
		expect(result.output('Pass')[0].json).toEqual({ text: '={{ 1 + 1 }}', passed: true });
	});

	test('rejects unknown node types and duplicate names', async () => {
		await expect(
			runWorkflow({
				nodeTypes,
				items: [{}],
				nodes: [{ name: 'X', type: 'test.nope', parameters: {} }],
			}),
		).rejects.toThrow('Unknown node type "test.nope"');
		await expect(
			runWorkflow({
				nodeTypes,
				items: [{}],
				nodes: [
					{ name: 'P', type: 'test.pass', parameters: {} },
					{ name: 'P', type: 'test.pass', parameters: {} },
				],
			}),
		).rejects.toThrow('is used twice');
	});
});

describe('engine harness: testCredential', () => {
	test('calls methods.credentialTest with a context whose helpers.request does real HTTP', async () => {
		const ok = await testCredential(authNode, 'testApiConnection', 'testApi', {
			apiKey: 'good-key',
			baseUrl,
		});
		expect(ok).toEqual({ status: 'OK', message: 'Connection successful' });

		const bad = await testCredential(authNode, 'testApiConnection', 'testApi', {
			apiKey: 'wrong',
			baseUrl,
		});
		expect(bad.status).toBe('Error');
		expect(bad.message).toContain('401');

		expect(
			received.map(({ method, path, headers }) => [method, path, headers['x-api-key']]),
		).toEqual([
			['GET', '/auth', 'good-key'],
			['GET', '/auth', 'wrong'],
		]);
	});

	test('throws for an unknown test method', async () => {
		await expect(testCredential(authNode, 'nope', 'testApi', {})).rejects.toThrow(
			'no methods.credentialTest.nope',
		);
	});
});
