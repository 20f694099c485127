import type { INodeProperties } from 'n8n-workflow';

const onVerify = { operation: ['verify'] };

export const verifyDescription: INodeProperties[] = [
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.code }}',
		displayOptions: { show: onVerify },
		description: 'What the user typed',
	},
	{
		displayName: 'Expected',
		name: 'expected',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		displayOptions: { show: onVerify },
		description: 'The code that was sent, or the codeHash the Send operation output with Hide Code',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		displayOptions: { show: onVerify },
		description: 'The phone the code was sent to; needed to check a codeHash, which is bound to it',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: onVerify },
		options: [
			{
				displayName: 'Max Age (Minutes)',
				name: 'maxAge',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: 'Refuse a code older than this; needs a codeHash, which holds the time the code was sent',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'The secret the code hash was made with',
			},
		],
	},
];
