import { AccountState } from './account-state';
import { SandboxClock } from './clock';
import { type DeliveryPlanInput, singleSmsPlan } from './status-model';
import { SandboxTexts } from './texts';

/** One accepted recipient: what the provider would now be delivering. */
export interface SandboxMessage {
	idMessage: number;
	idSms: number;
	idViber: number;
	clientIdMessage: string | null;
	phone: string;
	smsOrder: number;
	viberOrder: number;
	senderSms?: string;
	textSms?: string;
	senderViber?: string;
	textViber?: string;
	nameDelivery?: string;
	timeSend?: string;
	buttonText?: string;
	buttonUrl?: string;
	imageUrl?: string;
	validityPeriodViber: number;
	finaleViberRead: boolean;
	/** count_message of the reply: parts in the first channel of the cascade. */
	parts: number;
	acceptedAt: Date;
	/** Index into the sandbox's request log. */
	requestIndex: number;
	/** When `scheduled.php` cancelled it before its send time; nothing is sent then. */
	cancelledAt?: Date;
}

/** A recipient about to be accepted: everything but what the store assigns. */
export type RecipientDraft = Omit<SandboxMessage, 'idMessage' | 'idSms' | 'idViber' | 'acceptedAt' | 'cancelledAt'>;

/** One email accepted by `/clients/api.php`. */
export interface SandboxEmail {
	/** id_message as the client sent it. */
	messageId: string;
	/** external_message_id answered: the id the status function takes. */
	externalMessageId: number;
	from: string;
	to: string;
	subject: string;
	/** The letter, decoded from base64. */
	body: string;
	format: 'json' | 'xml';
	acceptedAt: Date;
	/** Index into the sandbox's request log. */
	requestIndex: number;
}

export type EmailDraft = Omit<SandboxEmail, 'externalMessageId' | 'acceptedAt'>;

/** One OTP SMS sent by `/password_generation/api.php`. */
export interface SandboxOtp {
	/** Digits only, without the `+` of the request. */
	phone: string;
	sender: string;
	code: string;
	/** The SMS text with the code in place of every `{код}`. */
	text: string;
	idSms: number;
	acceptedAt: Date;
	/** Index into the sandbox's request log. */
	requestIndex: number;
}

export type OtpDraft = Omit<SandboxOtp, 'idSms' | 'acceptedAt'>;

/** One SMS that reached the provider some other way than HTTP (e.g. Email2SMS). */
export interface SandboxExternalSms {
	idSms: number;
	/** 10–15 digits, international form. */
	phone: string;
	sender: string;
	text: string;
	acceptedAt: Date;
}

export type ExternalSmsDraft = Pick<SandboxExternalSms, 'phone' | 'sender' | 'text'>;

export interface Account {
	login: string;
	password: string;
	/** The return address registered for the email API. */
	emailFrom: string;
}

/**
 * How `message.php` answers a recipient whose client_id_message the account used before: the original
 * row (`originalIds`), the text «Данное сообщение уже было отправлено.» with the client_id_message and
 * phone but no ids (`alreadySentText`), or that text with the original ids (`alreadySentTextWithIds`).
 */
export type RepeatedClientIdAnswer = 'originalIds' | 'alreadySentText' | 'alreadySentTextWithIds';

export const REPEATED_CLIENT_ID_ANSWERS: readonly RepeatedClientIdAnswer[] = [
	'originalIds',
	'alreadySentText',
	'alreadySentTextWithIds',
];

/** Increasing positive ids; never reset, so ids are not reused within one sandbox. */
class IdSequence {
	constructor(private next: number) {}

	take(): number {
		return this.next++;
	}
}

/** Canonical form of a decimal id: "007" and "7" are the same number. */
function decimalKey(digits: string): string {
	return digits.replace(/^0+(?=\d)/, '');
}

const INTERNATIONAL_PHONE = /^[0-9]{10,15}$/;

/**
 * The provider's state for one account: accepted messages, emails, OTP and external SMS, stop list,
 * id sequences, clock.
 */
export class SandboxStore {
	readonly clock = new SandboxClock();
	readonly messages: SandboxMessage[] = [];
	readonly emails: SandboxEmail[] = [];
	readonly otps: SandboxOtp[] = [];
	readonly externalSms: SandboxExternalSms[] = [];
	/** Balance, sender names, phone lookup answers, list page size (the account functions). */
	readonly accountState = new AccountState();

	private readonly messageIds = new IdSequence(1_000_001);
	private readonly smsIds = new IdSequence(2_000_001);
	private readonly viberIds = new IdSequence(3_000_001);
	private readonly emailIds = new IdSequence(4_000_001);
	private readonly byIdMessage = new Map<string, SandboxMessage>();
	private readonly byClientId = new Map<string, SandboxMessage>();
	/** Every id_sms issued (message.php, OTP, external), with what its SMS timeline depends on. */
	private readonly bySmsId = new Map<string, DeliveryPlanInput>();
	private readonly byExternalMessageId = new Map<string, SandboxEmail>();
	private readonly stopList = new Map<string, string>();
	/** See RepeatedClientIdAnswer; back to `originalIds` on reset. */
	repeatedClientIdAnswer: RepeatedClientIdAnswer = 'originalIds';

