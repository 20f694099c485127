import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { EMAIL_PATH, emailReplyStyle, emailRoute } from './email/route';
import { oversizeFrame } from './fault-documents';
import { type Fault, FaultQueue, replyAfterProcessing, replyInsteadOfProcessing } from './faults';
import { htmlReply, type ReplyStyle, type SandboxReply, type SandboxRequest } from './http/exchange';
import { Router } from './http/router';
import { type StreamedBody, streamSizedBody, trickleBody } from './http/stream';
import { PASSWORD_GENERATION_PATH, passwordGenerationRoute } from './otp/password-generation';
import { MESSAGE_PATH, messageEndpoint } from './sms/message';
import { STATE_PATH, stateEndpoint } from './sms/state';
import { STATE_MESSAGE_PATH, stateMessageEndpoint } from './sms/state-message';
import { smsXmlRoute } from './sms/xml-endpoint';
import { CONTROL_INCOMING_PATH, CONTROL_PUSHES_PATH, incomingControlRoute, pushesControlRoute } from './push/control';
import { DeliveryReportPusher, type PushedReport, type PushSettings, type RecordedPush } from './push/delivery-reports';
import { IncomingSmsStore, type IncomingSmsDraft, type SandboxIncomingSms } from './push/incoming-store';
import { GET_STATE_PATH, getStateEndpoint } from './sms/get-state';
import { INCOMING_PATH, incomingEndpoint } from './sms/incoming';
import {
	BALANCE_PATH,
	DEF_PATH,
	LIST_SCHEDULED_PATH,
	LIST_STOP_PATH,
	ORIGINATOR_PATH,
	SCHEDULED_PATH,
	STOP_PATH,
	balanceEndpoint,
	defEndpoint,
	listScheduledEndpoint,
	listStopEndpoint,
	originatorEndpoint,
	scheduledEndpoint,
	stopEndpoint,
} from './sms/account';
import type { AccountState } from './account-state';
import {
	type ExternalSmsDraft,
	type SandboxEmail,
	type SandboxExternalSms,
	type SandboxMessage,
	type SandboxOtp,
	REPEATED_CLIENT_ID_ANSWERS,
	type RepeatedClientIdAnswer,
	SandboxStore,
} from './store';

export type { DoctypeVariant, Fault, FaultTarget, RedirectStatus } from './faults';
export type {
	ExternalSmsDraft,
	RepeatedClientIdAnswer,
	SandboxEmail,
	SandboxExternalSms,
	SandboxMessage,
	SandboxOtp,
} from './store';
export { SandboxTexts } from './texts';
export type { IncomingSmsDraft, PushedReport, PushSettings, RecordedPush, SandboxIncomingSms };
export { PUSH_ATTEMPTS } from './push/delivery-reports';

export interface SandboxOptions {
	login?: string;
	password?: string;
	/** The return address registered for the email API; mail from any other is refused. */
	emailFrom?: string;
	host?: string;
	/** 0 = any free port. */
	port?: number;
	/**
	 * Milliseconds every reply waits before it is written, as a distant provider's round trip would (default 0).
	 * Replies wait side by side: concurrent requests are not serialised.
	 */
	latencyMs?: number;
}

/** One HTTP request as it arrived, with what the sandbox answered (status 0: no answer was sent). */
export interface RecordedRequest {
	method: string;
	path: string;
	query: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	receivedAt: Date;
	status: number;
	responseBody: string;
	/**
	 * Streamed replies only (`trickle`, `oversize`): body bytes handed to the connection so far, which
	 * stops growing when the client goes away.
	 */
	bytesWritten?: number;
}

/** A running `refuseConnections`: the timer until listening again and who waits for it. */
interface Refusal {
	timer: NodeJS.Timeout | undefined;
	accepting: Promise<void>;
	settle: (error?: Error) => void;
}

/** Bodies above this are refused with 413 instead of being buffered. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) {
				chunks.push(chunk);
			}
		});
		request.on('end', () =>
			size > MAX_BODY_BYTES ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks)),
		);
		request.on('error', reject);
	});
}

function splitTarget(target: string): { path: string; query: string } {
	const queryStart = target.indexOf('?');
	return queryStart < 0
		? { path: target, query: '' }
		: { path: target.slice(0, queryStart), query: target.slice(queryStart + 1) };
}

/**
 * A local emulator of the TargetSMS HTTP API, strict about the documented protocol, with a
 * controllable clock, a request log and injectable faults.
 */
