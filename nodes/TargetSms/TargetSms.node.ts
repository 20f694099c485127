import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { testTargetSmsApiCredential } from '../shared/credential-test';
import { runOperation } from '../shared/operations';
import { SENDER_SEARCH_METHOD, searchSenders } from '../shared/senders';
import * as send from './actions/send.operation';

export class TargetSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS',
		name: 'targetSms',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['output'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ ({ sms: "SMS", viber: "Viber", viberThenSms: "Viber, then SMS", smsThenViber: "SMS, then Viber" })[$parameter["channel"]] }}',
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
		listSearch: { [SENDER_SEARCH_METHOD]: searchSenders },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, { send });
	}
}
