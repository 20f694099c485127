import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { testTargetSmsApiCredential } from '../shared/credential-test';
import { runOperation } from '../shared/operations';
import * as get from './actions/get.operation';

export class TargetSmsStatus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS Status',
		name: 'targetSmsStatus',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Status of " + $parameter["resource"] }}',
		description: 'Get the delivery status of TargetSMS messages, SMS and emails',
		defaults: { name: 'TargetSMS Status' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'targetSmsApi', required: true, testedBy: 'targetSmsApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Message', value: 'message', description: 'SMS/Viber messages by messageId (id_message)' },
					{ name: 'SMS', value: 'sms', description: 'Single SMS by smsId (id_sms), e.g. one-time codes' },
					{ name: 'Email', value: 'email', description: 'Emails by externalMessageId' },
				],
				default: 'message',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Get', value: 'get', action: 'Get delivery status', description: 'Get the status of one or more IDs' }],
				default: 'get',
			},
			...get.description,
		],
	};

	methods = {
		credentialTest: { targetSmsApiTest: testTargetSmsApiCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, { get });
	}
}
