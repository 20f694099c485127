import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from '../../shared/concurrency';
import { loadTargetSmsApiCredentials } from '../../shared/credentials';
import { emptyResults, readEachItem, reportRequestFailure } from '../../shared/items';
import type { OtpRequest } from '../../shared/protocol/agent/otp';
import { buildOtpRequest, OTP_PATH, OTP_UNSENT_STATUSES, parseOtpResponse } from '../../shared/protocol/agent/otp';
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
		if (!outcome.ok || Object.hasOwn(OTP_UNSENT_STATUSES, outcome.value.status)) {
			const failure = outcome.ok ? unsentFailure(outcome.value.status, value.request.phone) : outcome.failure;
			reportRequestFailure(this, results, failure, [itemIndex], { secrets });
			continue;
		}
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

function unsentFailure(status: string, phone: string): ProviderFailure {
	return {
		message: `TargetSMS sent no code: ${OTP_UNSENT_STATUSES[status]} (${status})`,
		description: `Phone: +${phone}`,
		kind: 'refused',
	};
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
