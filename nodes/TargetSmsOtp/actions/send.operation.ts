import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from '../../shared/concurrency';
import { loadTargetSmsApiCredentials } from '../../shared/credentials';
import { emptyResults, readEachItem, reportRequestFailure } from '../../shared/items';
import type { OtpRequest } from '../../shared/protocol/agent/otp';
import { buildOtpRequest, OTP_PATH, parseOtpResponse } from '../../shared/protocol/agent/otp';
import { hashOtpCode } from '../../shared/protocol/agent/otp-hash';
import { XML_CONTENT_TYPE } from '../../shared/protocol/xml';
import type { ProviderFailure } from '../../shared/transport';
import { callProvider, postFromExecution } from '../../shared/transport';
import { checkCodeLength, checkOtpText, checkSecret } from '../../shared/validation/otp';
import { normalisePhone } from '../../shared/validation/phones';
import { checkText } from '../../shared/validation/text';

export { sendDescription as description } from './send.description';

/** Codes for several items are requested at once, up to this many. */
const OTP_CONCURRENCY = 5;

/** Statuses the OTP document lists that mean no code reached the phone. */
const FAILED_STATUSES: Record<string, string> = {
	not_valid_phone: 'TargetSMS says the phone number is not valid (not_valid_phone)',
	connection_error: 'TargetSMS could not reach its SMS server (connection_error)',
};

interface OtpItem {
	request: OtpRequest;
	/** Set when the code must not appear in the output. */
	secret?: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await loadTargetSmsApiCredentials(this);
	const secrets = [credentials.password];
	const results = emptyResults(this.getInputData().length);
	const items = readEachItem(this, results, (itemIndex) => readOtpItem(this, itemIndex));

	const post = postFromExecution(this);
	const outcomes = await mapWithConcurrency(items, OTP_CONCURRENCY, ({ value }) =>
		callProvider(post, {
			url: credentials.apiBaseUrl + OTP_PATH,
			body: buildOtpRequest(credentials, value.request),
			contentType: XML_CONTENT_TYPE,
			parse: parseOtpResponse,
			secrets,
		}),
	);

	for (const [index, { itemIndex, value }] of items.entries()) {
		const outcome = outcomes[index];
		const failure: ProviderFailure | undefined = !outcome.ok
			? outcome.failure
			: FAILED_STATUSES[outcome.value.status] !== undefined
				? { message: FAILED_STATUSES[outcome.value.status], description: `Phone: +${value.request.phone}`, kind: 'refused' }
				: undefined;
		if (failure) {
			reportRequestFailure(this, results, failure, [itemIndex], { secrets });
			continue;
		}
		if (!outcome.ok) continue;
		const json: IDataObject = { phone: value.request.phone };
		if (value.secret !== undefined) {
			const sentAt = new Date().toISOString();
			json.codeHash = hashOtpCode({ phone: value.request.phone, sentAt, code: outcome.value.code, secret: value.secret });
			json.sentAt = sentAt;
		} else {
			json.code = outcome.value.code;
		}
		json.smsId = outcome.value.smsId ?? null;
		json.status = outcome.value.status;
		results[itemIndex].push({ json, pairedItem: { item: itemIndex } });
	}
	return [results.flat()];
}

function readOtpItem(context: IExecuteFunctions, itemIndex: number): OtpItem {
	const parameter = (name: string, fallback: unknown = '') => context.getNodeParameter(name, itemIndex, fallback);
	const options = parameter('options', {}) as IDataObject;
	return {
		request: {
			phone: normalisePhone(String(checkText(parameter('phone'), 'Phone', { required: true, singleLine: true })), 'Phone'),
			sender: checkText(parameter('sender'), 'Sender', { required: true, singleLine: true })!,
			codeLength: checkCodeLength(parameter('codeLength', 4)),
			text: checkOtpText(parameter('text')),
		},
		secret: options.hideCode === true ? checkSecret(options.secret, 'with Hide Code: it keys the code hash') : undefined,
	};
}
