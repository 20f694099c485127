import { sha256Hex } from './sha256';

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

/**
 * A positive integer below 2^53, the same whenever the same run, item and recipient send again — the node's Retry On
 * Fail, n8n's retry of the execution — so the provider drops the repeat; different for a new run index (a loop that
 * means to send again) or a new execution.
 */
export function deriveClientId(source: ClientIdSource): string {
	return clientIdDeriver(source)(source.itemIndex, source.recipient);
}

/**
 * {@link deriveClientId} for many items and recipients of one run: the run's part of what is hashed is written once.
 * The ids are exactly those of deriveClientId (the same text is hashed).
 */
export function clientIdDeriver(run: RunIdentity): (itemIndex: number, recipient: string) => string {
	const parts = [run.instanceId, run.workflowId, run.executionAnchor, run.nodeName, run.runIndex];
	// JSON.stringify of the whole array, less its closing bracket: the item index and recipient follow.
	const prefix = JSON.stringify(parts).slice(0, -1) + ',';
	// String() writes an item index (a non-negative integer) exactly as JSON.stringify does.
	return (itemIndex, recipient) => idFromText(`${prefix}${String(itemIndex)},${JSON.stringify(recipient)}]`);
}

/**
 * The id for a deduplication key: the same key and recipient from the same node of the same workflow always give the
 * same id, whatever execution, retry, re-posted webhook or restarted worker sends it.
 */
export function deriveDeduplicatedId(source: DeduplicationSource): string {
	return idFromText(JSON.stringify(['deduplicationKey', source.workflowId, source.nodeName, source.key, source.recipient]));
}

const TWO_TO_52 = 2 ** 52;

/**
 * The first 64 bits of the text's SHA-256, modulo 2^53 (0 becomes 1): a positive integer below 2^53. These ids are
 * remembered by the provider for good (a deduplication key's id must be the same in every version of this package),
 * so the reading is fixed: bits 11–63 of the digest's first eight bytes, read as 13 hex digits (52 bits, exact in a
 * double) plus the lowest bit of the third hex digit as 2^52.
 */
function idFromText(text: string): string {
	const hex = sha256Hex(text);
	const value = (parseInt(hex[2], 16) & 1) * TWO_TO_52 + parseInt(hex.slice(3, 16), 16);
	return String(value === 0 ? 1 : value);
}
