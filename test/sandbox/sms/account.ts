import { formatMoscowDateTime } from '../moscow-time';
import { RequestRefusal } from '../http/refusal';
import { countSmsParts } from '../sms-parts';
import { processingStart } from '../status-model';
import type { SandboxMessage, SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import type { BuildObject, BuildValue } from '../xml/document';
import type { XmlElement } from '../xml/element';
import type { SmsXmlEndpoint } from './xml-endpoint';

/**
 * The account functions, known from the platform's public reference (smsgate/xmlGateDoc) and public clients,
 * not from the provider's documents: balance, sender names, phone lookup, stop list, scheduled SMS.
 */
export const BALANCE_PATH = '/xml/balance.php';
export const ORIGINATOR_PATH = '/xml/originator.php';
export const DEF_PATH = '/xml/def.php';
export const LIST_STOP_PATH = '/xml/list_stop.php';
export const STOP_PATH = '/xml/stop.php';
export const LIST_SCHEDULED_PATH = '/xml/list_scheduled.php';
export const SCHEDULED_PATH = '/xml/scheduled.php';

const INTERNATIONAL_PHONE = /^[0-9]{10,15}$/;
const DECIMAL_NUMBER = /^[0-9]+$/;
const POSITIVE_NUMBER = /^[1-9][0-9]*$/;

/** A container holding only `<child>` elements, no attributes or text. */
function childrenOf(container: XmlElement, child: string): XmlElement[] {
	if (container.attributes().size > 0) throw new RequestRefusal(SandboxTexts.unexpectedAttributes(container.name));
	if (container.hasSignificantText()) throw new RequestRefusal(SandboxTexts.unexpectedText(container.name));
	const unknown = container.childNames().find((name) => name !== child);
	if (unknown !== undefined) throw new RequestRefusal(SandboxTexts.unknownElementIn(unknown, container.name));
	return container.children(child);
}

/** An empty element with exactly the one attribute `name`, whose value passes `valid`. */
function onlyAttribute(element: XmlElement, name: string, valid: RegExp, refusal: (value: string) => string): string {
	if (element.hasChildren() || element.hasSignificantText()) throw new RequestRefusal(SandboxTexts.abonentLikeNotEmpty(element.name));
	const unknown = [...element.attributes().keys()].find((attribute) => attribute !== name);
	if (unknown !== undefined) throw new RequestRefusal(SandboxTexts.unknownAttributeOf(unknown, element.name));
	const value = element.attribute(name) ?? '';
	if (!valid.test(value)) throw new RequestRefusal(refusal(value));
	return value;
}

/** `balance.php`: the money, then SMS left per direction. */
export function balanceEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: [],
		requestElements: {},
		respond: () => {
			const { money, currency, directions } = store.accountState.balance;
			return {
				money: { '@_currency': currency, '#text': money },
				sms: directions.map((direction) => ({
					'@_area': direction.area,
					'@_price': direction.price,
					'@_type_sms': direction.typeSms,
					'@_type_text': direction.typeText,
					'@_MCC': direction.mcc,
					'@_MNC': direction.mnc,
					'#text': String(direction.sms),
				})),
			};
		},
	};
}

/** `originator.php`: whether any name may be used; if not, every name with its approval state. */
export function originatorEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: [],
		requestElements: {},
		respond: (): BuildValue => {
			const state = store.accountState;
			if (state.anySender) return { any_originator: 'TRUE' };
			return {
				any_originator: 'FALSE',
				list_originator: { originator: state.senders.map((sender) => ({ '@_state': sender.state, '#text': sender.name })) },
			};
		},
	};
}

/** `def.php`: operator, region and time zone of each phone the sandbox knows; unknown phones are left out. */
export function defEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: ['request.phones.phone'],
		requestElements: { phones: 'once' },
		respond: (request) => {
			const container = request.children('phones')[0];
			const phones = container === undefined ? [] : childrenOf(container, 'phone').map(phoneText);
			const rows: BuildObject[] = [];
			for (const phone of phones) {
				const info = store.accountState.phoneInfo(phone);
				if (info === undefined) continue;
				rows.push({ '@_operator': info.operator, '@_region': info.region, '@_time_zone': String(info.timeZone), '#text': phone });
			}
			return rows.length === 0 ? '' : { phone: rows };
		},
	};
}

