import { protocolText } from '../text';
import type { XmlNode } from '../xml';
import { ATTRIBUTE_PREFIX, attributeOf, buildXmlDocument, childElement, childElements, textOf } from '../xml';
import { createResponseReader } from './reply';
import { securityElement } from './security';
import type { SmsApiLogin } from './types';

/**
 * The account functions of the SMS XML gateway. Not in the provider's documents: paths and shapes follow the
 * platform's public reference (GitHub smsgate/xmlGateDoc) and public clients of TargetSMS; see DESIGN.md.
 */
export const BALANCE_PATH = '/xml/balance.php';
export const ORIGINATOR_PATH = '/xml/originator.php';
export const DEF_PATH = '/xml/def.php';
export const LIST_STOP_PATH = '/xml/list_stop.php';
export const STOP_PATH = '/xml/stop.php';
export const LIST_SCHEDULED_PATH = '/xml/list_scheduled.php';
export const SCHEDULED_PATH = '/xml/scheduled.php';

const A = ATTRIBUTE_PREFIX;

/** A request of nothing but the login (balance, sender names, stop list). */
export function buildAccountRequest(login: SmsApiLogin): string {
	return buildXmlDocument('request', { security: securityElement(login) });
}

function numberOf(value: string | undefined): number | null {
	const text = (value ?? '').trim().replace(',', '.');
	return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
}

function attribute(node: XmlNode, name: string): string {
	return attributeOf(node, name) ?? '';
}

// balance.php

export interface BalanceDirection {
	area: string;
	sms: number | null;
	price: number | null;
	type: string;
	textType: string;
	mcc: string;
	mnc: string;
}

export interface Balance {
	money: number | null;
	currency: string;
	directions: BalanceDirection[];
}

const readBalance = createResponseReader(['money', 'sms']);

export function parseBalanceResponse(body: string): Balance {
	const response = readBalance(body);
	const money = childElement(response, 'money');
	return {
		money: numberOf(money === undefined ? undefined : textOf(money)),
		currency: money === undefined ? '' : attribute(money, 'currency'),
		directions: childElements(response, 'sms').map((sms) => ({
			area: attribute(sms, 'area'),
			sms: numberOf(textOf(sms)),
			price: numberOf(attributeOf(sms, 'price')),
			type: attribute(sms, 'type_sms'),
			textType: attribute(sms, 'type_text'),
			mcc: attribute(sms, 'MCC'),
			mnc: attribute(sms, 'MNC'),
		})),
	};
}

// originator.php

export type SenderState = 'order' | 'completed' | 'rejected' | string;

export interface SenderNames {
	anySender: boolean;
	senders: Array<{ sender: string; state: SenderState }>;
}

const readOriginators = createResponseReader(['originator']);

export function parseOriginatorResponse(body: string): SenderNames {
	const response = readOriginators(body);
	const any = childElement(response, 'any_originator');
	const anySender = any !== undefined && textOf(any).trim().toUpperCase() === 'TRUE';
	const list = childElement(response, 'list_originator');
	const senders = (list === undefined ? [] : childElements(list, 'originator')).map((originator) => ({
		sender: textOf(originator).trim(),
		state: attribute(originator, 'state'),
	}));
	return { anySender, senders: senders.filter((entry) => entry.sender !== '') };
}

/** Names the account may send with: approved (`completed`) only; none are listed when any name is allowed. */
export function approvedSenders(names: SenderNames): string[] {
	return names.senders.filter((entry) => entry.state === 'completed').map((entry) => entry.sender);
}

// def.php

/**
 * `time_zone` is hours relative to Moscow time by the reference's definition (0 Moscow, -1 Kaliningrad,
 * 7 Vladivostok). The reference's own example shows 3 for Moscow; should real replies prove that reading, this is
 * the one constant to change (it would become 3).
 */
export const DEF_MOSCOW_TIME_ZONE = 0;

export interface PhoneInfo {
	phone: string;
	operator: string;
	region: string;
	moscowOffsetHours: number | null;
}

export function buildDefRequest(login: SmsApiLogin, phones: readonly string[]): string {
	return buildXmlDocument('request', {
		security: securityElement(login),
		phones: { phone: phones.map((phone) => protocolText('phone', phone, true)) },
	});
}

