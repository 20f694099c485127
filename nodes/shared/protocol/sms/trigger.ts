import { UnexpectedResponseError } from '../errors';
import { protocolText } from '../text';
import type { XmlNode } from '../xml';
import { ATTRIBUTE_PREFIX, attributeOf, buildXmlDocument, childElement, childElements, createXmlReader, expectRoot, textOf, TEXT_KEY } from '../xml';
import { createResponseReader } from './reply';
import { securityElement } from './security';
import type { SmsApiLogin } from './types';

/** The account's one delivery-report URL: known from the platform's public reference, not from a document. */
export const GET_STATE_PATH = '/xml/get_state.php';
/** Incoming SMS of the account, by time window. */
export const INCOMING_PATH = '/xml/incoming.php';

/** `<get_state type="get"/>`, or `<get_state type="set">url</get_state>` ('' clears it). */
export function buildGetStateRequest(login: SmsApiLogin, set?: { url: string }): string {
	const getState: XmlNode =
		set === undefined
			? { [ATTRIBUTE_PREFIX + 'type']: 'get' }
			: { [ATTRIBUTE_PREFIX + 'type']: 'set', [TEXT_KEY]: protocolText('URL', set.url, true) };
	return buildXmlDocument('request', { security: securityElement(login), get_state: getState });
}

const readGetState = createResponseReader([]);

/** The URL in force: `<response><get_state>URL</get_state></response>`; a reply without `<get_state>` is unexpected. */
export function parseGetStateResponse(body: string): string {
	const element = childElement(readGetState(body), 'get_state');
	if (element === undefined) throw new UnexpectedResponseError('The reply has no <get_state> element', body);
	return textOf(element).trim();
}

/** `<time start="YYYY-MM-DD hh:mm:ss"/>` (exclusive), in the provider's clock. */
export function buildIncomingRequest(login: SmsApiLogin, start: string): string {
	return buildXmlDocument('request', {
		security: securityElement(login),
		time: { [ATTRIBUTE_PREFIX + 'start']: protocolText('start', start, true) },
	});
}

export interface IncomingSmsRow {
	id: string;
	/** `YYYY-MM-DD hh:mm:ss`, provider's clock. */
	receivedAt: string;
	from: string;
	to: string;
	prefix: string;
	text: string;
}

const readIncoming = createResponseReader(['sms']);

export function parseIncomingResponse(body: string): IncomingSmsRow[] {
	return childElements(readIncoming(body), 'sms').map((sms) => ({
		id: attributeOf(sms, 'id_sms') ?? '',
		receivedAt: attributeOf(sms, 'date_receive') ?? '',
		from: attributeOf(sms, 'originator') ?? '',
		to: attributeOf(sms, 'phone') ?? '',
		prefix: attributeOf(sms, 'prefix') ?? '',
		text: textOf(sms),
	}));
}

/** One well-formed `<state>` of a delivery-report push. */
export interface PushedState {
	id: string;
	status: string;
	/** `YYYY-MM-DD hh:mm:ss` as pushed; '' when absent. */
	time: string;
}

const readPush = createXmlReader(['state']);
const DIGITS = /^\d{1,19}$/;
const STATUS = /^[a-z_]{1,40}$/;

/**
 * The states of the provider's push `<request><state id_sms="N" time="…">status</state>…</request>`. A `<state>`
 * without a numeric id or a status word is left out (so the provider pushes it again); a body that is not such a
 * document (not XML, another root, no well-formed `<state>`) is an {@link UnexpectedResponseError}.
 */
export function parseDeliveryReportPush(body: string): PushedState[] {
	const request = expectRoot(readPush(body), 'request', body);
	const states: PushedState[] = [];
	for (const state of childElements(request, 'state')) {
		const id = (attributeOf(state, 'id_sms') ?? '').trim();
		const status = textOf(state).trim();
		if (!DIGITS.test(id) || !STATUS.test(status)) continue;
		states.push({ id, status, time: (attributeOf(state, 'time') ?? '').trim() });
	}
	if (states.length === 0) throw new UnexpectedResponseError('The push holds no well-formed <state>', body);
	return states;
}

/** The receiver's answer naming every id it accepted: `<response><id_sms>N</id_sms>…</response>`. */
export function buildDeliveryReportAnswer(ids: readonly string[]): string {
	return buildXmlDocument('response', { id_sms: [...new Set(ids)] });
}
