import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { testTargetSmsApiCredential } from '../shared/credential-test';
import { runOperation } from '../shared/operations';
import * as get from './actions/get.operation';

/** One Get per resource, so that the editor's node creator offers each as its own action. */
const RESOURCE_ACTIONS = [
	{ resource: 'message', action: 'Get message status', description: 'Get the status of SMS/Viber messages' },
	{ resource: 'sms', action: 'Get SMS status', description: 'Get the status of single SMS' },
	{ resource: 'email', action: 'Get email status', description: 'Get the delivery status of emails' },
];

const operationPerResource: INodeProperties[] = RESOURCE_ACTIONS.map(({ resource, action, description }) => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [resource] } },
	options: [{ name: 'Get', value: 'get', action, description }],
	default: 'get',
}));

export class TargetSmsStatus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS Status',
		name: 'targetSmsStatus',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ ({ message: "Message status", sms: "SMS status", email: "Email status" })[$parameter["resource"]] }}',
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
			...operationPerResource,
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
