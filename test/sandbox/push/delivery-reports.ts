import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { XMLParser } from 'fast-xml-parser';

import { formatMoscowDateTime } from '../moscow-time';
import { type DeliveryState, smsStateAt } from '../status-model';
import type { SandboxStore } from '../store';
import { buildXmlDocument } from '../xml/document';

/** One (id_sms, state) the sandbox reports to the account's URL, and what became of it. */
export interface PushedReport {
	idSms: string;
	status: DeliveryState;
	/** `YYYY-MM-DD hh:mm:ss`, Moscow time: when the state changed. */
	time: string;
	/** POSTs that carried it so far (at most {@link PUSH_ATTEMPTS}). */
	attempts: number;
	/** The receiver named its id in a 2xx `<response>`. */
	confirmed: boolean;
	/** Not confirmed after the last attempt: the provider stops trying. */
	gaveUp: boolean;
	/** Real time (ms) before which it is not sent again. */
	notBefore: number;
}

/** One POST to the receiver, with what it answered (status 0: no answer, `error` says why). */
export interface RecordedPush {
	url: string;
	contentType: string;
	body: string;
	/** The ids it carried, in order (an id once per push). */
	ids: string[];
	/** Of those, the ids the answer named. */
	confirmedIds: string[];
	status: number;
	responseBody: string;
	error?: string;
	sentAt: Date;
}

export interface PushSettings {
	/** Real milliseconds between attempts for an unconfirmed id (default 1000). */
	retryDelayMs: number;
	/** Content-Type of the pushes (undocumented; default `application/x-www-form-urlencoded`, a PHP cURL POST's). */
	contentType: string;
	/** How often the states are scanned, real ms (default 200). */
	scanIntervalMs: number;
}

/** The provider's attempts per id it pushes (DESIGN.md, "Known beyond the documents"). */
export const PUSH_ATTEMPTS = 5;
const PUSH_TIMEOUT_MS = 10_000;
const DEFAULT_SETTINGS: PushSettings = {
	retryDelayMs: 1_000,
	contentType: 'application/x-www-form-urlencoded',
	scanIntervalMs: 200,
};

const answerParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'id_sms' });

/** The ids a receiver's answer names: `<response><id_sms>N</id_sms>…</response>`; none for anything else. */
export function confirmedIdsOf(body: string): string[] {
	try {
		const parsed = answerParser.parse(body) as { response?: { id_sms?: unknown[] } | string };
		const response = parsed.response;
		if (typeof response !== 'object' || response === null) return [];
		return (response.id_sms ?? []).map((id) => String(id).trim()).filter((id) => /^\d+$/.test(id));
	} catch {
		return [];
	}
}

/**
 * The provider's side of delivery reports: the account's one URL (`get_state.php`), and, whenever the SMS of an
 * `id_sms` reaches a new state while a URL is set, a POST of `<request><state id_sms="N" time="…">status</state>…</request>`
 * to it. Every report that its answer does not name is sent again after `retryDelayMs`, up to 5 attempts.
 */
export class DeliveryReportPusher {
	url = '';
	readonly pushes: RecordedPush[] = [];
	readonly reports: PushedReport[] = [];
	private settings: PushSettings = { ...DEFAULT_SETTINGS };
	/** Last state seen per id_sms ('send' until it changes). */
	private readonly seen = new Map<string, DeliveryState>();
	private timer: NodeJS.Timeout | undefined;
	private inFlight: Promise<void> | undefined;
	private retryTimer: NodeJS.Timeout | undefined;

	constructor(private readonly store: SandboxStore) {}

	configure(settings: Partial<PushSettings>): void {
		this.settings = { ...this.settings, ...settings };
		if (this.timer !== undefined) {
			this.stop();
			this.start();
		}
	}

	start(): void {
		this.timer = setInterval(() => this.scan(), this.settings.scanIntervalMs);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
		clearTimeout(this.retryTimer);
		this.timer = undefined;
		this.retryTimer = undefined;
	}

