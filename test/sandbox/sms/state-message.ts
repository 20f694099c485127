import { formatMoscowDateTime } from '../moscow-time';
import { statusAt } from '../status-model';
import type { SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import type { BuildObject } from '../xml/document';
import { requestedIds } from './id-list';
import type { SmsXmlEndpoint } from './xml-endpoint';

export const STATE_MESSAGE_PATH = '/xml/state_message.php';

function unknownMessageRow(idMessage: string): BuildObject {
	return {
		'@_id_message': idMessage,
		'@_time_change_state': '',
		'@_state_sms': '',
		'@_state_viber': '',
		'@_num_parts_sms': '',
		'@_price_sms': '',
		'@_price_viber': '',
		'#text': SandboxTexts.unknownMessage,
	};
}

function stateRow(idMessage: string, store: SandboxStore): BuildObject {
	const message = store.findByIdMessage(idMessage);
	if (message === undefined) {
		return unknownMessageRow(idMessage);
	}
	const status = statusAt(message, store.clock.now());
	return {
		'@_id_message': idMessage,
		'@_time_change_state': formatMoscowDateTime(status.changedAt),
		'@_state_sms': status.stateSms,
		'@_state_viber': status.stateViber,
		'@_num_parts_sms': String(status.smsParts),
		'@_price_sms': status.smsPrice,
		'@_price_viber': status.viberPrice,
		'#text': status.status,
	};
}

/**
 * `POST /xml/state_message.php`: one `<state>` row per requested id, in request order. With no ids
 * (or no `<state>`) an authenticated request gets an empty `<response>`.
 */
export function stateMessageEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: ['request.state.id_message'],
		requestElements: { state: 'once' },
		respond: (request) => {
			const ids = requestedIds(request.children('state')[0], 'id_message');
			return ids.length === 0 ? '' : { state: ids.map((id) => stateRow(id, store)) };
		},
	};
}