const readDef = createResponseReader(['phone']);

/** One entry per phone the provider knows, keyed by its digits; a phone it does not know is absent. */
export function parseDefResponse(body: string): Map<string, PhoneInfo> {
	const known = new Map<string, PhoneInfo>();
	for (const phone of childElements(readDef(body), 'phone')) {
		const digits = textOf(phone).trim();
		const zone = numberOf(attributeOf(phone, 'time_zone'));
		known.set(digits, {
			phone: digits,
			operator: attribute(phone, 'operator'),
			region: attribute(phone, 'region'),
			moscowOffsetHours: zone === null ? null : zone - DEF_MOSCOW_TIME_ZONE,
		});
	}
	return known;
}

// list_stop.php and stop.php

const readStopList = createResponseReader(['phone']);

export function parseStopListResponse(body: string): string[] {
	return childElements(readStopList(body), 'phone')
		.map((phone) => textOf(phone).trim())
		.filter((phone) => phone !== '');
}

export type StopAction = 'add' | 'delete';

export function buildStopRequest(login: SmsApiLogin, action: StopAction, phones: readonly string[]): string {
	const entries = phones.map((phone) => ({ [A + 'phone']: protocolText('phone', phone, true) }));
	return buildXmlDocument('request', {
		security: securityElement(login),
		[action === 'add' ? 'add_stop' : 'delete_stop']: { phone: entries },
	});
}

/** `phone` → `add` | `delete` | `not_found` (or whatever else the provider wrote). */
export function parseStopResponse(body: string): Map<string, string> {
	const results = new Map<string, string>();
	for (const phone of childElements(readStopList(body), 'phone')) {
		results.set(attribute(phone, 'phone').trim(), textOf(phone).trim());
	}
	return results;
}

// list_scheduled.php and scheduled.php

export interface ScheduledSms {
	smsId: string;
	queuedAt: string;
	sender: string;
	phone: string;
	type: string;
	text: string;
	parts: string;
	deliveryName: string;
	sendAt: string;
	validUntil: string;
}

export interface ScheduledPage {
	page: number;
	pages: number;
	scheduled: ScheduledSms[];
}

export function buildListScheduledRequest(login: SmsApiLogin, page: number): string {
	return buildXmlDocument('request', {
		security: securityElement(login),
		scheduled: { [A + 'page']: String(page) },
	});
}

const readScheduledList = createResponseReader(['scheduled']);

export function parseListScheduledResponse(body: string): ScheduledPage {
	const phones = childElement(readScheduledList(body), 'phones') ?? {};
	return {
		page: numberOf(attributeOf(phones, 'page')) ?? 1,
		pages: numberOf(attributeOf(phones, 'num_pages')) ?? 1,
		scheduled: childElements(phones, 'scheduled').map((row) => ({
			smsId: attribute(row, 'id_sms'),
			queuedAt: attribute(row, 'time_put_turn'),
			sender: attribute(row, 'originator'),
			phone: attribute(row, 'phone'),
			type: attribute(row, 'type_sms'),
			text: attribute(row, 'text_sms'),
			parts: attribute(row, 'count_sms'),
			deliveryName: attribute(row, 'name_delivery'),
			sendAt: attribute(row, 'time_send'),
			validUntil: attribute(row, 'validity_period'),
		})),
	};
}

export function buildCancelScheduledRequest(login: SmsApiLogin, smsIds: readonly string[]): string {
	return buildXmlDocument('request', {
		security: securityElement(login),
		delete_schedule: { schedule: smsIds.map((id) => ({ [A + 'id_sms']: protocolText('id_sms', id, true) })) },
	});
}

/** `id_sms` (without leading zeros) → `delete` | `not_found`. */
export function parseCancelScheduledResponse(body: string): Map<string, string> {
	const results = new Map<string, string>();
	for (const row of childElements(readScheduledList(body), 'scheduled')) {
		results.set(canonicalId(attribute(row, 'id_sms')), textOf(row).trim());
	}
	return results;
}

export function canonicalId(id: string): string {
	return id.trim().replace(/^0+(?=\d)/, '');
}
