import type { INodeProperties } from 'n8n-workflow';

import { automaticRetriesOption } from '../../shared/descriptions';

const onGet = { operation: ['get'] };

export const getDescription: INodeProperties[] = [
	{
		displayName: 'IDs',
		name: 'ids',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.messageId }}',
		displayOptions: { show: onGet },
		description:
			'One or more IDs, separated by commas, semicolons, spaces or line breaks: the messageId of the TargetSMS node (Message), an smsId of the TargetSMS or TargetSMS OTP node (SMS), or the externalMessageId of the TargetSMS Email node (Email)',
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { ...onGet, resource: ['email'] } },
		options: [
			{ name: 'JSON', value: 'json' },
			{ name: 'XML', value: 'xml' },
		],
		default: 'json',
		description: 'Wire format of the email status request',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: onGet },
		options: [automaticRetriesOption('deduplicated')],
	},
];
