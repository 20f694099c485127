/**
 * The peers: n8n's own HTTP Request node (n8n-nodes-base, from the bench's cache folder, see install.ts), and a node
 * that sends one request per item, one at a time, as the Twilio node does.
 */
import Module from 'node:module';
import { join } from 'node:path';

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
