import { idMember } from '../apiagent/json-request';
import { childText } from '../apiagent/xml-request';
import { RequestRefusal } from '../http/refusal';
import { formatMoscowDateTime } from '../moscow-time';
import type { SandboxEmail, SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import { ATTRIBUTE_PREFIX } from '../xml/element';
import type { EmailFunction } from './function';
import { emailStatusAt, type EmailStatus } from './timeline';

/** The document's "not yet" time. */
export const NO_TIME = '0000-00-00 00:00:00';

const DECIMAL_NUMBER = /^[0-9]+$/;

/** The status fields common to both formats; `delivered` is written per format. */
type StatusFields = {
	id: string;
	creation_date: string;
	open: string;
	open_date: string;
	unsubscribe: string;
	unsubscribe_date: string;
	spam: string;
	spam_date: string;
	delivered: '1' | '0' | null;
	delivered_date: string;
};

function flag(at: Date | undefined): string {
	return at === undefined ? '0' : '1';
}

function time(at: Date | undefined): string {
	return at === undefined ? NO_TIME : formatMoscowDateTime(at);
}

function statusFields(email: SandboxEmail, status: EmailStatus): StatusFields {
	return {
		id: String(email.externalMessageId),
		creation_date: formatMoscowDateTime(status.createdAt),
		open: flag(status.openedAt),
		open_date: time(status.openedAt),
		unsubscribe: flag(status.unsubscribedAt),
		unsubscribe_date: time(status.unsubscribedAt),
		spam: flag(status.spamAt),
		spam_date: time(status.spamAt),
		delivered: status.delivered === null ? null : status.delivered ? '1' : '0',
		delivered_date: time(status.deliveredAt),
	};
}

/** The email asked for: id_message must be digits (leading zeros ignored) of an accepted email. */
function findEmail(idMessage: string | undefined, store: SandboxStore): SandboxEmail {
	if (idMessage === undefined || idMessage === '') {
		throw new RequestRefusal(SandboxTexts.noIdMessage);
	}
	if (!DECIMAL_NUMBER.test(idMessage)) {
		throw new RequestRefusal(SandboxTexts.wrongMessageId(idMessage));
	}
	const email = store.findEmail(idMessage);
	if (email === undefined) {
		throw new RequestRefusal(SandboxTexts.emailNotFound);
	}
	return email;
}

function fieldsOf(idMessage: string | undefined, store: SandboxStore): StatusFields {
	const email = findEmail(idMessage, store);
	return statusFields(email, emailStatusAt(email, store.clock.now()));
}

/**
 * `POST /clients/api.php?func=status`: the status of one email by its external_message_id. An
 * unknown delivery is `delivered=""` in XML and `"delivered": null` in JSON, as the document shows.
 */
export function emailStatusFunction(store: SandboxStore): EmailFunction {
	return {
		members: ['id_message'],
		xml: (request) => {
			const fields = fieldsOf(childText(request, 'id_message'), store);
			const attributes = Object.fromEntries(
				Object.entries({ ...fields, delivered: fields.delivered ?? '' }).map(([name, value]) => [`${ATTRIBUTE_PREFIX}${name}`, value]),
			);
			return { success: attributes };
		},
		json: (request) => {
			const fields = fieldsOf(idMember(request, 'id_message', SandboxTexts.wrongMessageId), store);
			return { data: fields };
		},
	};
}
