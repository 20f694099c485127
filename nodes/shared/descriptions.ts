import type { INodeProperties } from 'n8n-workflow';

const PHONES_HELP =
	'One or more phone numbers, separated by commas, semicolons or line breaks. Russian numbers may be written as 8…, 9… or +7…; other countries with + and the country code.';

/** The Phones parameter of the send operations, with the phone rules every node shares. */
export function phonesProperty(show: Record<string, string[]>, note = ''): INodeProperties {
	return {
		displayName: 'Phones',
		name: 'phones',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+7 900 123-45-67, 89001234568',
		displayOptions: { show },
		description: note ? `${PHONES_HELP} ${note}` : PHONES_HELP,
	};
}

const RETRIED_FAILURES = {
	deduplicated:
		'a network error, a timeout, HTTP 429 or a 5xx answer. Safe: TargetSMS never acts twice on these requests.',
	notDeduplicated:
		'only when TargetSMS cannot have acted on it: the address did not resolve, the connection was refused, or HTTP 429. TargetSMS does not recognise a repeated request of this kind, so nothing that may have reached it is sent again.',
} as const;

/** The Automatic Retries option of every node that calls the TargetSMS HTTP API. */
export function automaticRetriesOption(policy: keyof typeof RETRIED_FAILURES): INodeProperties {
	return {
		displayName: 'Automatic Retries',
		name: 'automaticRetries',
		type: 'boolean',
		default: true,
		description: `Whether a failed request is sent again by the node itself (up to 3 attempts, a few seconds apart): ${RETRIED_FAILURES[policy]}`,
	};
}
