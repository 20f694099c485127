import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from '../../shared/concurrency';
import { loadTargetSmsApiCredentials } from '../../shared/credentials';
import { emptyResults, readEachItem, readIntegerOption, reportRequestFailure, runIdentity } from '../../shared/items';
import type { RunIdentity } from '../../shared/protocol/client-id';
import { deriveClientId } from '../../shared/protocol/client-id';
import type { EmailAccepted, EmailFormat, OutgoingEmail } from '../../shared/protocol/agent/email';
import { agentContentType, buildEmailRequest, EMAIL_PATH, parseEmailResponse } from '../../shared/protocol/agent/email';

import type { ProviderFailure } from '../../shared/transport';
import { callProvider, postFromExecution } from '../../shared/transport';
import { checkEmailAddress, checkFormat } from '../../shared/validation/email';
import { checkNumericId } from '../../shared/validation/ids';
import { checkText } from '../../shared/validation/text';
import { DEFAULT_EMAIL_CONCURRENCY, MAX_EMAIL_CONCURRENCY } from './send.limits';

export { sendDescription as description } from './send.description';

interface EmailItem {
	format: EmailFormat;
	email: OutgoingEmail;
}

type EmailOutcome = { accepted: EmailAccepted } | { failure: ProviderFailure } | { skipped: true };

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await loadTargetSmsApiCredentials(this);
	const secrets = [credentials.password];
	const results = emptyResults(this.getInputData().length);
	const concurrency = readIntegerOption(this, {
		path: 'options.concurrency',
		field: 'Concurrency',
		fallback: DEFAULT_EMAIL_CONCURRENCY,
		min: 1,
		max: MAX_EMAIL_CONCURRENCY,
	});
	const idSource = runIdentity(this);
	const letters = readEachItem(this, results, (itemIndex) => readEmail(this, itemIndex, idSource));

	const post = postFromExecution(this);
	const continueOnFail = this.continueOnFail();
	let stopped = false;
	const outcomes = await mapWithConcurrency(letters, concurrency, async ({ value }): Promise<EmailOutcome> => {
		// Without continueOnFail the node fails at the first refusal; letters not yet started are not sent.
		if (stopped) return { skipped: true };
		const result = await callProvider(post, {
			url: credentials.apiBaseUrl + EMAIL_PATH,
			body: buildEmailRequest(value.format, credentials, value.email),
			contentType: agentContentType(value.format),
			parse: (body) => parseEmailResponse(value.format, body),
			secrets,
		});
		if (result.ok) return { accepted: result.value };
		if (!continueOnFail) stopped = true;
		return { failure: result.failure };
	});

	const sent = letters.flatMap(({ value }, index) => {
		const outcome = outcomes[index];
		return 'accepted' in outcome ? [`${value.email.to}: id_message ${value.email.messageId}, external_message_id ${String(outcome.accepted.externalMessageId)}`] : [];
	});
	for (const [index, { itemIndex, value }] of letters.entries()) {
		const outcome = outcomes[index];
		if ('accepted' in outcome) {
			results[itemIndex].push({ json: emailJson(value.email, outcome.accepted), pairedItem: { item: itemIndex } });
		} else if ('failure' in outcome) {
			reportRequestFailure(this, results, outcome.failure, [itemIndex], {
				secrets,
				extraDescription: sent.length > 0 ? `Already accepted by TargetSMS (${sent.length}):\n${sent.join('\n')}` : '',
			});
		}
	}
	return [results.flat()];
}

function readEmail(
	context: IExecuteFunctions,
	itemIndex: number,
	idSource: RunIdentity,
): EmailItem {
	const parameter = (name: string, fallback: unknown = '') => context.getNodeParameter(name, itemIndex, fallback);
	const options = parameter('options', {}) as IDataObject;
	const to = checkEmailAddress(parameter('to'), 'To');
	return {
		format: checkFormat(parameter('format', 'json')),
		email: {
			from: checkEmailAddress(parameter('from'), 'From'),
			to,
			subject: checkText(parameter('subject'), 'Subject', { required: true, singleLine: true })!,
			body: checkText(parameter('body'), 'Body', { required: true })!,
			messageId:
				checkNumericId(options.messageId, 'Message ID') ?? deriveClientId({ ...idSource, itemIndex, recipient: to }),
		},
	};
}

function emailJson(email: OutgoingEmail, accepted: EmailAccepted): IDataObject {
	return {
		to: email.to,
		messageId: accepted.messageId || email.messageId,
		externalMessageId: accepted.externalMessageId,
	};
}
