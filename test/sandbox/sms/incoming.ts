import { RequestRefusal } from '../http/refusal';
import { formatMoscowDateTime, parseMoscowSecond } from '../moscow-time';
import type { IncomingSmsStore } from '../push/incoming-store';
import { TriggerTexts } from '../push/texts';
import type { XmlElement } from '../xml/element';
import type { SmsXmlEndpoint } from './xml-endpoint';

export const INCOMING_PATH = '/xml/incoming.php';

function timeAttribute(element: XmlElement, name: string, required: boolean): Date | undefined {
	const value = element.attribute(name);
	if (value === undefined && !required) return undefined;
	const parsed = parseMoscowSecond(value ?? '');
	if (parsed === undefined) throw new RequestRefusal(TriggerTexts.wrongTime(name, value ?? ''));
	return parsed;
}

/**
 * `POST /xml/incoming.php`: `<time start="YYYY-MM-DD hh:mm:ss" end="…"/>` (both exclusive, `end` optional) is
 * answered with the incoming SMS received in between, in order of receipt:
 * `<sms id_sms="N" date_receive="…" originator="7900…" prefix="WORD" phone="3443">text</sms>`.
 */
export function incomingEndpoint(incoming: IncomingSmsStore): SmsXmlEndpoint {
	return {
		alwaysArrayPaths: [],
		requestElements: { time: 'once' },
		respond: (request) => {
			const time = request.children('time')[0];
			if (time === undefined) throw new RequestRefusal(TriggerTexts.noTime);
			const unknown = [...time.attributes().keys()].find((name) => name !== 'start' && name !== 'end');
			if (unknown !== undefined) throw new RequestRefusal(TriggerTexts.unknownTimeAttribute(unknown));
			if (time.hasChildren() || time.hasSignificantText()) throw new RequestRefusal(TriggerTexts.timeNotEmpty);
			const start = timeAttribute(time, 'start', true) as Date;
			const end = timeAttribute(time, 'end', false);
			const rows = incoming.between(start, end).map((sms) => ({
				'@_id_sms': String(sms.idSms),
				'@_date_receive': formatMoscowDateTime(sms.receivedAt),
				'@_originator': sms.from,
				'@_prefix': sms.prefix,
				'@_phone': sms.to,
				'#text': sms.text,
			}));
			return rows.length === 0 ? '' : { sms: rows };
		},
	};
}
