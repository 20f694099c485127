import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';

import { readSenderNames } from './account';
import { loadTargetSmsApiCredentials, targetSmsApiSecrets } from './credentials';
import type { ItemParameterReader } from './parameters';
import { approvedSenders } from './protocol/sms/account';
import { toNodeApiError, transportOutsideExecution } from './transport';

/** The `listSearch` method that lists the account's approved sender names. */
export const SENDER_SEARCH_METHOD = 'searchSenders';

const FROM_LIST_HINT =
	'The approved sender names of your TargetSMS account. None are listed while a name waits for approval or was refused, nor when your account may send with any name: then choose By Name and type it.';

/**
 * A sender name parameter in both versions of its node: in version 1 the plain text field as it always was; from
 * version 2 a resource locator of the same name, offering the account's approved names (From List, through
 * {@link searchSenders}) or any typed name (By Name). Either way the node reads a string ({@link readSender}).
 */
export function senderProperties(plain: INodeProperties): INodeProperties[] {
	const show = plain.displayOptions?.show ?? {};
	const { placeholder, ...common } = plain;
	return [
		{ ...plain, displayOptions: { ...plain.displayOptions, show: { ...show, '@version': [1] } } },
		{
			...common,
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			displayOptions: { ...plain.displayOptions, show: { ...show, '@version': [{ _cnd: { gte: 2 } }] } },
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					hint: FROM_LIST_HINT,
					typeOptions: { searchListMethod: SENDER_SEARCH_METHOD, searchable: true },
				},
				{ displayName: 'By Name', name: 'name', type: 'string', placeholder },
			],
		},
	];
}

/** A sender name parameter's value for one item: the plain field's text (version 1) or the locator's value. */
export function readSender(read: ItemParameterReader, name: string, itemIndex: number): unknown {
	return read(name, itemIndex, '', { extractValue: true });
}

/**
 * The editor's list of sender names: the account's approved names (`originator.php`, state `completed`) that hold
 * `filter` (any letter case); none when the account may use any name. A failure is n8n's error with the provider's
 * words, secrets removed.
 */
export async function searchSenders(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const credentials = await loadTargetSmsApiCredentials(this);
	const secrets = targetSmsApiSecrets(credentials);
	const result = await readSenderNames({ transport: transportOutsideExecution(this), credentials, secrets });
	if (!result.ok) throw toNodeApiError(this.getNode(), result.failure, { secrets });
	const wanted = (filter ?? '').trim().toLowerCase();
	const names = result.value.anySender ? [] : [...new Set(approvedSenders(result.value))];
	return {
		results: names.filter((name) => name.toLowerCase().includes(wanted)).map((name) => ({ name, value: name })),
	};
}