	constructor(readonly account: Account) {}

	authenticate(login: string | undefined, password: string | undefined): boolean {
		return login === this.account.login && password === this.account.password;
	}

	refusePhone(phone: string, text: string = SandboxTexts.stopListed): void {
		this.stopList.set(phone, text);
	}

	/** Takes a phone off the stop list; false when it was not on it. */
	removeFromStopList(phone: string): boolean {
		return this.stopList.delete(phone);
	}

	/** The stop-listed phones, in the order they were added. */
	stopListedPhones(): string[] {
		return [...this.stopList.keys()];
	}

	/** The message.php recipient whose SMS has this `id_sms` (not OTP or external SMS). */
	findMessageBySmsId(idSms: string): SandboxMessage | undefined {
		const key = decimalKey(idSms);
		return this.messages.find((message) => message.idSms > 0 && String(message.idSms) === key);
	}

	/** The refusal text for a stop-listed phone, if it is one. */
	refusalFor(phone: string): string | undefined {
		return this.stopList.get(phone);
	}

	findByClientId(clientIdMessage: string): SandboxMessage | undefined {
		return this.byClientId.get(decimalKey(clientIdMessage));
	}

	/** Looks a message up by the decimal `id_message` text (leading zeros allowed). */
	findByIdMessage(idMessage: string): SandboxMessage | undefined {
		return this.byIdMessage.get(decimalKey(idMessage));
	}

	accept(draft: RecipientDraft): SandboxMessage {
		const message: SandboxMessage = {
			...draft,
			idMessage: this.messageIds.take(),
			idSms: draft.smsOrder > 0 ? this.smsIds.take() : 0,
			idViber: draft.viberOrder > 0 ? this.viberIds.take() : 0,
			acceptedAt: this.clock.now(),
		};
		this.messages.push(message);
		this.byIdMessage.set(String(message.idMessage), message);
		if (message.clientIdMessage !== null) {
			this.byClientId.set(decimalKey(message.clientIdMessage), message);
		}
		if (message.idSms > 0) {
			this.bySmsId.set(String(message.idSms), message);
		}
		return message;
	}

	/** Looks an SMS up by the decimal `id_sms` text (leading zeros allowed), whatever sent it. */
	findSms(idSms: string): DeliveryPlanInput | undefined {
		return this.bySmsId.get(decimalKey(idSms));
	}

	/** Every id_sms issued so far, with what its SMS timeline depends on (delivery-report pushes scan these). */
	smsEntries(): IterableIterator<[string, DeliveryPlanInput]> {
		return this.bySmsId.entries();
	}

	acceptEmail(draft: EmailDraft): SandboxEmail {
		const email: SandboxEmail = { ...draft, externalMessageId: this.emailIds.take(), acceptedAt: this.clock.now() };
		this.emails.push(email);
		this.byExternalMessageId.set(String(email.externalMessageId), email);
		return email;
	}

	/** Looks an email up by the decimal external_message_id text (leading zeros allowed). */
	findEmail(externalMessageId: string): SandboxEmail | undefined {
		return this.byExternalMessageId.get(decimalKey(externalMessageId));
	}

	acceptOtp(draft: OtpDraft): SandboxOtp {
		const otp: SandboxOtp = { ...draft, idSms: this.smsIds.take(), acceptedAt: this.clock.now() };
		this.otps.push(otp);
		this.bySmsId.set(String(otp.idSms), singleSmsPlan(otp.phone, otp.text, otp.acceptedAt));
		return otp;
	}

	recordExternalSms(draft: ExternalSmsDraft): SandboxExternalSms {
		if (!INTERNATIONAL_PHONE.test(draft.phone)) {
			throw new RangeError(`An external SMS needs a phone of 10–15 digits (got "${draft.phone}")`);
		}
		const sms: SandboxExternalSms = {
			idSms: this.smsIds.take(),
			phone: draft.phone,
			sender: draft.sender,
			text: draft.text,
			acceptedAt: this.clock.now(),
		};
		this.externalSms.push(sms);
		this.bySmsId.set(String(sms.idSms), singleSmsPlan(sms.phone, sms.text, sms.acceptedAt));
		return sms;
	}

	/**
	 * Forgets messages, emails, OTP and external SMS, stop list, clock offset and the repeated
	 * client_id_message answer setting; id sequences keep counting.
	 */
	reset(): void {
		this.messages.length = 0;
		this.emails.length = 0;
		this.otps.length = 0;
		this.externalSms.length = 0;
		this.byIdMessage.clear();
		this.byClientId.clear();
		this.bySmsId.clear();
		this.byExternalMessageId.clear();
		this.stopList.clear();
		this.accountState.reset();
		this.repeatedClientIdAnswer = 'originalIds';
		this.clock.reset();
	}
}
