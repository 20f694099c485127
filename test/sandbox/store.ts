import { SandboxClock } from './clock';
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
}

/** A recipient about to be accepted: everything but what the store assigns. */
export type RecipientDraft = Omit<SandboxMessage, 'idMessage' | 'idSms' | 'idViber' | 'acceptedAt'>;

export interface Account {
	login: string;
	password: string;
}

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

/** The provider's state for one account: accepted messages, stop list, id sequences, clock. */
export class SandboxStore {
	readonly clock = new SandboxClock();
	readonly messages: SandboxMessage[] = [];

	private readonly messageIds = new IdSequence(1_000_001);
	private readonly smsIds = new IdSequence(2_000_001);
	private readonly viberIds = new IdSequence(3_000_001);
	private readonly byIdMessage = new Map<string, SandboxMessage>();
	private readonly byClientId = new Map<string, SandboxMessage>();
	private readonly stopList = new Map<string, string>();

	constructor(readonly account: Account) {}

	authenticate(login: string | undefined, password: string | undefined): boolean {
		return login === this.account.login && password === this.account.password;
	}

	refusePhone(phone: string, text: string = SandboxTexts.stopListed): void {
		this.stopList.set(phone, text);
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
		return message;
	}

	/** Forgets messages, stop list and clock offset; id sequences keep counting. */
	reset(): void {
		this.messages.length = 0;
		this.byIdMessage.clear();
		this.byClientId.clear();
		this.stopList.clear();
		this.clock.reset();
	}
}
