/**
 * The editor's list of sender names in a running n8n: the REST call the editor makes for a resource locator's list
 * (`POST /rest/dynamic-node-parameters/resource-locator-results`, n8n 2.41's DynamicNodeParametersController) for the
 * sender of a TargetSMS and a TargetSMS OTP node of version 2 with the sandbox credential, answered from the sandbox's
 * `originator.php`: the approved names only, narrowed by the search text; a refusal is an error with the provider's
 * words and without the password.
 */
import type { INodeListSearchResult } from 'n8n-workflow';

import { SANDBOX_API_CREDENTIAL } from '../../../scripts/n8n/credentials';
import { TargetSmsSandbox } from '../../sandbox/server';
import type { ServedSuiteContext } from './context';

const ENDPOINT = '/rest/dynamic-node-parameters/resource-locator-results';

const NODES = {
	targetSms: { parameter: 'smsSender', parameters: { operation: 'send', channel: 'sms', phones: '', smsText: '' } },
	targetSmsOtp: { parameter: 'sender', parameters: { operation: 'send', phone: '', codeLength: 4 } },
} as const;

/** The body the editor posts when the list of a version 2 node's sender opens (or its search text changes). */
function listRequest(node: keyof typeof NODES, filter?: string) {
	const { parameter, parameters } = NODES[node];
	return {
		path: `parameters.${parameter}`,
		methodName: 'searchSenders',
		nodeTypeAndVersion: { name: `n8n-nodes-targetsms.${node}`, version: 2 },
		currentNodeParameters: { ...parameters, [parameter]: { __rl: true, mode: 'list', value: '' } },
		credentials: { targetSmsApi: { id: SANDBOX_API_CREDENTIAL.id, name: SANDBOX_API_CREDENTIAL.name } },
		...(filter === undefined ? {} : { filter }),
	};
}

export function describeSenders(context: ServedSuiteContext): void {
	describe("the editor's list of sender names (resource locator results)", () => {
		const ask = (node: keyof typeof NODES, filter?: string) =>
			context.server().rest<INodeListSearchResult>(context.cookie(), 'POST', ENDPOINT, listRequest(node, filter));

		test('TargetSMS version 2 lists the approved names of the account; OTP narrows them by the search text', async () => {
			const { sandbox } = context.environment();
			sandbox.reset();
			expect(await ask('targetSms')).toEqual({
				results: [
					{ name: 'TargetSMS', value: 'TargetSMS' },
					{ name: 'Shop', value: 'Shop' },
				],
			});
			expect(await ask('targetSmsOtp', 'sho')).toEqual({ results: [{ name: 'Shop', value: 'Shop' }] });
			expect(sandbox.requests.map(({ path }) => path)).toEqual(['/xml/originator.php', '/xml/originator.php']);
		});

		test("a refusal is an error with the provider's words and without the password", async () => {
			const { sandbox } = context.environment();
			sandbox.reset();
			sandbox.failNext({ kind: 'rejectLogin', path: '/xml/originator.php' });
			const response = await fetch(`${context.server().url}${ENDPOINT}`, {
				method: 'POST',
				headers: { Cookie: context.cookie(), 'Content-Type': 'application/json' },
				body: JSON.stringify(listRequest('targetSms')),
			});
			const text = await response.text();
			expect(response.ok).toBe(false);
			expect(text).toContain('TargetSMS refused the request');
			expect(text).not.toContain(TargetSmsSandbox.DEFAULT_PASSWORD);
		});
	});
}
