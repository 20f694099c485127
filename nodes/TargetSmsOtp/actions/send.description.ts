import type { INodeProperties } from 'n8n-workflow';

import { automaticRetriesOption } from '../../shared/descriptions';
import { senderProperties } from '../../shared/senders';

import { OTP_DEFAULT_TEXT } from '../../shared/protocol/agent/otp';
import { MAX_CODE_LENGTH, MIN_CODE_LENGTH } from '../../shared/validation/otp';

const onSend = { operation: ['send'] };

export const sendDescription: INodeProperties[] = [
	{
		displayName:
			"TargetSMS does not recognise a repeated code request. Retry On Fail outputs the codes an earlier try sent instead of sending new ones, and the node never repeats a request that may have reached TargetSMS; n8n's Retry of a failed execution, or a new execution, sends new codes.",
		name: 'retryNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: onSend },
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+7 900 123-45-67',
		displayOptions: { show: onSend },
		description: 'The phone to send the code to; Russian numbers may be written as 8…, 9… or +7…',
	},
	...senderProperties({
		displayName: 'Sender',
		name: 'sender',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'target',
		displayOptions: { show: onSend },
		description: 'Sender name agreed with TargetSMS (case matters)',
	}),
	{
		displayName: 'Code Length',
		name: 'codeLength',
		type: 'number',
		typeOptions: { minValue: MIN_CODE_LENGTH, maxValue: MAX_CODE_LENGTH },
		default: 4,
		displayOptions: { show: onSend },
		description: 'Digits in the generated code',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: OTP_DEFAULT_TEXT,
		typeOptions: { rows: 2 },
		displayOptions: { show: onSend },
		description: 'Text of the SMS; {код} is replaced by the code and must be present',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: onSend },
		options: [
			automaticRetriesOption('notDeduplicated'),
			{
				displayName: 'Hide Code',
				name: 'hideCode',
				type: 'boolean',
				default: false,
				description:
					'Whether to output a keyed hash of the code (codeHash, with sentAt) instead of the code, so the code never sits in execution data. Check it later with the Verify operation and the same secret.',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'Key of the code hash; required with Hide Code. Use the same secret in Verify.',
			},
		],
	},
];
