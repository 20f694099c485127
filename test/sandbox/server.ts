import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { EMAIL_PATH, emailReplyStyle, emailRoute } from './email/route';
import { type Fault, FaultQueue, replyInsteadOfProcessing } from './faults';
import { htmlReply, type SandboxReply, type SandboxRequest } from './http/exchange';
import { Router } from './http/router';
import { PASSWORD_GENERATION_PATH, passwordGenerationRoute } from './otp/password-generation';
import { MESSAGE_PATH, messageEndpoint } from './sms/message';
import { STATE_PATH, stateEndpoint } from './sms/state';
import { STATE_MESSAGE_PATH, stateMessageEndpoint } from './sms/state-message';
import { smsXmlRoute } from './sms/xml-endpoint';
import {
	type ExternalSmsDraft,
	type SandboxEmail,
	type SandboxExternalSms,
	type SandboxMessage,
	type SandboxOtp,
	SandboxStore,
} from './store';

export type { Fault } from './faults';
export type { ExternalSmsDraft, SandboxEmail, SandboxExternalSms, SandboxMessage, SandboxOtp } from './store';
export { SandboxTexts } from './texts';

export interface SandboxOptions {
	login?: string;
	password?: string;
	/** The return address registered for the email API; mail from any other is refused. */
	emailFrom?: string;
	host?: string;
	/** 0 = any free port. */
	port?: number;
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
	private readonly router: Router;
	private readonly faults = new FaultQueue();
	private readonly requestLog: RecordedRequest[] = [];
	private readonly sockets = new Set<Socket>();
	private readonly delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
	private readonly host: string;
	private readonly port: number;
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
		this.router = new Router()
			.add(MESSAGE_PATH, smsXmlRoute(this.store, messageEndpoint(this.store)))
			.add(STATE_MESSAGE_PATH, smsXmlRoute(this.store, stateMessageEndpoint(this.store)))
			.add(STATE_PATH, smsXmlRoute(this.store, stateEndpoint(this.store)))
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
		const { port } = server.address() as AddressInfo;
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
		this.baseUrl = undefined;
		for (const delay of this.delays) {
			clearTimeout(delay.timer);
			delay.resolve();
		}
		this.delays.clear();
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
	 * list and the clock offset.
	 */
	reset(): void {
		this.requestLog.length = 0;
		this.store.reset();
		this.faults.clear();
	}

	advanceTime(ms: number): void {
		this.store.clock.advance(ms);
	}

	now(): Date {
		return this.store.clock.now();
	}

	refusePhone(phone: string, text?: string): void {
		this.store.refusePhone(phone, text);
	}

	failNext(fault: Fault): void {
		this.faults.add(fault);
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
		const fault = this.faults.takeFor(path, query);
		const reply =
			(fault && replyInsteadOfProcessing(fault, this.router.replyStyleOf(arrived))) ?? this.process(arrived);
		if (fault?.kind === 'slow') {
			await this.delay(fault.delayMs);
		}
		if (fault?.kind === 'dropAfterProcessing') {
			request.socket.destroy();
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

	private send(response: ServerResponse, record: RecordedRequest, reply: SandboxReply): void {
		record.status = reply.status;
		record.responseBody = reply.body;
		if (response.destroyed || response.writableEnded) {
			return;
		}
		response.writeHead(reply.status, {
			...reply.headers,
			'Content-Type': reply.contentType,
			'Content-Length': Buffer.byteLength(reply.body),
		});
		response.end(reply.body);
	}
}
