import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runOperation } from '../shared/operations';
import * as send from './actions/send.operation';
import { testTargetSmsEmail2SmsCredential } from './credential-test';

export class TargetSmsEmail2Sms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS Email2SMS',
		name: 'targetSmsEmail2Sms',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: 'Send SMS by email',
		description: 'Send SMS through the TargetSMS Email2SMS gateway, by email over SMTP',
		defaults: { name: 'TargetSMS Email2SMS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'targetSmsEmail2SmsApi', required: true, testedBy: 'targetSmsEmail2SmsApiTest' }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Send', value: 'send', action: 'Send an SMS by email', description: 'Send an SMS through the Email2SMS gateway' }],
				default: 'send',
			},
			...send.description,
		],
	};

	methods = {
		credentialTest: { targetSmsEmail2SmsApiTest: testTargetSmsEmail2SmsCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, { send });
	}
}
