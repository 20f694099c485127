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
	readIntegerOption,
	reportRequestFailure,
	runIdentity,
} from '../../shared/items';
import type { RunIdentity } from '../../shared/protocol/client-id';
import { deriveClientId } from '../../shared/protocol/client-id';
import type { EmailFormat, OutgoingEmail } from '../../shared/protocol/agent/email';
import { agentContentType, buildEmailRequest, EMAIL_PATH, parseEmailResponse } from '../../shared/protocol/agent/email';
import type { ProviderFailure } from '../../shared/transport';
import { transportFor } from '../../shared/transport';
import { checkEmailAddress, checkFormat } from '../../shared/validation/email';
import { checkNumericId } from '../../shared/validation/ids';
import { checkText } from '../../shared/validation/text';
import { DEFAULT_EMAIL_CONCURRENCY, MAX_EMAIL_CONCURRENCY } from './send.limits';

export { sendDescription as description } from './send.description';

interface EmailItem {
	format: EmailFormat;
	email: OutgoingEmail;
}

type EmailOutcome = { sent: IDataObject } | { failure: ProviderFailure } | { skipped: true };

/** Letters accepted in earlier tries of a node run, output again instead of sent again by Retry On Fail. */
const acceptedLetters = new AttemptMemory<IDataObject>();

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await loadTargetSmsApiCredentials(this);
	const secrets = targetSmsApiSecrets(credentials);
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

	const transport = transportFor(this);
	const memory = acceptedLetters.forRun(attemptRun(this));
	const continueOnFail = this.continueOnFail();
	let stopped = false;
	const outcomes = await mapWithConcurrency(letters, concurrency, async ({ itemIndex, value }): Promise<EmailOutcome> => {
		const sendKey = attemptSendKey(itemIndex, value);
		const earlier = memory.recall(sendKey);
		if (earlier) return { sent: earlier };
		// Without continueOnFail the node fails at the first failure; letters not yet started are not sent.
		if (stopped) return { skipped: true };
		const result = await transport.call({
			url: credentials.apiBaseUrl + EMAIL_PATH,
			body: buildEmailRequest(value.format, credentials, value.email),
			contentType: agentContentType(value.format),
			parse: (body) => parseEmailResponse(value.format, body),
			secrets,
			retry: 'notDeduplicated',
		});
		if (result.ok) {
			const json: IDataObject = {
				to: value.email.to,
				messageId: result.value.messageId || value.email.messageId,
				externalMessageId: result.value.externalMessageId,
			};
			memory.remember(sendKey, json);
			return { sent: json };
		}
		if (!continueOnFail) stopped = true;
		return { failure: result.failure };
	});

	const sentLines = outcomes.flatMap((outcome) =>
		'sent' in outcome
			? [`${String(outcome.sent.to)}: id_message ${String(outcome.sent.messageId)}, external_message_id ${String(outcome.sent.externalMessageId)}`]
			: [],
	);
	const extraDescription = [describeAlreadySent(sentLines), sentLines.length > 0 ? NOT_DEDUPLICATED_RETRY : '']
		.filter((part) => part !== '')
		.join('\n\n');
	for (const [index, { itemIndex, value }] of letters.entries()) {
		const outcome = outcomes[index];
		if ('sent' in outcome) {
			results[itemIndex].push({ json: outcome.sent, pairedItem: { item: itemIndex } });
		} else if ('failure' in outcome) {
			reportRequestFailure(
				this,
				results,
				outcome.failure,
				[{ itemIndex, fields: { to: value.email.to, messageId: value.email.messageId } }],
				{ secrets, sends: true, extraDescription },
			);
		}
	}
	return [results.flat()];
}

function readEmail(context: IExecuteFunctions, itemIndex: number, idSource: RunIdentity): EmailItem {
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
