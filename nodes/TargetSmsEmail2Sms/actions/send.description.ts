import type { INodeProperties } from 'n8n-workflow';

import { phonesProperty } from '../../shared/descriptions';

const onSend = { operation: ['send'] };

export const sendDescription: INodeProperties[] = [
	{
		displayName:
			'Each item is sent as one email per 20 phones to the Email2SMS gateway. TargetSMS does not recognise a repeated email: running this node again (Retry On Fail included) sends the SMS again.',
		name: 'retryNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: onSend },
	},
	phonesProperty(onSend, 'Every 20 phones make one email.'),
	{
		displayName: 'Sender',
		name: 'sender',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'MyShop',
		displayOptions: { show: onSend },
		description: 'Sender name registered in your TargetSMS account (the template line SourceAddress)',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		displayOptions: { show: onSend },
		description:
			'Text of the SMS. It is sent in the windows-1251 charset: Cyrillic and Latin letters, digits and common punctuation; emoji and other scripts are refused unless Replace Unsupported Characters is on.',
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
				displayName: 'Group Items',
				name: 'groupItems',
				type: 'boolean',
				default: false,
				description:
					'Whether items with the same sender and text share emails of up to 20 phones (1,000 one-phone items: 50 emails instead of 1,000). Each item still gets its own output item, with the shared email\'s smtpMessageId.',
			},
			{
				displayName: 'Replace Unsupported Characters',
				name: 'replaceUnsupported',
				type: 'boolean',
				default: false,
				description:
					'Whether to send "?" in place of each character of the text that the windows-1251 charset cannot carry (emoji, other scripts) instead of refusing the item',
			},
		],
	},
];
