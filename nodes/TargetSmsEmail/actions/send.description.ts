import type { INodeProperties } from 'n8n-workflow';

import { automaticRetriesOption } from '../../shared/descriptions';

import { DEFAULT_EMAIL_CONCURRENCY, MAX_EMAIL_CONCURRENCY } from './send.limits';

const onSend = { operation: ['send'] };

export const sendDescription: INodeProperties[] = [
	{
		displayName:
			"TargetSMS does not recognise a repeated email. Retry On Fail outputs the letters an earlier try sent instead of sending them again, and the node never resends a letter that may have reached TargetSMS; n8n's Retry of a failed execution, or a new execution, sends again what was already sent.",
		name: 'retryNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: onSend },
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: onSend },
		options: [
			automaticRetriesOption('notDeduplicated'),
			{ name: 'JSON', value: 'json', description: 'Send the request as a JSON document' },
			{ name: 'XML', value: 'xml', description: 'Send the request as an XML document' },
		],
		default: 'json',
		description: 'Wire format of the request; both reach the same service',
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		placeholder: 'shop@example.ru',
		required: true,
		default: '',
		displayOptions: { show: onSend },
		description:
			'Return address. It must be registered with TargetSMS beforehand: mail from other addresses is not sent.',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		placeholder: 'customer@example.ru',
		required: true,
		default: '',
		displayOptions: { show: onSend },
		description: 'One recipient address; the provider takes one letter per request',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: onSend },
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 8 },
		displayOptions: { show: onSend },
		description: 'The letter: HTML or plain text, sent as UTF-8',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: onSend },
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_EMAIL_CONCURRENCY },
				default: DEFAULT_EMAIL_CONCURRENCY,
				description: 'How many letters are sent at once (one request per letter)',
			},
			{
				displayName: 'Message ID',
				name: 'messageId',
				type: 'string',
				default: '',
				placeholder: '100045',
				description:
					'Your numeric ID for the letter (id_message). Left empty, one is derived from the execution, node, item and recipient.',
			},
		],
	},
];