export class TargetSmsSandbox {
	static readonly DEFAULT_LOGIN = 'demo';
	static readonly DEFAULT_PASSWORD = 'demo1234';
	static readonly DEFAULT_EMAIL_FROM = 'shop@example.com';

	private readonly store: SandboxStore;
	private readonly pusher: DeliveryReportPusher;
	private readonly incoming: IncomingSmsStore;
	private readonly router: Router;
	private readonly faults = new FaultQueue();
	private readonly requestLog: RecordedRequest[] = [];
	private readonly sockets = new Set<Socket>();
	private readonly delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
	private readonly streams = new Set<StreamedBody>();
	private refusal: Refusal | undefined;
	private listeningPort: number | undefined;
	private readonly host: string;
	private readonly port: number;
	private readonly latencyMs: number;
	private server: Server | undefined;
	private baseUrl: string | undefined;

	constructor(options: SandboxOptions = {}) {
		this.store = new SandboxStore({
			login: options.login ?? TargetSmsSandbox.DEFAULT_LOGIN,
			password: options.password ?? TargetSmsSandbox.DEFAULT_PASSWORD,
			emailFrom: options.emailFrom ?? TargetSmsSandbox.DEFAULT_EMAIL_FROM,
		});
		this.host = options.host ?? '127.0.0.1';
		this.port = options.port ?? 0;
		const latencyMs = options.latencyMs ?? 0;
		if (!Number.isFinite(latencyMs) || latencyMs < 0) {
			throw new RangeError(`latencyMs must be a non-negative number (got ${latencyMs})`);
		}
		this.latencyMs = latencyMs;
		this.pusher = new DeliveryReportPusher(this.store);
		this.incoming = new IncomingSmsStore(this.store.clock);
		this.router = new Router()
			.add(GET_STATE_PATH, smsXmlRoute(this.store, getStateEndpoint(this.pusher)))
			.add(INCOMING_PATH, smsXmlRoute(this.store, incomingEndpoint(this.incoming)))
			.add(CONTROL_INCOMING_PATH, incomingControlRoute(this.incoming))
			.add(CONTROL_PUSHES_PATH, pushesControlRoute(this.pusher))
			.add(MESSAGE_PATH, smsXmlRoute(this.store, messageEndpoint(this.store)))
			.add(STATE_MESSAGE_PATH, smsXmlRoute(this.store, stateMessageEndpoint(this.store)))
			.add(STATE_PATH, smsXmlRoute(this.store, stateEndpoint(this.store)))
			.add(BALANCE_PATH, smsXmlRoute(this.store, balanceEndpoint(this.store)))
			.add(ORIGINATOR_PATH, smsXmlRoute(this.store, originatorEndpoint(this.store)))
			.add(DEF_PATH, smsXmlRoute(this.store, defEndpoint(this.store)))
			.add(LIST_STOP_PATH, smsXmlRoute(this.store, listStopEndpoint(this.store)))
			.add(STOP_PATH, smsXmlRoute(this.store, stopEndpoint(this.store)))
			.add(LIST_SCHEDULED_PATH, smsXmlRoute(this.store, listScheduledEndpoint(this.store)))
			.add(SCHEDULED_PATH, smsXmlRoute(this.store, scheduledEndpoint(this.store)))
			.add(EMAIL_PATH, emailRoute(this.store), emailReplyStyle)
			.add(PASSWORD_GENERATION_PATH, passwordGenerationRoute(this.store), () => 'otpXml');
	}

	/** Base URL without a trailing slash, e.g. 'http://127.0.0.1:41234'. */
	get url(): string {
		if (this.baseUrl === undefined) {
			throw new Error('The sandbox is not started');
		}
		return this.baseUrl;
	}

	/** Every HTTP request in arrival order. */
	get requests(): RecordedRequest[] {
		return this.requestLog;
	}

	/** Every accepted recipient, in acceptance order. */
	get messages(): SandboxMessage[] {
		return this.store.messages;
	}

	/** Every accepted email, in acceptance order (a repeated id_message is a second email). */
	get emails(): SandboxEmail[] {
		return this.store.emails;
	}

	/** Every OTP SMS sent, in order (not the requests answered `not_valid_phone`). */
	get otps(): SandboxOtp[] {
		return this.store.otps;
	}

