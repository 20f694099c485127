import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { testTargetSmsApiCredential } from '../shared/credential-test';
import { runOperation } from '../shared/operations';
import * as send from './actions/send.operation';

export class TargetSmsEmail implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS Email',
		name: 'targetSmsEmail',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Send email (" + $parameter["format"] + ")" }}',
		description: 'Send transactional email through TargetSMS',
		defaults: { name: 'TargetSMS Email' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'targetSmsApi', required: true, testedBy: 'targetSmsApiTest' }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Send', value: 'send', action: 'Send an email', description: 'Send one letter per item' }],
				default: 'send',
			},
			...send.description,
		],
	};

	methods = {
		credentialTest: { targetSmsApiTest: testTargetSmsApiCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, { send });
	}
}
