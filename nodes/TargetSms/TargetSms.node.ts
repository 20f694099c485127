import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { testTargetSmsApiCredential } from '../shared/credential-test';
import * as send from './actions/send.operation';

export class TargetSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS',
		name: 'targetSms',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Send via " + $parameter["channel"] }}',
		description: 'Send SMS and Viber messages, with cascade fallback, through TargetSMS',
		defaults: { name: 'TargetSMS' },
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
				options: [{ name: 'Send', value: 'send', action: 'Send a message', description: 'Send an SMS or Viber message' }],
				default: 'send',
			},
			...send.description,
		],
	};

	methods = {
		credentialTest: { targetSmsApiTest: testTargetSmsApiCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0);
		if (operation === 'send') return await send.execute.call(this);
		throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" is not supported`);
	}
}
