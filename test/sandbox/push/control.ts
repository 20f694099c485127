import { JSON_CONTENT_TYPE, type SandboxReply } from '../http/exchange';
import type { RouteHandler } from '../http/router';
import type { DeliveryReportPusher } from './delivery-reports';
import type { IncomingSmsStore } from './incoming-store';

/** The sandbox's own control routes (not the provider's): inject incoming SMS, read what was pushed. */
export const CONTROL_INCOMING_PATH = '/sandbox/incoming';
export const CONTROL_PUSHES_PATH = '/sandbox/pushes';

function json(status: number, value: unknown): SandboxReply {
	return { status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(value) };
}

/** `POST /sandbox/incoming` `{"from":"79001234567","text":"ДА","to?":"3443","prefix?":""}` → the stored SMS. */
export function incomingControlRoute(incoming: IncomingSmsStore): RouteHandler {
	return (request) => {
		if (request.method !== 'POST') return json(405, { error: 'POST a JSON object {from, text, to?, prefix?}' });
		try {
			const draft = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
			const optional = (value: unknown) => (value === undefined ? undefined : String(value));
			const sms = incoming.add({
				from: String(draft.from ?? ''),
				text: String(draft.text ?? ''),
				to: optional(draft.to),
				prefix: optional(draft.prefix),
			});
			return json(200, sms);
		} catch (error) {
			return json(400, { error: error instanceof Error ? error.message : String(error) });
		}
	};
}

/** `GET /sandbox/pushes` → `{ url, pushes, reports }`. */
export function pushesControlRoute(pusher: DeliveryReportPusher): RouteHandler {
	return () => {
		pusher.scan();
		return json(200, { url: pusher.url, pushes: pusher.pushes, reports: pusher.reports });
	};
}
