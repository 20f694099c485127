import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { testTargetSmsApiCredential } from '../shared/credential-test';
import { runOperation } from '../shared/operations';
import { SENDER_SEARCH_METHOD, searchSenders } from '../shared/senders';
import * as send from './actions/send.operation';
import * as verify from './actions/verify.operation';

export class TargetSmsOtp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS OTP',
		name: 'targetSmsOtp',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['output'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] === "verify" ? "Verify code" : "Send code" }}',
		description: 'Send one-time login codes by SMS through TargetSMS and check what users type',
		defaults: { name: 'TargetSMS OTP' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'targetSmsApi',
				required: true,
				testedBy: 'targetSmsApiTest',
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Send', value: 'send', action: 'Send a one time code', description: 'Generate a code and send it by SMS' },
					{ name: 'Verify', value: 'verify', action: 'Verify a code', description: 'Check the code a user typed' },
				],
				default: 'send',
			},
			...send.description,
			...verify.description,
		],
	};

	methods = {
		credentialTest: { targetSmsApiTest: testTargetSmsApiCredential },
		listSearch: { [SENDER_SEARCH_METHOD]: searchSenders },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, { send, verify });
	}
}
