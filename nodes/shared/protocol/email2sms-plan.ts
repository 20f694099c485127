import { EMAIL2SMS_MAX_PHONES } from './email2sms';

/** One item's SMS, checked: its phones (distinct), sender and text. */
export interface Email2SmsItem {
	itemIndex: number;
	phones: readonly string[];
	sender: string;
	text: string;
}

/** One email to send: a sender and text, at most 20 distinct phones, and which items those phones came from. */
export interface PlannedEmail2Sms {
	sender: string;
	text: string;
	phones: string[];
	/** Each item's phones in this email, in item order. */
	parts: Array<{ itemIndex: number; phones: string[] }>;
}

/**
 * The emails that carry the items' SMS. Without `groupItems`, each item goes out on its own, 20 phones per email.
 * With it, items with the same sender and text share emails of up to 20 phones (in item order, the group's place
 * being its first item's); a phone already in the email being filled (two items to one phone) starts the next
 * email, so each item's SMS still goes out. Pure.
 */
export function planEmail2Sms(items: readonly Email2SmsItem[], options: { groupItems: boolean }): PlannedEmail2Sms[] {
	const groups = new Map<string, Email2SmsItem[]>();
	for (const item of items) {
		const key = options.groupItems ? `${item.sender}\u0000${item.text}` : String(item.itemIndex);
		const group = groups.get(key);
		if (group) group.push(item);
		else groups.set(key, [item]);
	}
	const emails: PlannedEmail2Sms[] = [];
	for (const group of groups.values()) {
		let current: PlannedEmail2Sms | undefined;
		let inCurrent = new Set<string>();
		for (const item of group) {
			for (const phone of item.phones) {
				if (!current || current.phones.length >= EMAIL2SMS_MAX_PHONES || inCurrent.has(phone)) {
					current = { sender: item.sender, text: item.text, phones: [], parts: [] };
					inCurrent = new Set();
					emails.push(current);
				}
				current.phones.push(phone);
				inCurrent.add(phone);
				const last = current.parts[current.parts.length - 1];
				if (last?.itemIndex === item.itemIndex) last.phones.push(phone);
				else current.parts.push({ itemIndex: item.itemIndex, phones: [phone] });
			}
		}
	}
	return emails;
}
