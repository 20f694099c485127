import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AttemptMemory } from './attempt-memory';
import { attemptSendKey } from './attempt-memory';
import { mapWithConcurrency } from './concurrency';
import type { ItemResults } from './items';
import { attemptRun, describeAlreadySent, NOT_DEDUPLICATED_RETRY, reportRequestFailure } from './items';
import type { ProviderFailure } from './transport';

/** One send the provider does not de-duplicate (a letter, a code): its output when accepted, or why not. */
export type SendResult = { sent: IDataObject } | { failure: ProviderFailure };

type SendOutcome = SendResult | { skipped: true };

export interface OncePerAttemptSends<T> {
	items: ReadonlyArray<{ itemIndex: number; value: T }>;
	concurrency: number;
	/** The module's memory of what earlier tries of a node run sent. */
	memory: AttemptMemory<IDataObject>;
	/** What identifies the request of an item (a changed request is sent anew). */
	requestOf: (value: T) => unknown;
	send: (value: T) => Promise<SendResult>;
	/** A sent output as one line of the "already accepted" list. */
	sentLine: (sent: IDataObject) => string;
	/** The fields a failed item's error item keeps (its recipient, its id). */
	failedFields: (value: T) => IDataObject;
	secrets: readonly string[];
}

/**
 * Sends each item at most once per node run, for sends TargetSMS does not recognise when repeated (email, OTP): a
 * Retry On Fail try outputs what an earlier try sent instead of sending it again. Without continueOnFail the first
 * failure stops the node (sends not yet started are not made) and its error lists what was sent; with it, each failed
 * item gets an error item.
 */
export async function sendOncePerAttempt<T>(
	context: IExecuteFunctions,
	results: ItemResults,
	sends: OncePerAttemptSends<T>,
): Promise<void> {
	const memory = sends.memory.forRun(attemptRun(context));
	const continueOnFail = context.continueOnFail();
	let stopped = false;
	const outcomes = await mapWithConcurrency(sends.items, sends.concurrency, async ({ itemIndex, value }): Promise<SendOutcome> => {
		const sendKey = attemptSendKey(itemIndex, sends.requestOf(value));
		const earlier = memory.recall(sendKey);
		if (earlier) return { sent: earlier };
		if (stopped) return { skipped: true };
		const result = await sends.send(value);
		if ('sent' in result) memory.remember(sendKey, result.sent);
		else if (!continueOnFail) stopped = true;
		return result;
	});

	const sentLines = outcomes.flatMap((outcome) => ('sent' in outcome ? [sends.sentLine(outcome.sent)] : []));
	const extraDescription = [describeAlreadySent(sentLines), sentLines.length > 0 ? NOT_DEDUPLICATED_RETRY : '']
		.filter((part) => part !== '')
		.join('\n\n');
	for (const [index, { itemIndex, value }] of sends.items.entries()) {
		const outcome = outcomes[index];
		if ('sent' in outcome) {
			results[itemIndex].push({ json: outcome.sent, pairedItem: { item: itemIndex } });
		} else if ('failure' in outcome) {
			reportRequestFailure(context, results, outcome.failure, [{ itemIndex, fields: sends.failedFields(value) }], {
				secrets: sends.secrets,
				sends: true,
				extraDescription,
			});
		}
	}
}
