/**
 * The peers: n8n's own HTTP Request node (n8n-nodes-base, from the bench's cache folder, see install.ts), and a node
 * that sends one request per item, one at a time, as the Twilio node does; and the minimal nodes (the least a node does).
 */
import Module from 'node:module';
import { join } from 'node:path';

import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { IExecuteFunctions, INodeExecutionData, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Packages the cached n8n-nodes-base must share with the engine (one n8n-workflow in the process). */
const SHARED = ['n8n-workflow', '@n8n/di', '@n8n/config'];

type Resolver = (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;

/** Loads n8n's HTTP Request node from `cacheDir`, resolving the packages it shares with the engine from this checkout. */
export function loadHttpRequestNode(cacheDir: string): IVersionedNodeType {
	const modules = Module as unknown as { _resolveFilename: Resolver };
	const original = modules._resolveFilename;
	modules._resolveFilename = function (request, parent, ...rest) {
		const shared = SHARED.some((name) => request === name || request.startsWith(name + '/'));
		if (shared && parent?.filename?.startsWith(cacheDir)) return original.call(this, request, module, ...rest);
		return original.call(this, request, parent, ...rest);
	};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(join(cacheDir, 'node_modules/n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js')) as {
		HttpRequest: new () => IVersionedNodeType;
	};
	return new exported.HttpRequest();
}

/** One POST per item, awaited before the next, as the Twilio node sends its messages. */
export const sequentialNode: INodeType = {
	description: {
		displayName: 'One At A Time',
		name: 'benchSequential',
		group: ['output'],
		version: 1,
		description: 'Sends one request per item, one at a time',
		defaults: { name: 'One At A Time' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Body', name: 'body', type: 'string', default: '' },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const response = (await this.helpers.httpRequest({
				method: 'POST',
				url: this.getNodeParameter('url', itemIndex) as string,
				body: this.getNodeParameter('body', itemIndex) as string,
				headers: { 'Content-Type': 'text/xml; charset=utf-8' },
				json: false,
			})) as string;
			output.push({ json: { response }, pairedItem: { item: itemIndex } });
		}
		return [output];
	},
};

/**
 * The least a node inside n8n does for figure (b): the same parameter reads, the same documents built by
 * fast-xml-parser (the floor's builder), one request per 500 recipients through n8n's `helpers.httpRequest`, the
 * replies parsed by the floor's parser, one output item per recipient. No validation, no derived ids (the items' own),
 * no retries, no redaction: what is left of the node's own CPU is what n8n and the XML library cost.
 */
export function minimalSmsNode(login: { login: string; password: string }, url: string): INodeType {
	const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: true });
	const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, isArray: (name) => name === 'message' });
	return {
		description: minimalDescription('benchMinimalSms', ['phones', 'smsSender', 'smsText']),
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const sender = this.getNodeParameter('smsSender', 0) as string;
			const items = this.getInputData().map((item, itemIndex) => ({
				phone: this.getNodeParameter('phones', itemIndex) as string,
				text: this.getNodeParameter('smsText', itemIndex) as string,
				clientId: String(item.json.clientId),
			}));
			const output: INodeExecutionData[] = [];
			for (let start = 0; start < items.length; start += MINIMAL_BATCH) {
				const batch = items.slice(start, start + MINIMAL_BATCH);
				const body = builder.build({
					request: {
						security: { login: { '@_value': login.login }, password: { '@_value': login.password } },
						message: batch.map((item) => ({
							send_viber: '0',
							send_sms: '1',
							sender_sms: sender,
							text_sms: item.text,
							abonent: { '@_phone': item.phone, '@_client_id_message': item.clientId },
						})),
					},
				}) as string;
				const reply = (await this.helpers.httpRequest({ method: 'POST', url, body, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, json: false })) as string;
				const messages = (parser.parse(reply) as { response: { message: Array<{ information: Record<string, string> }> } }).response.message;
				messages.forEach(({ information }, index) => {
					output.push({
						json: { phone: information['@_phone'], messageId: Number(information['@_id_message']), clientMessageId: information['@_client_id_message'], smsId: Number(information['@_id_sms']), status: information['#text'] },
						pairedItem: { item: start + index },
					});
				});
			}
			return [output];
		},
	};
}

/** The least a node inside n8n does for figure (c): two reads per item, then one POST per letter, `concurrency` at a time. */
export function minimalEmailNode(login: { login: string; password: string }, url: string): INodeType {
	return {
		description: minimalDescription('benchMinimalEmail', ['from', 'to', 'subject', 'body']),
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const concurrency = this.getNodeParameter('options.concurrency', 0, 5) as number;
			const from = this.getNodeParameter('from', 0) as string;
			const subject = this.getNodeParameter('subject', 0) as string;
			const letters = this.getInputData().map((_item, itemIndex) => ({ to: this.getNodeParameter('to', itemIndex) as string, body: this.getNodeParameter('body', itemIndex) as string }));
			const output = new Array<INodeExecutionData>(letters.length);
			let next = 0;
			const sendNext = async (): Promise<void> => {
				while (next < letters.length) {
					const index = next++;
					const letter = letters[index];
					const body = JSON.stringify({ security: { login: { value: login.login }, password: { value: login.password } }, from, email: { letter: Buffer.from(letter.body).toString('base64'), id_message: String(1_000_000_000 + index), to: letter.to, subject } });
					const reply = (await this.helpers.httpRequest({ method: 'POST', url, body, headers: { 'Content-Type': 'application/json' }, json: false })) as string;
					output[index] = { json: { to: letter.to, reply }, pairedItem: { item: index } };
				}
			};
			await Promise.all(Array.from({ length: Math.min(concurrency, letters.length) }, sendNext));
			return [output];
		},
	};
}

const MINIMAL_BATCH = 500;

function minimalDescription(name: string, fields: readonly string[]): INodeType['description'] {
	return {
		displayName: name,
		name,
		group: ['output'],
		version: 1,
		description: 'The least a node inside n8n does for the same work',
		defaults: { name },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'send' },
			{ displayName: 'Channel', name: 'channel', type: 'string', default: 'sms' },
			{ displayName: 'Format', name: 'format', type: 'string', default: 'json' },
			...fields.map((field) => ({ displayName: field, name: field, type: 'string' as const, default: '' })),
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 5 }] },
		],
	};
}
