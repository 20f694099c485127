/** The bench's input items and the peers' request body: the same for every contender. */
import type { IDataObject } from 'n8n-workflow';

import { TargetSmsSandbox } from '../test/sandbox/server';

export const SENDER = 'MyShop';
export const EMAIL_FROM = TargetSmsSandbox.DEFAULT_EMAIL_FROM;

export function phoneOf(index: number): string {
	return `7900${String(index % 10_000_000).padStart(7, '0')}`;
}

export function textOf(index: number): string {
	return `Здравствуйте! Ваш заказ №${100_000 + index} готов, заберите его до 21:00.`;
}

/** `count` items, each with `phonesPerItem` phones (comma-separated), its own text and a client id for the peers. */
export function smsItems(count: number, phonesPerItem = 1): IDataObject[] {
	const stamp = (Date.now() % 1_000_000) * 1_000_000;
	return Array.from({ length: count }, (_, index) => ({
		phone: Array.from({ length: phonesPerItem }, (_unused, phone) => phoneOf(index * phonesPerItem + phone)).join(', '),
		text: textOf(index),
		clientId: String(stamp + index),
	}));
}

export function emailItems(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		email: `client${index}@example.org`,
		body: `<p>Здравствуйте! Ваш заказ №${100_000 + index} готов.</p>`,
	}));
}

/** The document the peers send for one item: what the TargetSMS node sends for that item alone. */
export const PEER_BODY_EXPRESSION =
	`=<?xml version="1.0" encoding="utf-8"?><request><security><login value="${TargetSmsSandbox.DEFAULT_LOGIN}"/>` +
	`<password value="${TargetSmsSandbox.DEFAULT_PASSWORD}"/></security><message><send_viber>0</send_viber>` +
	`<send_sms>1</send_sms><sender_sms>${SENDER}</sender_sms><text_sms>{{ $json.text }}</text_sms>` +
	'<abonent phone="{{ $json.phone }}" client_id_message="{{ $json.clientId }}"/></message></request>';
