import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { TargetSmsApiCredentials } from './credentials';
import { loadTargetSmsApiCredentials, targetSmsApiSecrets } from './credentials';
import type { ItemResults } from './items';
import { emptyResults, itemInputFailure, readEachItem, reportRequestFailure } from './items';
import {
	DEF_PATH,
	ORIGINATOR_PATH,
	buildAccountRequest,
	buildDefRequest,
	parseDefResponse,
	parseOriginatorResponse,
} from './protocol/sms/account';
import type { PhoneInfo, SenderNames } from './protocol/sms/account';
import { XML_CONTENT_TYPE } from './protocol/xml';
import { redactTexts } from './redaction';
import type { ProviderResult, Transport } from './transport';
import { transportFor } from './transport';
import { checkInteger } from './validation/text';

/** Phones or ids per request of the account functions; the reference documents no limit. Why 500: README. */
export const KEYS_PER_REQUEST = 500;

/** What every call of an account function needs, for one node run. */
export interface AccountRun {
	node: IExecuteFunctions;
	transport: Transport;
	credentials: TargetSmsApiCredentials;
	secrets: string[];
	results: ItemResults;
}

export async function startAccountRun(node: IExecuteFunctions): Promise<AccountRun> {
	const credentials = await loadTargetSmsApiCredentials(node);
	return {
		node,
		transport: transportFor(node),
		credentials,
		secrets: targetSmsApiSecrets(credentials),
		results: emptyResults(node.getInputData().length),
	};
}

/** One XML call of the SMS gateway under the transport's rules (retried: these reads and edits are idempotent). */
export function callGateway<T>(run: Pick<AccountRun, 'transport' | 'credentials' | 'secrets'>, path: string, body: string, parse: (body: string) => T): Promise<ProviderResult<T>> {
	return run.transport.call({
		url: run.credentials.smsBaseUrl + path,
		body,
		contentType: XML_CONTENT_TYPE,
		parse,
		secrets: run.secrets,
		retry: 'deduplicated',
	});
}

/**
 * An account-wide read (balance, sender names, a list): asked once per node run and paired to the first item.
 * A failure fails the node, or with continueOnFail is one error item.
 */
export async function readOnce<T>(
	run: AccountRun,
	read: () => Promise<ProviderResult<T>>,
	toItems: (value: T) => IDataObject[],
): Promise<INodeExecutionData[][]> {
	if (run.results.length === 0) return [[]];
	const result = await read();
	if (!result.ok) {
		reportRequestFailure(run.node, run.results, result.failure, [{ itemIndex: 0 }], { secrets: run.secrets, sends: false });
		return [run.results.flat()];
	}
	return [toItems(result.value).map((json) => ({ json: redactTexts(json, run.secrets), pairedItem: { item: 0 } }))];
}

/** One key (a phone, an id) an item asked about. */
export interface KeyRequest {
	itemIndex: number;
	key: string;
}

/** Reads a list parameter (phones, ids) of every item; a refused item stops the node or becomes its error item. */
export function readKeys(run: AccountRun, parameter: string, parse: (raw: unknown) => string[]): KeyRequest[] {
	return readEachItem(run.node, run.results, (itemIndex) => parse(run.node.getNodeParameter(parameter, itemIndex))).flatMap(
		({ itemIndex, value }) => value.map((key) => ({ itemIndex, key })),
	);
}

/**
 * Asks about the keys of every item in as few requests as possible (each distinct key once, up to
 * {@link KEYS_PER_REQUEST} per request) and gives each item one output per key it asked about, in its order.
 */
export async function askInBatches<T>(
	run: AccountRun,
	requests: readonly KeyRequest[],
	ask: (keys: string[]) => Promise<ProviderResult<Map<string, T>>>,
	output: (key: string, answer: T | undefined) => IDataObject,
	fieldName: string,
	canonical: (key: string) => string = (key) => key,
): Promise<INodeExecutionData[][]> {
	const distinct = [...new Set(requests.map((request) => canonical(request.key)))];
	for (let start = 0; start < distinct.length; start += KEYS_PER_REQUEST) {
		const keys = distinct.slice(start, start + KEYS_PER_REQUEST);
		const asked = new Set(keys);
		const targets = requests.filter((request) => asked.has(canonical(request.key)));
		const result = await ask(keys);
		if (!result.ok) {
			reportRequestFailure(
				run.node,
				run.results,
				result.failure,
				targets.map((request) => ({ itemIndex: request.itemIndex, fields: { [fieldName]: request.key } })),
				{ secrets: run.secrets, sends: false },
			);
			continue;
		}
		for (const request of targets) {
			run.results[request.itemIndex].push({
				json: redactTexts(output(request.key, result.value.get(canonical(request.key))), run.secrets),
				pairedItem: { item: request.itemIndex },
			});
		}
	}
	return [run.results.flat()];
}

/** The account's sender names with their states (`originator.php`), or that any name may be used. */
export function readSenderNames(run: Pick<AccountRun, 'transport' | 'credentials' | 'secrets'>): Promise<ProviderResult<SenderNames>> {
	return callGateway(run, ORIGINATOR_PATH, buildAccountRequest(run.credentials), parseOriginatorResponse);
}

/** Looks phones up with `def.php` (operator, region, offset to Moscow); a phone it does not know is absent. */
export function lookUpPhones(
	run: Pick<AccountRun, 'transport' | 'credentials' | 'secrets'>,
	phones: string[],
): Promise<ProviderResult<Map<string, PhoneInfo>>> {
	return callGateway(run, DEF_PATH, buildDefRequest(run.credentials, phones), parseDefResponse);
}

/** Return All / Limit, as n8n's list operations have them. */
export function listProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		},
	];
}

/** How many results the list operation may return (Infinity for Return All), read from the first item. */
export function readLimit(run: AccountRun): number {
	try {
		if (run.node.getNodeParameter('returnAll', 0, false) === true) return Infinity;
		return checkInteger(run.node.getNodeParameter('limit', 0, 50), 'Limit', 1, Number.MAX_SAFE_INTEGER) ?? 50;
	} catch (error) {
		throw itemInputFailure(run.node.getNode(), 0, error);
	}
}
