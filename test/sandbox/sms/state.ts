import { formatMoscowDateTime } from '../moscow-time';
import { smsStateAt } from '../status-model';
import type { SandboxStore } from '../store';
import { SandboxTexts } from '../texts';
import type { BuildObject } from '../xml/document';
import { requestedIds } from './id-list';
import type { SmsXmlEndpoint } from './xml-endpoint';

export const STATE_PATH = '/xml/state.php';

function stateRow(idSms: string, store: SandboxStore): BuildObject {
	const sms = store.findSms(idSms);
	if (sms === undefined) {
		return { '@_id_sms': idSms, '@_time': '', '#text': SandboxTexts.unknownMessage };
	}
	const { state, changedAt } = smsStateAt(sms, store.clock.now());
	// The platform's reference (smsgate/xmlGateDoc) writes `time=""` while the SMS is still `send`: the time is when
	// the state last changed, and a sent SMS has not changed yet.
	const time = state === SandboxTexts.accepted ? '' : formatMoscowDateTime(changedAt);
	return { '@_id_sms': idSms, '@_time': time, '#text': state };
}

/**
 * `POST /xml/state.php`: the SMS state of each `id_sms`, in request order, whatever sent the SMS
 * (`message.php`, the OTP API, an external channel such as Email2SMS). With no ids (or no
 * `<get_state>`) an authenticated request gets an empty `<response>`.
 */
export function stateEndpoint(store: SandboxStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: ['request.get_state.id_sms'],
		requestElements: { get_state: 'once' },
		respond: (request) => {
			const ids = requestedIds(request.children('get_state')[0], 'id_sms');
			return ids.length === 0 ? '' : { state: ids.map((id) => stateRow(id, store)) };
		},
	};
}
