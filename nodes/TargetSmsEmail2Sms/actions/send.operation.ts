import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { loadCredentials } from '../../shared/credentials';
import { emptyResults, readEachItem } from '../../shared/items';
import {
	buildEmail2SmsBody,
	EMAIL2SMS_CONTENT_TYPE,
	EMAIL2SMS_SUBJECT,
	EMAIL2SMS_TRANSFER_ENCODING,
	encodeEmail2SmsBody,
} from '../../shared/protocol/email2sms';
import type { Email2SmsItem } from '../../shared/protocol/email2sms-plan';
import { planEmail2Sms } from '../../shared/protocol/email2sms-plan';
import { itemParameterReader } from '../../shared/parameters';
import type { SmtpFailure } from '../../shared/smtp';
import { toSmtpNodeApiError, withSmtpSession } from '../../shared/smtp';
import { checkEmail2Sms } from '../../shared/validation/email2sms';
import { EMAIL2SMS_CREDENTIAL, readEmail2SmsCredentials } from '../../shared/validation/email2sms-credentials';

export { sendDescription as description } from './send.description';

const NOT_DEDUPLICATED =
	'TargetSMS does not recognise a repeated Email2SMS email: running the node again (Retry On Fail included) sends the accepted emails again.';

interface AcceptedEmail {
	phones: string[];
	messageId: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const credentials = await loadCredentials(this, EMAIL2SMS_CREDENTIAL, 'TargetSMS Email2SMS API', readEmail2SmsCredentials);
	const secrets = [credentials.password, credentials.smsPassword];
	const account = { login: credentials.smsLogin, password: credentials.smsPassword };
	const results = emptyResults(items.length);

	const parameter = itemParameterReader(this);
	const groupItems = (parameter('options', 0, {}) as IDataObject).groupItems === true;
	const checked: Email2SmsItem[] = readEachItem(this, results, (itemIndex) => {
		const options = parameter('options', itemIndex, {}) as IDataObject;
		const sms = checkEmail2Sms({
			phones: parameter('phones', itemIndex, ''),
			sender: parameter('sender', itemIndex, ''),
			text: parameter('text', itemIndex, ''),
			replaceUnsupported: options.replaceUnsupported,
		});
		// Built once here, so that a value the template cannot carry refuses its own item before anything is sent.
		encodeEmail2SmsBody(buildEmail2SmsBody(account, { sender: sms.sender, phones: sms.phones.slice(0, 1), text: sms.text }));
		return { itemIndex, ...sms };
	}).map(({ value }) => value);
	const emails = planEmail2Sms(checked, { groupItems }).map((email) => ({
		...email,
		body: encodeEmail2SmsBody(buildEmail2SmsBody(account, email)),
	}));

	if (emails.length > 0) {
		await withSmtpSession(credentials, secrets, async (session) => {
			const accepted: AcceptedEmail[] = [];
			let sessionFailure: SmtpFailure | undefined;
			for (const email of emails) {
				const result = sessionFailure
					? { ok: false as const, failure: notAttempted(sessionFailure) }
					: await session.send({
							from: credentials.from,
							to: credentials.gatewayAddress,
							subject: EMAIL2SMS_SUBJECT,
							body: email.body,
							contentType: EMAIL2SMS_CONTENT_TYPE,
							transferEncoding: EMAIL2SMS_TRANSFER_ENCODING,
						});
				if (result.ok) {
					const sent = result.value;
					accepted.push({ phones: email.phones, messageId: sent.messageId });
					for (const part of email.parts) {
						results[part.itemIndex].push({
							json: {
								phones: part.phones,
								accepted: sent.accepted.length > 0 && sent.rejected.length === 0,
								smtpMessageId: sent.messageId,
								smtpResponse: sent.response,
							},
							pairedItem: { item: part.itemIndex },
						});
					}
					continue;
				}
				const { failure } = result;
				if (!continueOnFail) {
					throw toSmtpNodeApiError(node, failure, {
						itemIndex: email.parts.length === 1 ? email.parts[0].itemIndex : undefined,
						extraDescription: describeAccepted(accepted),
						secrets,
					});
				}
				if (failure.kind !== 'refused') sessionFailure ??= failure;
				for (const part of email.parts) {
					results[part.itemIndex].push({
						json: {
							phones: part.phones,
							accepted: false,
							error: failure.message,
							...(failure.description ? { description: failure.description } : {}),
						},
						pairedItem: { item: part.itemIndex },
					});
				}
			}
		});
	}
	return [results.flat()];
}

/** After the session failed (login refused, connection lost), later emails are not tried: they would fail the same way. */
function notAttempted(failure: SmtpFailure): SmtpFailure {
	return {
		...failure,
		description: ['Not sent: the SMTP session failed on an earlier email of this run.', failure.description]
			.filter((part) => part !== '')
			.join(' '),
	};
}

function describeAccepted(accepted: readonly AcceptedEmail[]): string {
	if (accepted.length === 0) return 'No email of this run was accepted.';
	const lines = accepted.map((email) => `${email.messageId}: ${email.phones.join(', ')}`);
	return `Already accepted by the SMTP server (${accepted.length} ${accepted.length === 1 ? 'email' : 'emails'}):\n${lines.join('\n')}\n\n${NOT_DEDUPLICATED}`;
}