	/** Every SMS recorded with `recordExternalSms`, in order. */
	get externalSms(): SandboxExternalSms[] {
		return this.store.externalSms;
	}

	/** The return address registered for the email API. */
	get emailFrom(): string {
		return this.store.account.emailFrom;
	}

	/** The account's delivery-report URL (`get_state.php`); '' when none. Settable, as `type="set"` does. */
	get deliveryReportUrl(): string {
		return this.pusher.url;
	}

	set deliveryReportUrl(url: string) {
		this.pusher.url = url;
	}

	/** Every delivery-report POST to that URL, with its answer. */
	get pushes(): RecordedPush[] {
		return this.pusher.pushes;
	}

	/** Every (id_sms, state) reported or being reported, with its attempts and whether it was confirmed. */
	get deliveryReports(): PushedReport[] {
		return this.pusher.reports;
	}

	/** How pushes are made (retry delay, Content-Type, scan interval); `reset()` restores the defaults. */
	configurePushes(settings: Partial<PushSettings>): void {
		this.pusher.configure(settings);
	}

	/** Resolves once no delivery report waits for an attempt and no push is under way. */
	async whenPushesSettled(timeoutMs?: number): Promise<void> {
		await this.pusher.settled(timeoutMs);
	}

	/** An SMS a subscriber sent to the account, which `incoming.php` then reports; returns it with its id_sms. */
	injectIncomingSms(draft: IncomingSmsDraft): SandboxIncomingSms {
		return this.incoming.add(draft);
	}

	/** Every incoming SMS, in order of receipt. */
	get incomingSms(): SandboxIncomingSms[] {
		return this.incoming.messages;
	}

	async start(): Promise<string> {
		if (this.server !== undefined) {
			throw new Error('The sandbox is already started');
		}
		const server = createServer((request, response) => void this.handle(request, response));
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, this.host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		this.pusher.start();
		const { port } = server.address() as AddressInfo;
		this.listeningPort = port;
		const host = this.host.includes(':') ? `[${this.host}]` : this.host;
		this.baseUrl = `http://${host}:${port}`;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (server === undefined) {
			return;
		}
		this.server = undefined;
		this.pusher.stop();
		this.baseUrl = undefined;
		this.listeningPort = undefined;
		this.endRefusal();
		for (const stream of this.streams) {
			stream.cancel();
		}
		this.streams.clear();
		for (const delay of this.delays) {
			clearTimeout(delay.timer);
			delay.resolve();
		}
		this.delays.clear();
		// Not listening (during refuseConnections) makes close report an error: closed all the same.
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		for (const socket of this.sockets) {
			socket.destroy();
		}
		this.sockets.clear();
		await closed;
	}

	/**
	 * Records an SMS that reached the provider another way than HTTP (the Email2SMS gateway) and returns
	 * its new id_sms, which `/xml/state.php` then knows. `phone` is 10–15 digits (RangeError otherwise).
	 */
	recordExternalSms(sms: ExternalSmsDraft): number {
		return this.store.recordExternalSms(sms).idSms;
	}

	/**
	 * Clears the request log, accepted messages, emails, OTP and external SMS, queued faults, the stop
	 * list, the clock offset and the repeated client_id_message answer (back to `originalIds`). Replies
	 * still being streamed and a running `refuseConnections` go on.
	 */
	reset(): void {
		this.requestLog.length = 0;
		this.store.reset();
		this.faults.clear();
		this.pusher.reset();
		this.incoming.reset();
	}

	advanceTime(ms: number): void {
		this.store.clock.advance(ms);
		this.pusher.scan();
	}

	now(): Date {
		return this.store.clock.now();
	}

	/**
	 * The account functions' state (balance, sender names and `anySender`, per-phone lookup answers, the page size of
	 * `list_scheduled.php`), for tests to set; `reset()` restores the defaults (see README, "Account functions").
	 */
	get account(): AccountState {
		return this.store.accountState;
	}

	/** The phones on the stop list (put there by stop.php or `refusePhone`). */
	get stopList(): string[] {
		return this.store.stopListedPhones();
	}

	refusePhone(phone: string, text?: string): void {
		this.store.refusePhone(phone, text);
	}

	failNext(fault: Fault): void {
		this.faults.add(fault);
	}

	/** Removes every queued fault (persistent ones included), keeping the records and the account's state. */
	clearFaults(): void {
		this.faults.clear();
	}

