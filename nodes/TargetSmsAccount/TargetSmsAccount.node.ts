import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { testTargetSmsApiCredential } from '../shared/credential-test';
import { automaticRetriesOption } from '../shared/descriptions';
import { runResourceOperation } from '../shared/operations';
import * as getBalance from './actions/account/getBalance.operation';
import * as getSenders from './actions/account/getSenders.operation';
import * as lookup from './actions/phone/lookup.operation';
import * as cancel from './actions/scheduled/cancel.operation';
import * as getScheduled from './actions/scheduled/getAll.operation';
import * as add from './actions/stopList/add.operation';
import * as getStopList from './actions/stopList/getAll.operation';
import * as remove from './actions/stopList/remove.operation';

const operation = (resource: string, options: INodeProperties['options'], fallback: string): INodeProperties => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [resource] } },
	options,
	default: fallback,
});

export class TargetSmsAccount implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS Account',
		name: 'targetSmsAccount',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Balance, sender names, phone lookup, stop list and scheduled SMS of a TargetSMS account',
		defaults: { name: 'TargetSMS Account' },
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
					{ name: 'Account', value: 'account', description: 'Balance and sender names' },
					{ name: 'Phone', value: 'phone', description: 'Operator, region and time zone of phone numbers' },
					{ name: 'Stop List', value: 'stopList', description: 'Phones TargetSMS sends nothing to' },
					{ name: 'Scheduled Message', value: 'scheduled', description: 'SMS waiting for their send time' },
				],
				default: 'account',
			},
			operation(
				'account',
				[
					{ name: 'Get Balance', value: 'getBalance', action: 'Get the balance', description: 'Money left and SMS left per direction' },
					{ name: 'Get Sender Names', value: 'getSenders', action: 'Get sender names', description: 'The account\'s sender names and their approval state' },
				],
				'getBalance',
			),
			operation(
				'phone',
				[{ name: 'Look Up', value: 'lookup', action: 'Look up phones', description: 'Operator, region and hours ahead of Moscow' }],
				'lookup',
			),
			operation(
				'stopList',
				[
					{ name: 'Add', value: 'add', action: 'Add phones to the stop list', description: 'Stop sending to phones' },
					{ name: 'Get Many', value: 'getAll', action: 'Get phones on the stop list', description: 'List the stop list' },
					{ name: 'Remove', value: 'remove', action: 'Remove phones from the stop list', description: 'Send to phones again' },
				],
				'add',
			),
			operation(
				'scheduled',
				[
					{ name: 'Cancel', value: 'cancel', action: 'Cancel scheduled SMS', description: 'Cancel SMS before their send time' },
					{ name: 'Get Many', value: 'getAll', action: 'Get scheduled SMS', description: 'List SMS waiting for their send time' },
				],
				'getAll',
			),
			...lookup.description,
			...add.description,
			...remove.description,
			...getStopList.description,
			...getScheduled.description,
			...cancel.description,
			...getBalance.description,
			...getSenders.description,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [automaticRetriesOption('deduplicated')],
			},
		],
	};

	methods = {
		credentialTest: { targetSmsApiTest: testTargetSmsApiCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runResourceOperation(this, {
			account: { getBalance, getSenders },
			phone: { lookup },
			stopList: { add, remove, getAll: getStopList },
			scheduled: { getAll: getScheduled, cancel },
		});
	}
}
