import type { INodeProperties } from 'n8n-workflow';

import { automaticRetriesOption, phonesProperty } from '../../shared/descriptions';
import { senderProperties } from '../../shared/senders';

import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from './send.limits';

const SMS_CHANNELS = ['sms', 'viberThenSms', 'smsThenViber'];
const VIBER_CHANNELS = ['viber', 'viberThenSms', 'smsThenViber'];

const onSend = { operation: ['send'] };

export const sendDescription: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: onSend },
		options: [
			{ name: 'SMS', value: 'sms', description: 'Send an SMS only' },
			{ name: 'Viber', value: 'viber', description: 'Send a Viber message only' },
			{
				name: 'Viber, Then SMS',
				value: 'viberThenSms',
				description: 'Try Viber first; send an SMS if the Viber message is not delivered',
			},
			{
				name: 'SMS, Then Viber',
				value: 'smsThenViber',
				description: 'Try SMS first; send a Viber message if the SMS is not delivered',
			},
		],
		default: 'sms',
	},
	phonesProperty(onSend),
	...senderProperties({
		displayName: 'SMS Sender',
		name: 'smsSender',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'MyShop',
		displayOptions: { show: { ...onSend, channel: SMS_CHANNELS } },
		description: 'Sender name registered in your TargetSMS account, shown to the recipient',
	}),
	{
		displayName: 'SMS Text',
		name: 'smsText',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		displayOptions: { show: { ...onSend, channel: SMS_CHANNELS } },
		description: 'Text of the SMS. Long texts are sent as several parts (70 Cyrillic or 160 Latin characters each).',
	},
	{
		displayName: 'Viber Sender',
		name: 'viberSender',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { ...onSend, channel: VIBER_CHANNELS } },
		description: 'Viber sender name registered in your TargetSMS account',
	},
	{
		displayName: 'Viber Text',
		name: 'viberText',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		displayOptions: { show: { ...onSend, channel: VIBER_CHANNELS } },
		description: 'Text of the Viber message, up to 1000 characters',
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
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				default: DEFAULT_BATCH_SIZE,
				description:
					'How many recipients go out in one request to TargetSMS. Items are gathered into as few requests as this allows.',
			},
			automaticRetriesOption('deduplicated'),
			{
				displayName: 'Button Text',
				name: 'buttonText',
				type: 'string',
				default: '',
				displayOptions: { show: { '/channel': VIBER_CHANNELS } },
				description: 'Text of a button under the Viber message, up to 19 characters. Needs Button URL.',
			},
			{
				displayName: 'Button URL',
				name: 'buttonUrl',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/order/123',
				displayOptions: { show: { '/channel': VIBER_CHANNELS } },
				description: 'Link the Viber button opens. Needs Button Text.',
			},
			{
				displayName: 'Client Message ID',
				name: 'clientMessageId',
				type: 'string',
				default: '',
				placeholder: '100045',
				description:
					'Your own numeric ID for this message, for items with a single phone. TargetSMS never sends the same ID twice from your account, so nothing can send it again. Left empty, the ID comes from Deduplication Key, or else from the execution (stable across n8n\'s Retry), node, item and phone.',
			},
			{
				displayName: 'Deduplication Key',
				name: 'deduplicationKey',
				type: 'string',
				default: '',
				placeholder: '={{ $json.orderId }}-confirmation',
				description:
					'Any text that names this message, such as an order number. Each phone gets an ID from the key, the phone, the workflow and this node, so the same key is sent once per phone, whatever re-runs it: n8n\'s Retry, a new execution, a webhook posted again, a restarted worker. The same key never sends again from this node: give each kind of message its own key (e.g. add "-reminder").',
			},
			{
				displayName: 'Delivery Name',
				name: 'deliveryName',
				type: 'string',
				default: '',
				description: 'Name of the mailing in TargetSMS reports (the provider uses "Шлюз" when empty)',
			},
			{
				displayName: 'Image URL',
				name: 'imageUrl',
				type: 'string',
				default: '',
				displayOptions: { show: { '/channel': VIBER_CHANNELS } },
				description: 'Link to an image shown in the Viber message. Needs the button as well.',
			},
			{
				displayName: 'Send At',
				name: 'sendAt',
				type: 'dateTime',
				default: '',
				description:
					'When to send. A time without an offset is read in the workflow time zone. Must be in the future; leave empty to send at once.',
			},
			{
				displayName: 'Send At Recipient Time',
				name: 'sendAtRecipientTime',
				type: 'boolean',
				default: false,
				description:
					"Whether Send At is the recipient's own local time (its date and time; any offset ignored): each phone's time zone is looked up at TargetSMS first, and a phone whose time zone is unknown, or whose local Send At is already past, gets nothing",
			},
			{
				displayName: 'Timezone',
				name: 'timezone',
				type: 'string',
				default: 'Europe/Moscow',
				description:
					"The clock of your TargetSMS account, in which Send At is written (IANA name). Europe/Moscow unless your account's settings say otherwise.",
			},
			{
				displayName: 'Viber Read Is Final',
				name: 'viberReadIsFinal',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/channel': ['viberThenSms', 'smsThenViber'] } },
				description:
					'Whether only "read" counts as delivered for Viber: a message delivered but not read within its validity then falls back to the next channel',
			},
			{
				displayName: 'Viber Validity (Minutes)',
				name: 'viberValidity',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				displayOptions: { show: { '/channel': VIBER_CHANNELS } },
				description: 'How long TargetSMS tries to deliver the Viber message before it expires or falls back',
			},
		],
	},
];
