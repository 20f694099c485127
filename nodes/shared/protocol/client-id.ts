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
	executionId: string;
	nodeName: string;
	runIndex: number;
}

export interface ClientIdSource extends RunIdentity {
	itemIndex: number;
	/** The recipient (a phone, an address) the id stands for. */
	recipient: string;
}

const ID_SPACE = 2n ** 53n;

/**
 * A positive integer below 2^53, the same whenever the same run, item and recipient send again (so the provider
 * drops a retried request), different for a new run index (a loop that means to send again) or a new execution.
 */
export function deriveClientId(source: ClientIdSource): string {
	const digest = createHash('sha256')
		.update(
			JSON.stringify([
				source.instanceId,
				source.workflowId,
				source.executionId,
				source.nodeName,
				source.runIndex,
				source.itemIndex,
				source.recipient,
			]),
		)
		.digest();
	const value = digest.readBigUInt64BE(0) % ID_SPACE;
	return (value === 0n ? 1n : value).toString();
}
