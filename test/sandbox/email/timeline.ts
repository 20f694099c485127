import { localPartOf } from './address';
import type { SandboxEmail } from '../store';

/** How a recipient's mailbox behaves, chosen by the start of the address's local part. */
export type MailboxBehaviour = 'delivers' | 'bounces' | 'marksSpam' | 'unsubscribes' | 'silent';

const BEHAVIOUR_BY_PREFIX: ReadonlyArray<[string, MailboxBehaviour]> = [
	['bounce', 'bounces'],
	['spam', 'marksSpam'],
	['unsubscribe', 'unsubscribes'],
	['silent', 'silent'],
];

export const EMAIL_DELIVERY_MS = 2_000;
export const EMAIL_OPEN_MS = 5_000;
export const EMAIL_SPAM_MS = 5_000;
export const EMAIL_UNSUBSCRIBE_MS = 6_000;

/** When each event happens after acceptance (absent: never). */
interface MailboxPlan {
	delivery?: { delivered: boolean; afterMs: number };
	openAfterMs?: number;
	spamAfterMs?: number;
	unsubscribeAfterMs?: number;
}

const PLANS: Readonly<Record<MailboxBehaviour, MailboxPlan>> = {
	delivers: { delivery: { delivered: true, afterMs: EMAIL_DELIVERY_MS }, openAfterMs: EMAIL_OPEN_MS },
	bounces: { delivery: { delivered: false, afterMs: EMAIL_DELIVERY_MS } },
	marksSpam: { delivery: { delivered: true, afterMs: EMAIL_DELIVERY_MS }, spamAfterMs: EMAIL_SPAM_MS },
	unsubscribes: {
		delivery: { delivered: true, afterMs: EMAIL_DELIVERY_MS },
		openAfterMs: EMAIL_OPEN_MS,
		unsubscribeAfterMs: EMAIL_UNSUBSCRIBE_MS,
	},
	// Like the document's example reply: opened, delivery never reported.
	silent: { openAfterMs: EMAIL_OPEN_MS },
};

/** An email's state at one moment; a time is set once its event has happened. */
export interface EmailStatus {
	createdAt: Date;
	/** null while the delivery is unknown. */
	delivered: boolean | null;
	/** Only for a delivered email. */
	deliveredAt?: Date;
	openedAt?: Date;
	spamAt?: Date;
	unsubscribedAt?: Date;
}

export function mailboxBehaviourOf(address: string): MailboxBehaviour {
	const local = localPartOf(address).toLowerCase();
	return BEHAVIOUR_BY_PREFIX.find(([prefix]) => local.startsWith(prefix))?.[1] ?? 'delivers';
}

/** The deterministic status of an email at `now`, from its acceptance time and recipient. */
export function emailStatusAt(email: Pick<SandboxEmail, 'to' | 'acceptedAt'>, now: Date): EmailStatus {
	const plan = PLANS[mailboxBehaviourOf(email.to)];
	const happened = (afterMs: number | undefined): Date | undefined => {
		if (afterMs === undefined) {
			return undefined;
		}
		const at = new Date(email.acceptedAt.getTime() + afterMs);
		return now >= at ? at : undefined;
	};
	const deliveryKnownAt = happened(plan.delivery?.afterMs);
	const delivered = deliveryKnownAt === undefined ? null : (plan.delivery?.delivered ?? null);
	return {
		createdAt: email.acceptedAt,
		delivered,
		deliveredAt: delivered === true ? deliveryKnownAt : undefined,
		openedAt: happened(plan.openAfterMs),
		spamAt: happened(plan.spamAfterMs),
		unsubscribedAt: happened(plan.unsubscribeAfterMs),
	};
}
