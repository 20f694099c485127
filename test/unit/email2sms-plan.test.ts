import type { Email2SmsItem } from '../../nodes/shared/protocol/email2sms-plan';
import { planEmail2Sms } from '../../nodes/shared/protocol/email2sms-plan';

const phone = (index: number) => String(79_000_000_000 + index);
const item = (itemIndex: number, phones: string[], text = 'Скидка', sender = 'MyShop'): Email2SmsItem => ({ itemIndex, phones, sender, text });

describe('planEmail2Sms', () => {
	it('without grouping, sends each item on its own, 20 phones per email', () => {
		const items = [item(0, Array.from({ length: 45 }, (_, index) => phone(index))), item(1, [phone(100)])];
		const emails = planEmail2Sms(items, { groupItems: false });
		expect(emails.map((email) => email.phones.length)).toEqual([20, 20, 5, 1]);
		expect(emails.map((email) => email.parts.map((part) => part.itemIndex))).toEqual([[0], [0], [0], [1]]);
	});

	it('with grouping, 1,000 one-phone items with the same sender and text make 50 emails, each phone paired to its item', () => {
		const items = Array.from({ length: 1000 }, (_, index) => item(index, [phone(index)]));
		const emails = planEmail2Sms(items, { groupItems: true });
		expect(emails).toHaveLength(50);
		expect(emails.every((email) => email.phones.length === 20 && email.parts.length === 20)).toBe(true);
		expect(emails.flatMap((email) => email.parts)).toEqual(items.map((one) => ({ itemIndex: one.itemIndex, phones: [...one.phones] })));
	});

	it('groups only items with the same sender and text, in the order of each group\'s first item', () => {
		const emails = planEmail2Sms(
			[item(0, [phone(0)], 'A'), item(1, [phone(1)], 'B'), item(2, [phone(2)], 'A'), item(3, [phone(3)], 'A', 'Other')],
			{ groupItems: true },
		);
		expect(emails.map((email) => [email.text, email.sender, email.phones])).toEqual([
			['A', 'MyShop', [phone(0), phone(2)]],
			['B', 'MyShop', [phone(1)]],
			['A', 'Other', [phone(3)]],
		]);
	});

	it('splits an item across emails where it does not fit, and sends a phone two items share in two emails', () => {
		const emails = planEmail2Sms(
			[item(0, Array.from({ length: 15 }, (_, index) => phone(index))), item(1, [phone(20), phone(3), ...Array.from({ length: 8 }, (_, index) => phone(30 + index))])],
			{ groupItems: true },
		);
		expect(emails.map((email) => email.parts.map((part) => [part.itemIndex, part.phones.length]))).toEqual([
			[[0, 15], [1, 1]],
			[[1, 9]],
		]);
		expect(emails.every((email) => new Set(email.phones).size === email.phones.length)).toBe(true);
	});
});
