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