	/**
	 * How `/xml/message.php` answers a recipient whose client_id_message the account used before:
	 * `originalIds` (default) the original row; `alreadySentText` a row with the text «Данное сообщение
	 * уже было отправлено.», the client_id_message and phone as given, no ids; `alreadySentTextWithIds`
	 * the original row with that text. Nothing is stored again in any mode. `reset()` restores the default.
	 */
	setRepeatedClientIdAnswer(mode: RepeatedClientIdAnswer): void {
		if (!REPEATED_CLIENT_ID_ANSWERS.includes(mode)) {
			throw new RangeError(`Unknown repeated client_id_message answer: ${String(mode)}`);
		}
		this.store.repeatedClientIdAnswer = mode;
	}

	/**
	 * Stops listening (destroying every open connection, answered or not), so that connection attempts
	 * get ECONNREFUSED, and listens again on the same port after `durationMs`. Resolves once refusing has
	 * started; `whenAccepting()` resolves once listening again. Nothing is logged for refused attempts.
	 */
	async refuseConnections(durationMs: number): Promise<void> {
		if (!Number.isFinite(durationMs) || durationMs < 0) {
			throw new RangeError(`durationMs must be a non-negative number (got ${durationMs})`);
		}
		const server = this.server;
		if (server === undefined) {
			throw new Error('The sandbox is not started');
		}
		if (this.refusal !== undefined) {
			throw new Error('The sandbox is already refusing connections');
		}
		let settle: (error?: Error) => void = () => undefined;
		const accepting = new Promise<void>((resolve, reject) => {
			settle = (error) => (error === undefined ? resolve() : reject(error));
		});
		// Nobody may be awaiting it: a failed re-listen must not be an unhandled rejection.
		accepting.catch(() => undefined);
		const refusal: Refusal = { timer: undefined, accepting, settle };
		this.refusal = refusal;
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		for (const socket of this.sockets) {
			socket.destroy();
		}
		await closed;
		if (this.refusal === refusal) {
			refusal.timer = setTimeout(() => this.listenAgain(server, refusal), durationMs);
		}
	}

	/** Resolves once the sandbox accepts connections again (at once when it is not refusing). */
	whenAccepting(): Promise<void> {
		return this.refusal?.accepting ?? Promise.resolve();
	}

	/** Resolves once no reply is being streamed (`trickle`, `oversize`): each written or abandoned. */
	async whenRepliesWritten(): Promise<void> {
		while (this.streams.size > 0) {
			await Promise.all([...this.streams].map((stream) => stream.done));
		}
	}

	private listenAgain(server: Server, refusal: Refusal): void {
		refusal.timer = undefined;
		const failed = (error: Error): void => {
			this.endRefusal(error);
		};
		server.once('error', failed);
		server.listen(this.listeningPort, this.host, () => {
			server.off('error', failed);
			this.endRefusal();
		});
	}

	/** Ends a running refusal (if any): its timer cleared, `whenAccepting()` settled. */
	private endRefusal(error?: Error): void {
		const refusal = this.refusal;
		if (refusal === undefined) {
			return;
		}
		this.refusal = undefined;
		clearTimeout(refusal.timer);
		refusal.settle(error);
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const { record, index } = this.recordArrival(request);
		let body: Buffer;
		try {
			body = await readBody(request);
		} catch (error) {
			if (error instanceof BodyTooLargeError) {
				this.send(response, record, htmlReply(413, '413 Request Entity Too Large'));
			}
			return;
		}
		record.body = body.toString('utf8');
		const { method, path, query } = record;
		const arrived: SandboxRequest = { index, method, path, query, headers: request.headers, body };
		const fault = this.faults.takeFor(path, query, record.body);
		const style = this.router.replyStyleOf(arrived);
		if (fault?.kind === 'oversize') {
			this.sendOversize(response, record, style, fault.bytes, fault.declareLength);
			return;
		}
		let reply = fault && replyInsteadOfProcessing(fault, style, arrived);
		if (reply === undefined) {
			const processed = this.process(arrived);
			reply = (fault && replyAfterProcessing(fault, style, arrived)) ?? processed;
		}
		if (this.latencyMs > 0) {
			await this.delay(this.latencyMs);
		}
		if (fault?.kind === 'slow') {
			await this.delay(fault.delayMs);
		}
		if (fault?.kind === 'dropAfterProcessing') {
			request.socket.destroy();
			return;
		}
		if (fault?.kind === 'cutReply') {
			this.sendCut(response, record, reply, fault.bytes);
			return;
		}
		if (fault?.kind === 'trickle') {
			this.sendTrickling(response, record, reply, fault.intervalMs, fault.chunkBytes ?? 1);
			return;
		}
		this.send(response, record, reply);
	}

