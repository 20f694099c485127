import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { AttemptMemory } from '../../shared/attempt-memory';
import { loadTargetSmsApiCredentials, targetSmsApiSecrets } from '../../shared/credentials';
import { emptyResults, readEachItem } from '../../shared/items';
import { sendOncePerAttempt } from '../../shared/once-per-attempt';
import { readSender } from '../../shared/senders';
import type { OtpRequest, OtpResult } from '../../shared/protocol/agent/otp';
import { buildOtpRequest, OTP_PATH, OTP_UNSENT_STATUSES, parseOtpResponse } from '../../shared/protocol/agent/otp';
import { hashOtpCode } from '../../shared/protocol/agent/otp-hash';
import { XML_CONTENT_TYPE } from '../../shared/protocol/xml';
import type { ProviderFailure } from '../../shared/transport';
import { transportFor } from '../../shared/transport';
import { checkCodeLength, checkOtpText, otpSecretOf } from '../../shared/validation/otp';
import { normalisePhone } from '../../shared/validation/phones';
import { checkText } from '../../shared/validation/text';
import type { ItemParameterReader } from '../../shared/parameters';
import { itemParameterReader } from '../../shared/parameters';

export { sendDescription as description } from './send.description';

/** Codes for several items are requested at once, up to this many. */
const OTP_CONCURRENCY = 5;

interface OtpItem {
	request: OtpRequest;
	/** Set when the code must not appear in the output. */
	secret?: string;
}

/** Codes sent in earlier tries of a node run (their output, never a hidden code), output again by Retry On Fail. */
const sentCodes = new AttemptMemory<IDataObject>();

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await loadTargetSmsApiCredentials(this);
	const secrets = targetSmsApiSecrets(credentials);
	const results = emptyResults(this.getInputData().length);
	const parameters = itemParameterReader(this);
	const items = readEachItem(this, results, (itemIndex) => readOtpItem(parameters, itemIndex, credentials.otpSecret));

	const transport = transportFor(this);
	await sendOncePerAttempt(this, results, {
		items,
		concurrency: OTP_CONCURRENCY,
		memory: sentCodes,
		requestOf: (value) => value.request,
		send: async (value) => {
			const result = await transport.call({
				url: credentials.apiBaseUrl + OTP_PATH,
				body: buildOtpRequest(credentials, value.request),
				contentType: XML_CONTENT_TYPE,
				parse: parseOtpResponse,
				secrets,
				retry: 'notDeduplicated',
			});
			if (!result.ok) return { failure: result.failure };
			if (Object.hasOwn(OTP_UNSENT_STATUSES, result.value.status)) {
				return { failure: unsentFailure(result.value.status, value.request.phone) };
			}
			return { sent: codeOutput(value, result.value) };
		},
		sentLine,
		failedFields: (value) => ({ phone: value.request.phone }),
		secrets,
	});
	return [results.flat()];
}

/** The output of a sent code: the code itself, or with Hide Code its keyed hash and the time it was sent. */
function codeOutput(item: OtpItem, reply: OtpResult): IDataObject {
	const json: IDataObject = { phone: item.request.phone };
	if (item.secret !== undefined) {
		const sentAt = new Date().toISOString();
		json.codeHash = hashOtpCode({ phone: item.request.phone, sentAt, code: reply.code, secret: item.secret });
		json.sentAt = sentAt;
	} else {
		json.code = reply.code;
	}
	json.smsId = reply.smsId ?? null;
	json.status = reply.status;
	return json;
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

function readOtpItem(read: ItemParameterReader, itemIndex: number, credentialSecret: string): OtpItem {
	const parameter = (name: string, fallback: unknown = '') => read(name, itemIndex, fallback);
	const options = parameter('options', {}) as IDataObject;
	return {
		request: {
			phone: normalisePhone(String(checkText(parameter('phone'), 'Phone', { required: true, singleLine: true })), 'Phone'),
			sender: checkText(readSender(read, 'sender', itemIndex), 'Sender', { required: true, singleLine: true })!,
			codeLength: checkCodeLength(parameter('codeLength', 4)),
			text: checkOtpText(parameter('text')),
		},
		secret:
			options.hideCode === true
				? otpSecretOf(options.secret, credentialSecret, 'with Hide Code: it keys the code hash')
				: undefined,
	};
}
