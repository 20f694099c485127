import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AccountRun } from '../../shared/account';
import { KEYS_PER_REQUEST, lookUpPhones } from '../../shared/account';
import type { ItemResults } from '../../shared/items';
import { reportRequestFailure } from '../../shared/items';
import type { PhoneInfo } from '../../shared/protocol/sms/account';
import type { ItemMessage } from '../../shared/protocol/sms/batching';
import type { WallClock } from '../../shared/validation/recipient-time';
import { formatWallClock, recipientSendTime } from '../../shared/validation/recipient-time';

/**
 * Send At Recipient Time: each phone's offset to Moscow from `def.php` (distinct phones of the run, up to 500 per
 * request), then one `<message>` per offset group with its own `time_send`. A phone the lookup does not know, or
 * whose local Send At is past, is that recipient's error before any send request: the node fails naming it, or,
 * with continueOnFail, the recipient gets an error item and the others go out.
 */
export async function placeInRecipientTime(
	context: IExecuteFunctions,
	run: Pick<AccountRun, 'transport' | 'credentials' | 'secrets'> & { results: ItemResults },
	messages: readonly ItemMessage[],
	wallClocks: ReadonlyMap<number, WallClock>,
	now: Date,
): Promise<ItemMessage[]> {
	const phones = [...new Set(messages.filter((m) => wallClocks.has(m.itemIndex)).flatMap((m) => m.recipients.map((r) => r.phone)))];
	const known = new Map<string, PhoneInfo>();
	const failed = new Set<string>();
	for (let start = 0; start < phones.length; start += KEYS_PER_REQUEST) {
		const chunk = phones.slice(start, start + KEYS_PER_REQUEST);
		const result = await lookUpPhones(run, chunk);
		if (result.ok) {
			for (const [phone, info] of result.value) known.set(phone, info);
			continue;
		}
		const asked = new Set(chunk);
		const targets = messages
			.filter((m) => wallClocks.has(m.itemIndex))
			.flatMap((m) => m.recipients.filter((r) => asked.has(r.phone)).map((r) => ({ itemIndex: m.itemIndex, fields: { phone: r.phone } })));
		reportRequestFailure(context, run.results, result.failure, targets, {
			secrets: run.secrets,
			sends: false,
			extraDescription: 'Send At Recipient Time needs the time zone of each phone; nothing was sent to these phones.',
		});
		for (const phone of chunk) failed.add(phone);
	}

	const placed: ItemMessage[] = [];
	const refusals: Array<{ itemIndex: number; phone: string; reason: string }> = [];
	for (const message of messages) {
		const wall = wallClocks.get(message.itemIndex);
		if (wall === undefined) {
			placed.push(message);
			continue;
		}
		const groups = new Map<string, ItemMessage>();
		for (const recipient of message.recipients) {
			if (failed.has(recipient.phone)) continue;
			const info = known.get(recipient.phone);
			const offset = info?.moscowOffsetHours;
			const sendTime = offset === null || offset === undefined ? undefined : recipientSendTime(wall, offset, now);
			if (sendTime === undefined) {
				refusals.push({
					itemIndex: message.itemIndex,
					phone: recipient.phone,
					reason:
						offset === null || offset === undefined
							? `TargetSMS's phone lookup does not know ${recipient.phone}, so its local time is unknown`
							: `${formatWallClock(wall)} in the time zone of ${recipient.phone} (Moscow ${offset >= 0 ? '+' : ''}${offset} h) is already past`,
				});
				continue;
			}
			const group = groups.get(sendTime) ?? { itemIndex: message.itemIndex, content: { ...message.content, sendTime }, recipients: [] };
			group.recipients.push(recipient);
			groups.set(sendTime, group);
		}
		placed.push(...groups.values());
	}

	if (refusals.length > 0 && !context.continueOnFail()) {
		const first = refusals[0];
		throw new NodeOperationError(context.getNode(), `Item ${first.itemIndex}: Phones: ${refusals.map((r) => r.reason).join('; ')}`, {
			itemIndex: first.itemIndex,
			description: 'Nothing was sent. Send At Recipient Time sends only to phones whose local time is known and still ahead.',
		});
	}
	for (const { itemIndex, phone, reason } of refusals) {
		run.results[itemIndex].push({ json: { phone, error: `Item ${itemIndex}: Phones: ${reason}; nothing was sent to it` }, pairedItem: { item: itemIndex } });
	}
	return placed;
}
