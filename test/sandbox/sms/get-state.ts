import { RequestRefusal } from '../http/refusal';
import type { DeliveryReportPusher } from '../push/delivery-reports';
import { TriggerTexts } from '../push/texts';
import type { SmsXmlEndpoint } from './xml-endpoint';

export const GET_STATE_PATH = '/xml/get_state.php';

const PUSH_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/;

/**
 * `POST /xml/get_state.php`: the account's one delivery-report URL. `<get_state type="get"/>` reads it,
 * `<get_state type="set">URL</get_state>` replaces it (an empty text clears it); both answer
 * `<response><get_state>current URL</get_state></response>`.
 */
export function getStateEndpoint(pusher: DeliveryReportPusher): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: [],
		requestElements: { get_state: 'once' },
		respond: (request) => {
			const element = request.children('get_state')[0];
			if (element === undefined) throw new RequestRefusal(TriggerTexts.noGetState);
			const names = [...element.attributes().keys()];
			const unknown = names.find((name) => name !== 'type');
			if (unknown !== undefined) throw new RequestRefusal(TriggerTexts.unknownGetStateAttribute(unknown));
			if (element.hasChildren()) throw new RequestRefusal(TriggerTexts.getStateTextOnly);
			const type = element.attribute('type');
			if (type === 'set') {
				const url = element.text().trim();
				if (url !== '' && !PUSH_URL.test(url)) throw new RequestRefusal(TriggerTexts.wrongPushUrl(url));
				pusher.url = url;
			} else if (type !== 'get') {
				throw new RequestRefusal(TriggerTexts.wrongGetStateType(type ?? ''));
			} else if (element.hasSignificantText()) {
				throw new RequestRefusal(TriggerTexts.getStateGetWithText);
			}
			return { get_state: pusher.url };
		},
	};
}
