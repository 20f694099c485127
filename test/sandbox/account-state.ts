/** What the account functions of the sandbox report; tests set it, `reset()` restores these defaults. */

export interface BalanceDirectionState {
	area: string;
	/** SMS left in this direction (directions share the money, so counts do not add up). */
	sms: number;
	price: string;
	typeSms: string;
	typeText: string;
	mcc: string;
	mnc: string;
}

export interface BalanceState {
	money: string;
	currency: string;
	directions: BalanceDirectionState[];
}

export type SenderApproval = 'order' | 'completed' | 'rejected';

export interface SenderState {
	name: string;
	state: SenderApproval;
}

export interface PhoneInfoState {
	operator: string;
	region: string;
	/** Hours relative to Moscow time (0 Moscow, -1 Kaliningrad, 7 Vladivostok). */
	timeZone: number;
}

export const DEFAULT_BALANCE: BalanceState = {
	money: '150',
	currency: 'RUR',
	directions: [
		{ area: 'МТС', sms: 136, price: '1.1', typeSms: 'sms', typeText: 'Рекламные', mcc: '250', mnc: '1' },
		{ area: 'Мегафон', sms: 125, price: '1.2', typeSms: 'sms', typeText: 'Сервисные', mcc: '250', mnc: '2' },
	],
};

export const DEFAULT_SENDERS: readonly SenderState[] = [
	{ name: 'TargetSMS', state: 'completed' },
	{ name: 'Shop', state: 'completed' },
	{ name: 'NewName', state: 'order' },
	{ name: 'Refused', state: 'rejected' },
];

/** Every Russian mobile (7 9xx, 11 digits) is known by default, in Moscow; anything else is unknown. */
export const DEFAULT_PHONE_INFO: PhoneInfoState = { operator: 'МТС', region: 'Москва', timeZone: 0 };
const RUSSIAN_MOBILE = /^79\d{9}$/;

/** Scheduled SMS per page of `list_scheduled.php` (the reference names no page size). */
export const DEFAULT_SCHEDULED_PAGE_SIZE = 100;

export class AccountState {
	balance: BalanceState = structuredClone(DEFAULT_BALANCE);
	senders: SenderState[] = DEFAULT_SENDERS.map((sender) => ({ ...sender }));
	anySender = false;
	scheduledPageSize = DEFAULT_SCHEDULED_PAGE_SIZE;
	private readonly phones = new Map<string, PhoneInfoState | null>();

	setPhoneInfo(phone: string, info: PhoneInfoState | null): void {
		this.phones.set(phone, info);
	}

	phoneInfo(phone: string): PhoneInfoState | undefined {
		const set = this.phones.get(phone);
		if (set !== undefined) return set ?? undefined;
		return RUSSIAN_MOBILE.test(phone) ? DEFAULT_PHONE_INFO : undefined;
	}

	reset(): void {
		this.balance = structuredClone(DEFAULT_BALANCE);
		this.senders = DEFAULT_SENDERS.map((sender) => ({ ...sender }));
		this.anySender = false;
		this.scheduledPageSize = DEFAULT_SCHEDULED_PAGE_SIZE;
		this.phones.clear();
	}
}
