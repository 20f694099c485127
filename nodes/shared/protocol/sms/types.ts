export interface SmsApiLogin {
	login: string;
	password: string;
}

export interface Recipient {
	/** Digits in international form. */
	phone: string;
	/** Digits; the provider drops a repeat of an id it already has from this account. */
	clientMessageId: string;
}

/** The content of one `<message>`: channel orders, texts and Viber extras. */
export interface MessageContent {
	/** 0–9; 0 = no Viber. Lower orders go first in a cascade. */
	viberOrder: number;
	/** 0–9; 0 = no SMS. */
	smsOrder: number;
	deliveryName?: string;
	/** `YYYY-MM-DD hh:mm` in the provider's clock. */
	sendTime?: string;
	viberSender?: string;
	viberText?: string;
	buttonText?: string;
	buttonUrl?: string;
	imageUrl?: string;
	viberValidityMinutes?: number;
	viberReadIsFinal?: boolean;
	smsSender?: string;
	smsText?: string;
}

export interface OutgoingMessage {
	content: MessageContent;
	recipients: Recipient[];
}

/** One `<information>` row: a recipient the provider accepted (with ids) or refused (without `id_message`). */
export interface RecipientOutcome {
	phone: string;
	clientMessageId: string;
	messageId?: number | string;
	smsId?: number | string;
	viberId?: number | string;
	parts?: number;
	/** The row's text: a status when accepted, the provider's reason when refused. */
	text: string;
	accepted: boolean;
	/** The provider answered that it had sent this client_id_message before (so it did not send it again). */
	alreadySent: boolean;
}

/** One `<message>` of the reply: its rows, or the provider's refusal of the whole message. */
export interface MessageOutcome {
	error?: string;
	recipients: RecipientOutcome[];
}

export interface MessageState {
	id: string;
	status: string;
	changedAt: string;
	smsStatus: string;
	viberStatus: string;
	smsParts: string;
	smsPrice: string;
	viberPrice: string;
}