	/** Notes every state change since the last scan (a report for each while a URL is set) and sends what is due. */
	scan(): void {
		const now = this.store.clock.now();
		for (const [idSms, plan] of this.store.smsEntries()) {
			const { state, changedAt } = smsStateAt(plan, now);
			if ((this.seen.get(idSms) ?? 'send') === state) continue;
			this.seen.set(idSms, state);
			if (this.url === '') continue;
			this.reports.push({
				idSms,
				status: state,
				time: formatMoscowDateTime(changedAt),
				attempts: 0,
				confirmed: false,
				gaveUp: false,
				notBefore: 0,
			});
		}
		this.flush();
	}

	/** Resolves once no report waits for an attempt and no push is under way (or after `timeoutMs`). */
	async settled(timeoutMs = 30_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		this.scan();
		while (Date.now() < deadline) {
			if (this.inFlight) await this.inFlight;
			else if (this.pending().length === 0) return;
			else await new Promise((resolve) => setTimeout(resolve, 25));
			this.scan();
		}
	}

	reset(): void {
		this.url = '';
		this.pushes.length = 0;
		this.reports.length = 0;
		this.seen.clear();
		this.settings = { ...DEFAULT_SETTINGS };
		clearTimeout(this.retryTimer);
		this.retryTimer = undefined;
	}

	private pending(): PushedReport[] {
		return this.reports.filter((report) => !report.confirmed && !report.gaveUp);
	}

	private flush(): void {
		if (this.inFlight || this.url === '') return;
		const now = Date.now();
		const waiting = this.pending();
		// One push per id: a report of a later state for the same id waits for the earlier one.
		const ids = new Set<string>();
		const due = waiting.filter((report) => {
			if (ids.has(report.idSms)) return false;
			ids.add(report.idSms);
			return report.notBefore <= now;
		});
		if (due.length === 0) {
			const next = Math.min(...waiting.map((report) => report.notBefore));
			if (Number.isFinite(next) && this.retryTimer === undefined) {
				this.retryTimer = setTimeout(() => {
					this.retryTimer = undefined;
					this.flush();
				}, Math.max(0, next - now));
				this.retryTimer.unref();
			}
			return;
		}
		this.inFlight = this.push(due).finally(() => {
			this.inFlight = undefined;
			this.flush();
		});
	}

	private async push(due: PushedReport[]): Promise<void> {
		const body = buildXmlDocument('request', {
			state: due.map((report) => ({ '@_id_sms': report.idSms, '@_time': report.time, '#text': report.status })),
		});
		const record: RecordedPush = {
			url: this.url,
			contentType: this.settings.contentType,
			body,
			ids: due.map((report) => report.idSms),
			confirmedIds: [],
			status: 0,
			responseBody: '',
			sentAt: this.store.clock.now(),
		};
		this.pushes.push(record);
		try {
			const answer = await post(record.url, body, record.contentType);
			record.status = answer.status;
			record.responseBody = answer.body;
			if (answer.status >= 200 && answer.status < 300) {
				const named = new Set(confirmedIdsOf(answer.body));
				record.confirmedIds = record.ids.filter((id) => named.has(id));
			}
		} catch (error) {
			record.error = error instanceof Error ? error.message : String(error);
		}
		const confirmed = new Set(record.confirmedIds);
		for (const report of due) {
			report.attempts += 1;
			if (confirmed.has(report.idSms)) report.confirmed = true;
			else if (report.attempts >= PUSH_ATTEMPTS) report.gaveUp = true;
			else report.notBefore = Date.now() + this.settings.retryDelayMs;
		}
	}
}

function post(url: string, body: string, contentType: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
		const request = send(
			target,
			{
				method: 'POST',
				headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
				timeout: PUSH_TIMEOUT_MS,
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				response.on('error', reject);
			},
		);
		request.on('timeout', () => request.destroy(new Error(`No answer within ${PUSH_TIMEOUT_MS} ms`)));
		request.on('error', reject);
		request.end(body);
	});
}
