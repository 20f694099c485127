import { createHash } from 'crypto';

export interface ClientIdSource {
	executionId: string;
	nodeName: string;
	runIndex: number;
	itemIndex: number;
	/** The recipient (a phone, an address) the id stands for. */
	recipient: string;
}

const ID_SPACE = 2n ** 53n;

/**
 * A positive integer below 2^53, the same whenever the same execution, node run, item and recipient send again
 * (so the provider drops a retried request), different for a new run index (a loop that means to send again).
 */
export function deriveClientId(source: ClientIdSource): string {
	const digest = createHash('sha256')
		.update(JSON.stringify([source.executionId, source.nodeName, source.runIndex, source.itemIndex, source.recipient]))
		.digest();
	const value = digest.readBigUInt64BE(0) % ID_SPACE;
	return (value === 0n ? 1n : value).toString();
}
