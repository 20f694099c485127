import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { AttemptMemory } from '../../shared/attempt-memory';
import { loadTargetSmsApiCredentials, targetSmsApiSecrets } from '../../shared/credentials';
import { emptyResults, readEachItem, readIntegerOption, runIdentity } from '../../shared/items';
import { sendOncePerAttempt } from '../../shared/once-per-attempt';
import type { ItemParameterReader } from '../../shared/parameters';
import { itemParameterReader } from '../../shared/parameters';
import { clientIdDeriver } from '../../shared/protocol/client-id';
import type { EmailFormat, OutgoingEmail } from '../../shared/protocol/agent/email';
import { agentContentType, buildEmailRequest, EMAIL_PATH, parseEmailResponse } from '../../shared/protocol/agent/email';
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
	const derivedId = clientIdDeriver(runIdentity(this));
	const parameters = itemParameterReader(this);
	const letters = readEachItem(this, results, (itemIndex) => readEmail(parameters, itemIndex, derivedId));

	const transport = transportFor(this);
	await sendOncePerAttempt(this, results, {
		items: letters,
		concurrency,
		memory: acceptedLetters,
		requestOf: (value) => value,
		send: async (value) => {
			const result = await transport.call({
				url: credentials.apiBaseUrl + EMAIL_PATH,
				body: buildEmailRequest(value.format, credentials, value.email),
				contentType: agentContentType(value.format),
				parse: (body) => parseEmailResponse(value.format, body),
				secrets,
				retry: 'notDeduplicated',
			});
			if (!result.ok) return { failure: result.failure };
			return {
				sent: {
					to: value.email.to,
					messageId: result.value.messageId || value.email.messageId,
					externalMessageId: result.value.externalMessageId,
				},
			};
		},
		sentLine: (sent) =>
			`${String(sent.to)}: id_message ${String(sent.messageId)}, external_message_id ${String(sent.externalMessageId)}`,
		failedFields: (value) => ({ to: value.email.to, messageId: value.email.messageId }),
		secrets,
	});
	return [results.flat()];
}

function readEmail(read: ItemParameterReader, itemIndex: number, derivedId: (itemIndex: number, recipient: string) => string): EmailItem {
	const parameter = (name: string, fallback: unknown = '') => read(name, itemIndex, fallback);
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
				checkNumericId(options.messageId, 'Message ID') ?? derivedId(itemIndex, to),
		},
	};
}
