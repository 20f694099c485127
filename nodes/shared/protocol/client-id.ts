import { createHash } from 'crypto';

/** The run a send belongs to: the n8n instance, workflow, execution, node and its run index. */
export interface RunIdentity {
	/**
	 * n8n's instance id. Execution ids are unique only within one instance, while the provider remembers a
	 * client id per account for good: without it, two instances' first executions would derive the same ids and the
	 * second one's messages would be dropped as repeats.
	 */
	instanceId: string;
	workflowId: string;
	/**
	 * What every retry of one execution shares with the execution it retries (n8n's execution Retry gives it a new
	 * execution id): see `executionAnchor` in the nodes' shared code.
	 */
	executionAnchor: string;
	nodeName: string;
	runIndex: number;
}

export interface ClientIdSource extends RunIdentity {
	itemIndex: number;
	/** The recipient (a phone, an address) the id stands for. */
	recipient: string;
}

export interface DeduplicationSource {
	workflowId: string;
	nodeName: string;
	/** The user's statement of what is "the same message" (an order number, `{{orderId}}-reminder`). */
	key: string;
	recipient: string;
}

const ID_SPACE = 2n ** 53n;

/**
 * A positive integer below 2^53, the same whenever the same run, item and recipient send again — the node's Retry On
 * Fail, n8n's retry of the execution — so the provider drops the repeat; different for a new run index (a loop that
 * means to send again) or a new execution.
 */
export function deriveClientId(source: ClientIdSource): string {
	return idFromParts([
		source.instanceId,
		source.workflowId,
		source.executionAnchor,
		source.nodeName,
		source.runIndex,
		source.itemIndex,
		source.recipient,
	]);
}

/**
 * The id for a deduplication key: the same key and recipient from the same node of the same workflow always give the
 * same id, whatever execution, retry, re-posted webhook or restarted worker sends it.
 */
export function deriveDeduplicatedId(source: DeduplicationSource): string {
	return idFromParts(['deduplicationKey', source.workflowId, source.nodeName, source.key, source.recipient]);
}

function idFromParts(parts: ReadonlyArray<string | number>): string {
	const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
	const value = digest.readBigUInt64BE(0) % ID_SPACE;
	return (value === 0n ? 1n : value).toString();
}