function phoneText(element: XmlElement): string {
	if (element.hasChildren() || element.attributes().size > 0) throw new RequestRefusal(SandboxTexts.textOnlyElement(element.name));
	const phone = element.text();
	if (!INTERNATIONAL_PHONE.test(phone)) throw new RequestRefusal(SandboxTexts.wrongPhoneValue(phone));
	return phone;
}

/** `list_stop.php`: every phone on the account's stop list. */
export function listStopEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: [],
		requestElements: {},
		respond: () => {
			const phones = store.stopListedPhones();
			return phones.length === 0 ? '' : { phone: phones.map((phone) => ({ '#text': phone })) };
		},
	};
}

/** `stop.php`: `<add_stop>` then `<delete_stop>`, one row per phone, in that order. */
export function stopEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: ['request.add_stop.phone', 'request.delete_stop.phone'],
		requestElements: { add_stop: 'once', delete_stop: 'once' },
		respond: (request) => {
			const read = (name: string) => {
				const container = request.children(name)[0];
				return container === undefined
					? []
					: childrenOf(container, 'phone').map((phone) => onlyAttribute(phone, 'phone', INTERNATIONAL_PHONE, SandboxTexts.wrongPhoneValue));
			};
			const additions = read('add_stop');
			const removals = read('delete_stop');
			const rows: BuildObject[] = [
				...additions.map((phone) => {
					store.refusePhone(phone, SandboxTexts.stopListedByAccount);
					return { '@_phone': phone, '#text': 'add' };
				}),
				...removals.map((phone) => ({ '@_phone': phone, '#text': store.removeFromStopList(phone) ? 'delete' : 'not_found' })),
			];
			return rows.length === 0 ? '' : { phone: rows };
		},
	};
}

/** An SMS the sandbox holds for later: accepted with a `time_send` still ahead, not cancelled. */
export function isScheduled(message: SandboxMessage, now: Date): boolean {
	return message.idSms > 0 && message.cancelledAt === undefined && processingStart(message) > now;
}

function scheduledRow(message: SandboxMessage): BuildObject {
	const sendAt = processingStart(message);
	return {
		'@_id_sms': String(message.idSms),
		'@_time_put_turn': formatMoscowDateTime(message.acceptedAt),
		'@_originator': message.senderSms ?? '',
		'@_phone': message.phone,
		'@_type_sms': 'sms',
		'@_text_sms': message.textSms ?? '',
		'@_count_sms': String(countSmsParts(message.textSms ?? '')),
		'@_name_delivery': message.nameDelivery ?? '',
		'@_time_send': formatMoscowDateTime(sendAt),
		'@_validity_period': formatMoscowDateTime(new Date(sendAt.getTime() + 24 * 60 * 60 * 1000)),
	};
}

/** `list_scheduled.php`: one page (from 1) of the scheduled SMS, oldest first. */
export function listScheduledEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: [],
		requestElements: { scheduled: 'once' },
		respond: (request): BuildValue => {
			const asked = request.children('scheduled')[0];
			if (asked === undefined) throw new RequestRefusal(SandboxTexts.noScheduledPage);
			const page = Number(onlyAttribute(asked, 'page', POSITIVE_NUMBER, SandboxTexts.wrongScheduledPage));
			const size = store.accountState.scheduledPageSize;
			const now = store.clock.now();
			const all = store.messages.filter((message) => isScheduled(message, now));
			const pages = Math.max(1, Math.ceil(all.length / size));
			const rows = all.slice((page - 1) * size, page * size).map(scheduledRow);
			return { phones: { '@_page': String(page), '@_num_pages': String(pages), ...(rows.length > 0 ? { scheduled: rows } : {}) } };
		},
	};
}

/** `scheduled.php`: cancels scheduled SMS by `id_sms`; one row per id, `delete` or `not_found`. */
export function scheduledEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: ['request.delete_schedule.schedule'],
		requestElements: { delete_schedule: 'once' },
		respond: (request) => {
			const container = request.children('delete_schedule')[0];
			const ids = container === undefined
				? []
				: childrenOf(container, 'schedule').map((row) => onlyAttribute(row, 'id_sms', DECIMAL_NUMBER, SandboxTexts.wrongMessageId));
			const now = store.clock.now();
			const rows = ids.map((id) => {
				const message = store.findMessageBySmsId(id);
				const cancelled = message !== undefined && isScheduled(message, now);
				if (cancelled) message.cancelledAt = now;
				return { '@_id_sms': id, '#text': cancelled ? 'delete' : 'not_found' };
			});
			return rows.length === 0 ? '' : { scheduled: rows };
		},
	};
}
