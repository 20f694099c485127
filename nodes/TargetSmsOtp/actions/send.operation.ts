import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { AttemptMemory, attemptSendKey } from '../../shared/attempt-memory';
import { mapWithConcurrency } from '../../shared/concurrency';
import { loadTargetSmsApiCredentials, targetSmsApiSecrets } from '../../shared/credentials';
import {
	attemptRun,
	describeAlreadySent,
	emptyResults,
	NOT_DEDUPLICATED_RETRY,
	readEachItem,
	reportRequestFailure,
} from '../../shared/items';
import type { OtpRequest } from '../../shared/protocol/agent/otp';
import { buildOtpRequest, OTP_PATH, OTP_UNSENT_STATUSES, parseOtpResponse } from '../../shared/protocol/agent/otp';
import { hashOtpCode } from '../../shared/protocol/agent/otp-hash';
import { XML_CONTENT_TYPE } from '../../shared/protocol/xml';
import type { ProviderFailure } from '../../shared/transport';
import { transportFor } from '../../shared/transport';
import { checkCodeLength, checkOtpText, otpSecretOf } from '../../shared/validation/otp';
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

type OtpOutcome = { sent: IDataObject } | { failure: ProviderFailure } | { skipped: true };

/** Codes sent in earlier tries of a node run (their output, never a hidden code), output again by Retry On Fail. */
const sentCodes = new AttemptMemory<IDataObject>();

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await loadTargetSmsApiCredentials(this);
	const secrets = targetSmsApiSecrets(credentials);
	const results = emptyResults(this.getInputData().length);
	const items = readEachItem(this, results, (itemIndex) => readOtpItem(this, itemIndex, credentials.otpSecret));

	const transport = transportFor(this);
	const memory = sentCodes.forRun(attemptRun(this));
	const continueOnFail = this.continueOnFail();
	let stopped = false;
	const outcomes = await mapWithConcurrency(items, OTP_CONCURRENCY, async ({ itemIndex, value }): Promise<OtpOutcome> => {
		const sendKey = attemptSendKey(itemIndex, value.request);
		const earlier = memory.recall(sendKey);
		if (earlier) return { sent: earlier };
		// Without continueOnFail the node fails at the first failure; codes not yet requested are not sent.
		if (stopped) return { skipped: true };
		const result = await transport.call({
			url: credentials.apiBaseUrl + OTP_PATH,
			body: buildOtpRequest(credentials, value.request),
			contentType: XML_CONTENT_TYPE,
			parse: parseOtpResponse,
			secrets,
			retry: 'notDeduplicated',
		});
		if (!result.ok || Object.hasOwn(OTP_UNSENT_STATUSES, result.value.status)) {
			if (!continueOnFail) stopped = true;
			return { failure: result.ok ? unsentFailure(result.value.status, value.request.phone) : result.failure };
		}
		const json: IDataObject = { phone: value.request.phone };
		if (value.secret !== undefined) {
			const sentAt = new Date().toISOString();
			json.codeHash = hashOtpCode({ phone: value.request.phone, sentAt, code: result.value.code, secret: value.secret });
			json.sentAt = sentAt;
		} else {
			json.code = result.value.code;
		}
		json.smsId = result.value.smsId ?? null;
		json.status = result.value.status;
		memory.remember(sendKey, json);
		return { sent: json };
	});

	const sentLines = outcomes.flatMap((outcome) => ('sent' in outcome ? [sentLine(outcome.sent)] : []));
	const extraDescription = [describeAlreadySent(sentLines), sentLines.length > 0 ? NOT_DEDUPLICATED_RETRY : '']
		.filter((part) => part !== '')
		.join('\n\n');
	for (const [index, { itemIndex, value }] of items.entries()) {
		const outcome = outcomes[index];
		if ('sent' in outcome) {
			results[itemIndex].push({ json: outcome.sent, pairedItem: { item: itemIndex } });
		} else if ('failure' in outcome) {
			reportRequestFailure(this, results, outcome.failure, [{ itemIndex, fields: { phone: value.request.phone } }], {
				secrets,
				sends: true,
				extraDescription,
			});
		}
	}
	return [results.flat()];
}

/** A sent code as the error's description lists it: with the code, or its hash where the output hides it. */
function sentLine(json: IDataObject): string {
	const code = json.codeHash !== undefined ? `codeHash ${String(json.codeHash)}` : `code ${String(json.code)}`;
	return `+${String(json.phone)}: id_sms ${String(json.smsId ?? '(not given)')}, ${code}`;
}

function unsentFailure(status: string, phone: string): ProviderFailure {
	return {
		message: `TargetSMS sent no code: ${OTP_UNSENT_STATUSES[status]} (${status})`,
		description: `Phone: +${phone}`,
		kind: 'refused',
		mayHaveBeenProcessed: false,
		attempts: 1,
	};
}

function readOtpItem(context: IExecuteFunctions, itemIndex: number, credentialSecret: string): OtpItem {
	const parameter = (name: string, fallback: unknown = '') => context.getNodeParameter(name, itemIndex, fallback);
	const options = parameter('options', {}) as IDataObject;
	return {
		request: {
			phone: normalisePhone(String(checkText(parameter('phone'), 'Phone', { required: true, singleLine: true })), 'Phone'),
			sender: checkText(parameter('sender'), 'Sender', { required: true, singleLine: true })!,
			codeLength: checkCodeLength(parameter('codeLength', 4)),
			text: checkOtpText(parameter('text')),
		},
		secret:
			options.hideCode === true
				? otpSecretOf(options.secret, credentialSecret, 'with Hide Code: it keys the code hash')
				: undefined,
	};
}