	private recordArrival(request: IncomingMessage): { record: RecordedRequest; index: number } {
		const { path, query } = splitTarget(request.url ?? '/');
		const record: RecordedRequest = {
			method: request.method ?? '',
			path,
			query,
			headers: { ...request.headers },
			body: '',
			receivedAt: this.now(),
			status: 0,
			responseBody: '',
		};
		const index = this.requestLog.push(record) - 1;
		return { record, index };
	}

	private process(request: SandboxRequest): SandboxReply {
		try {
			return this.router.dispatch(request);
		} catch (error) {
			const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
			return { status: 500, contentType: 'text/plain; charset=utf-8', body: `Sandbox failure: ${detail}` };
		}
	}

	private delay(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const entry = {
				timer: setTimeout(() => {
					this.delays.delete(entry);
					resolve();
				}, ms),
				resolve,
			};
			this.delays.add(entry);
		});
	}

	private track(stream: StreamedBody): void {
		this.streams.add(stream);
		void stream.done.then(() => this.streams.delete(stream));
	}

	/** The reply's status and headers (with the full Content-Length) at once, then its body bit by bit. */
	private sendTrickling(
		response: ServerResponse,
		record: RecordedRequest,
		reply: SandboxReply,
		intervalMs: number,
		chunkBytes: number,
	): void {
		record.bytesWritten = 0;
		const body = this.startReply(response, record, reply);
		if (body === undefined) {
			return;
		}
		response.flushHeaders();
		this.track(
			trickleBody(response, body, intervalMs, chunkBytes, (bytes) => {
				record.bytesWritten = (record.bytesWritten ?? 0) + bytes;
			}),
		);
	}

	/**
	 * The reply's status and headers (with the full Content-Length) and its first `bytes` (default: half the
	 * body), then the socket destroyed: a server or proxy that died while answering.
	 */
	private sendCut(response: ServerResponse, record: RecordedRequest, reply: SandboxReply, bytes: number | undefined): void {
		const whole = Buffer.byteLength(reply.body);
		const cut = Math.min(whole - 1, bytes ?? Math.floor(whole / 2));
		record.bytesWritten = cut;
		const body = this.startReply(response, record, reply);
		if (body === undefined) {
			return;
		}
		response.write(body.subarray(0, cut), () => response.socket?.destroy());
	}

	/** A 200 document of exactly `bytes` in the endpoint's style, streamed; its body is not logged. */
	private sendOversize(
		response: ServerResponse,
		record: RecordedRequest,
		style: ReplyStyle,
		bytes: number,
		declareLength: boolean,
	): void {
		record.status = 200;
		record.responseBody = '';
		record.bytesWritten = 0;
		if (response.destroyed || response.writableEnded) {
			return;
		}
		const frame = oversizeFrame(style);
		response.writeHead(200, {
			'Content-Type': frame.contentType,
			...(declareLength ? { 'Content-Length': bytes } : {}),
		});
		this.track(
			streamSizedBody(response, bytes, Buffer.from(frame.head, 'utf8'), Buffer.from(frame.tail, 'utf8'), (written) => {
				record.bytesWritten = (record.bytesWritten ?? 0) + written;
			}),
		);
	}

	private send(response: ServerResponse, record: RecordedRequest, reply: SandboxReply): void {
		const body = this.startReply(response, record, reply);
		if (body !== undefined) {
			response.end(body);
		}
	}

	/**
	 * Logs the reply and writes its status and headers with the whole body's Content-Length; returns the body to
	 * write, or undefined when the client is already gone.
	 */
	private startReply(response: ServerResponse, record: RecordedRequest, reply: SandboxReply): Buffer | undefined {
		record.status = reply.status;
		record.responseBody = reply.body;
		if (response.destroyed || response.writableEnded) {
			return undefined;
		}
		const body = Buffer.from(reply.body, 'utf8');
		response.writeHead(reply.status, {
			...reply.headers,
			'Content-Type': reply.contentType,
			'Content-Length': body.length,
		});
		return body;
	}
}
