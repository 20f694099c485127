import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';

import { simpleParser } from 'mailparser';
import type { AddressObject, Headers, StructuredHeader } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type {
	SMTPServerAddress,
	SMTPServerAuthentication,
	SMTPServerAuthenticationResponse,
	SMTPServerDataStream,
	SMTPServerSession,
} from 'smtp-server';

import { decodeTransferEncoding, decodeWindows1251Strictly, EmailRefusal, splitMessage } from './body';
import { type ParsedTemplate, parseTemplate } from './template';
import { SmtpSandboxTexts } from './texts';

export { SmtpSandboxTexts } from './texts';
export type { ParsedTemplate } from './template';

/** One SMS the sandbox accepted (one phone of an accepted email). */
export interface AcceptedSms {
	phone: string;
	sender: string;
	text: string;
}

export interface SmtpSandboxOptions {
	/** Loopback only: the sandbox takes SMTP passwords without TLS. Default 127.0.0.1. */
	host?: string;
	/** 0 = any free port (default). */
	port?: number;
	/** The SMTP account clients log in with. */
	smtpUser?: string;
	smtpPassword?: string;
	/** The return address registered with TargetSMS: the only envelope sender and From accepted. */
	returnAddress?: string;
	/** The only recipient accepted. */
	gatewayAddress?: string;
	/** The TargetSMS account the template's SmsUser / Password must name (password at most 8 characters). */
	smsLogin?: string;
	smsPassword?: string;
	/**
	 * Called once per accepted phone, in order; returns the SMS's id_sms. Connect it to the HTTP sandbox
	 * (`recordExternalSms`) so that its state endpoints show these SMS. Without it, ids come from the
	 * sandbox's own sequence (from 9000001).
	 */
	onAcceptedSms?: (sms: AcceptedSms) => number;
	/**
	 * Whether the EHLO reply offers 8BITMIME (RFC 6152), default true (smtp-server's default). Without it, an email
	 * with any 8-bit byte is refused (`554`), as a 7-bit server would: a client must then send 7-bit data
	 * (quoted-printable or base64).
	 */
	offer8BitMime?: boolean;
}

/** One email as it arrived, with what the sandbox made of it and answered. */
export interface ReceivedEmail {
	/** 1-based number of the SMTP connection it came over (see `connections`). */
	connection: number;
	/** The SMTP user that logged in. */
	user: string;
	mailFrom: string;
	/** The MAIL FROM command's BODY parameter, upper case (`8BITMIME`, `7BIT`), or '' when not given. */
	mailFromBody: string;
	rcptTo: string[];
	/** The message exactly as received after DATA (dot-unstuffed), headers included. */
	raw: Buffer;
	/** The header block as received, lines unfolded; keys lower case. */
	headerLines: Array<{ key: string; line: string }>;
	/** Parsed headers (mailparser). */
	headers: Headers;
	/** The Content-Type header's value as received, e.g. `text/plain; charset=windows-1251`. */
	contentType: string;
	/** The Content-Transfer-Encoding, lower case (`7bit` when absent). */
	transferEncoding: string;
	/** The body's bytes after undoing the transfer encoding: what the sender encoded in windows-1251. */
	bodyBytes: Buffer;
	/** `bodyBytes` decoded from windows-1251. */
	body: string;
	/** The template, when the body is one. */
	template?: ParsedTemplate;
	/** The SMS accepted from this email, with their ids (empty when refused). */
	sms: Array<AcceptedSms & { idSms: number }>;
	accepted: boolean;
	/** The reply to DATA (code and text); empty when the connection was dropped instead. */
	reply: string;
	receivedAt: Date;
}

export type SmtpFaultKind =
	/** The next AUTH is refused (535) whatever the credentials. */
	| 'refuseAuth'
	/** The next RCPT TO is refused (550). */
	| 'refuseRecipient'
	/** The next email is refused after DATA (550), not processed. */
	| 'refuseMessage'
	/** The next email is read, not processed, and the connection is closed without a reply. */
	| 'drop'
	/** The next email is processed (its SMS accepted), then the connection is closed without a reply. */
	| 'dropAfterProcessing';

export interface SmtpFault {
	kind: SmtpFaultKind;
	/** Reply text instead of the default one (refusals). */
	text?: string;
	/** How many times in a row (default 1). */
	times?: number;
	/** Let this many matching commands through first (default 0). */
	after?: number;
}

type Stage = 'auth' | 'rcpt' | 'data';

const STAGE: Record<SmtpFaultKind, Stage> = {
	refuseAuth: 'auth',
	refuseRecipient: 'rcpt',
	refuseMessage: 'data',
	drop: 'data',
	dropAfterProcessing: 'data',
};

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** An SMTP error reply: smtp-server answers with `responseCode` and the message as the reply text. */
function reply(text: string, responseCode: number): Error {
	return Object.assign(new Error(text), { responseCode });
}

/**
 * A local emulator of the TargetSMS Email2SMS gateway: an SMTP server (smtp-server) that logs users in, takes
 * email for the gateway address from the registered return address only, decodes windows-1251 and reads the
 * template as strictly as the document allows, answering what the gateway would refuse with a Russian 550.
 */
export class TargetSmsSmtpSandbox {
	static readonly DEFAULT_SMTP_USER = 'smtp-user';
	static readonly DEFAULT_SMTP_PASSWORD = 'smtp-secret';
	/** The same return address the HTTP sandbox registers for the email API. */
	static readonly DEFAULT_RETURN_ADDRESS = 'shop@example.com';
	static readonly DEFAULT_GATEWAY_ADDRESS = 'emailtosms@email2smsapi.ru';
	static readonly DEFAULT_SMS_LOGIN = 'demo';
	/** The HTTP sandbox's account: its password fits the 8 characters Email2SMS allows. */
	static readonly DEFAULT_SMS_PASSWORD = 'demo1234';

	/** Every email that reached DATA, in arrival order. */
	readonly received: ReceivedEmail[] = [];
	/** Texts of the server's 'error' events (client sockets that broke), for tests to inspect. */
	readonly errors: string[] = [];

	readonly smtpUser: string;
	readonly smtpPassword: string;
	readonly returnAddress: string;
	readonly gatewayAddress: string;
	readonly smsLogin: string;
	readonly smsPassword: string;
	readonly offer8BitMime: boolean;

	private readonly host: string;
	private readonly port: number;
	private readonly onAcceptedSms?: (sms: AcceptedSms) => number;
	private readonly faults: Array<SmtpFault & { times: number; after: number }> = [];
	private readonly connectionNumbers = new Map<string, number>();
	private server: SMTPServer | undefined;
	private connectionCount = 0;
	private authCount = 0;
	private nextIdSms = 9_000_001;

	constructor(options: SmtpSandboxOptions = {}) {
		this.host = options.host ?? '127.0.0.1';
		if (!isLoopback(this.host)) {
			throw new Error(`The SMTP sandbox takes passwords without TLS, so it listens on loopback only, not on ${this.host}`);
		}
		this.port = options.port ?? 0;
		this.smtpUser = options.smtpUser ?? TargetSmsSmtpSandbox.DEFAULT_SMTP_USER;
		this.smtpPassword = options.smtpPassword ?? TargetSmsSmtpSandbox.DEFAULT_SMTP_PASSWORD;
		this.returnAddress = options.returnAddress ?? TargetSmsSmtpSandbox.DEFAULT_RETURN_ADDRESS;
		this.gatewayAddress = options.gatewayAddress ?? TargetSmsSmtpSandbox.DEFAULT_GATEWAY_ADDRESS;
		this.smsLogin = options.smsLogin ?? TargetSmsSmtpSandbox.DEFAULT_SMS_LOGIN;
		this.smsPassword = options.smsPassword ?? TargetSmsSmtpSandbox.DEFAULT_SMS_PASSWORD;
		this.onAcceptedSms = options.onAcceptedSms;
		this.offer8BitMime = options.offer8BitMime ?? true;
	}

	/** SMTP connections opened since the start or the last `reset()`. */
	get connections(): number {
		return this.connectionCount;
	}

	/** Successful logins since the start or the last `reset()`. */
	get logins(): number {
		return this.authCount;
	}

	/** Every accepted SMS, in order. */
	get sms(): Array<AcceptedSms & { idSms: number }> {
		return this.received.flatMap((email) => email.sms);
	}

	async start(): Promise<{ host: string; port: number }> {
		if (this.server) throw new Error('The SMTP sandbox is already started');
		const server = new SMTPServer({
			name: 'email2smsapi.sandbox',
			banner: SmtpSandboxTexts.greeting,
			// Loopback without TLS: no STARTTLS to offer (the real gateway's server would use TLS), so AUTH in clear
			// text is allowed here.
			disabledCommands: ['STARTTLS'],
			hide8BITMIME: !this.offer8BitMime,
			allowInsecureAuth: true,
			authMethods: ['PLAIN', 'LOGIN'],
			authRequiredMessage: SmtpSandboxTexts.authRequired,
			disableReverseLookup: true,
			size: MAX_MESSAGE_BYTES,
			logger: false,
			socketTimeout: 30_000,
			closeTimeout: 1_000,
			onConnect: (session, callback) => {
				this.connectionNumbers.set(session.id, ++this.connectionCount);
				callback();
			},
			onClose: (session) => {
				this.connectionNumbers.delete(session.id);
			},
			onAuth: (auth, session, callback) => this.authenticate(auth, session, callback),
			onMailFrom: (address, _session, callback) => callback(this.checkSender(address) ?? null),
			onRcptTo: (address, _session, callback) => callback(this.checkRecipient(address) ?? null),
			onData: (stream, session, callback) => {
				void this.receive(stream, session).then(
					(text) => (text === undefined ? undefined : callback(null, text)),
					(error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
				);
			},
		});
		server.on('error', (error) => this.errors.push(error.message));
		await new Promise<void>((resolve, reject) => {
			server.server.once('error', reject);
			server.listen(this.port, this.host, () => {
				server.server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		const { port } = server.server.address() as AddressInfo;
		return { host: this.host, port };
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		for (const connection of server.connections) connection._socket.destroy();
		await closed;
	}

	/** Empties `received`, the fault queue and the counters; the id sequence goes on. */
	reset(): void {
		this.received.length = 0;
		this.errors.length = 0;
		this.faults.length = 0;
		this.connectionCount = 0;
		this.authCount = 0;
	}

	/** Queues a failure for a later command of its kind (see {@link SmtpFaultKind}); first queued, first used. */
	failNext(fault: SmtpFault): void {
		this.faults.push({ ...fault, times: fault.times ?? 1, after: fault.after ?? 0 });
	}

	private takeFault(stage: Stage): SmtpFault | undefined {
		const index = this.faults.findIndex((fault) => STAGE[fault.kind] === stage);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		if (fault.after > 0) {
			fault.after--;
			return undefined;
		}
		if (--fault.times <= 0) this.faults.splice(index, 1);
		return fault;
	}

	private authenticate(
		auth: SMTPServerAuthentication,
		_session: SMTPServerSession,
		callback: (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
	): void {
		const fault = this.takeFault('auth');
		if (fault) return callback(reply(fault.text ?? SmtpSandboxTexts.authFailed, 535));
		if (auth.username !== this.smtpUser || auth.password !== this.smtpPassword) {
			return callback(reply(SmtpSandboxTexts.authFailed, 535));
		}
		this.authCount++;
		callback(null, { user: auth.username });
	}

	private checkSender(address: SMTPServerAddress): Error | undefined {
		if (address.address.toLowerCase() !== this.returnAddress.toLowerCase()) {
			return reply(SmtpSandboxTexts.senderNotRegistered(address.address), 550);
		}
		return undefined;
	}

	private checkRecipient(address: SMTPServerAddress): Error | undefined {
		const fault = this.takeFault('rcpt');
		if (fault) return reply(fault.text ?? SmtpSandboxTexts.recipientRefused, 550);
		if (address.address.toLowerCase() !== this.gatewayAddress.toLowerCase()) {
			return reply(SmtpSandboxTexts.unknownRecipient(address.address), 550);
		}
		return undefined;
	}

	/** Reads one email; resolves to the 250 reply text, or undefined when the connection was dropped instead. */
	private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string | undefined> {
		const chunks: Buffer[] = [];
		for await (const chunk of stream) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const email = await this.describe(raw, session);
		this.received.push(email);

		const fault = this.takeFault('data');
		if (fault?.kind === 'refuseMessage') return this.refuse(email, new EmailRefusal(fault.text ?? SmtpSandboxTexts.messageRefused));
		if (fault?.kind === 'drop') return this.drop(session);
		if (stream.sizeExceeded) return this.refuse(email, new EmailRefusal('Письмо слишком большое', 552));
		if (!this.offer8BitMime && raw.some((byte) => byte >= 0x80)) {
			return this.refuse(email, new EmailRefusal(SmtpSandboxTexts.eightBitNotOffered, 554));
		}
		try {
			this.process(email);
		} catch (error) {
			if (error instanceof EmailRefusal) return this.refuse(email, error);
			throw error;
		}
		const text = SmtpSandboxTexts.accepted(email.sms.map((sms) => sms.idSms));
		email.accepted = true;
		if (fault?.kind === 'dropAfterProcessing') return this.drop(session);
		email.reply = `250 ${text}`;
		return text;
	}

	private refuse(email: ReceivedEmail, refusal: EmailRefusal): never {
		email.reply = `${refusal.responseCode} ${refusal.message}`;
		throw reply(refusal.message, refusal.responseCode);
	}

	private drop(session: SMTPServerSession): undefined {
		for (const connection of this.server?.connections ?? []) {
			if (connection.session.id === session.id) connection._socket.destroy();
		}
		return undefined;
	}

	/** Everything the sandbox can read from the message; checks nothing yet. */
	private async describe(raw: Buffer, session: SMTPServerSession): Promise<ReceivedEmail> {
		const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
		const { header } = splitMessage(raw);
		const headerLines = header
			.toString('latin1')
			.replace(/\r\n(?=[ \t])/g, '')
			.split('\r\n')
			.filter((line) => line !== '')
			.map((line) => ({ key: line.slice(0, Math.max(line.indexOf(':'), 0)).trim().toLowerCase(), line }));
		const headerValue = (key: string) => {
			const line = headerLines.find((entry) => entry.key === key)?.line;
			return line === undefined ? '' : line.slice(line.indexOf(':') + 1).trim();
		};
		const { envelope } = session;
		return {
			connection: this.connectionNumbers.get(session.id) ?? 0,
			user: typeof session.user === 'string' ? session.user : '',
			mailFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
			mailFromBody: bodyParameter(envelope.mailFrom ? envelope.mailFrom.args : undefined),
			rcptTo: envelope.rcptTo.map((address) => address.address),
			raw,
			headerLines,
			headers: parsed.headers,
			contentType: headerValue('content-type'),
			transferEncoding: (headerValue('content-transfer-encoding') || '7bit').toLowerCase(),
			bodyBytes: Buffer.alloc(0),
			body: '',
			sms: [],
			accepted: false,
			reply: '',
			receivedAt: new Date(),
		};
	}

	/** The gateway's checks, in order; throws {@link EmailRefusal}. Records the SMS of an accepted email. */
	private process(email: ReceivedEmail): void {
		const from = email.headers.get('from') as AddressObject | undefined;
		const fromAddress = from?.value[0]?.address ?? '';
		if (fromAddress.toLowerCase() !== this.returnAddress.toLowerCase()) {
			throw new EmailRefusal(SmtpSandboxTexts.fromHeaderMismatch(fromAddress));
		}
		const contentType = email.headers.get('content-type') as StructuredHeader | undefined;
		const type = (contentType?.value ?? 'text/plain').toLowerCase();
		if (type !== 'text/plain') throw new EmailRefusal(SmtpSandboxTexts.notPlainText(type));
		const charset = (contentType?.params.charset ?? '').toLowerCase();
		if (charset !== 'windows-1251') throw new EmailRefusal(SmtpSandboxTexts.wrongCharset(charset));

		email.bodyBytes = decodeTransferEncoding(splitMessage(email.raw).body, email.transferEncoding);
		email.body = decodeWindows1251Strictly(email.bodyBytes);
		const template = parseTemplate(email.body, { login: this.smsLogin, password: this.smsPassword });
		email.template = template;
		email.sms = template.phones.map((phone) => {
			const sms = { phone, sender: template.sourceAddress, text: template.text };
			return { ...sms, idSms: this.onAcceptedSms ? this.onAcceptedSms(sms) : this.nextIdSms++ };
		});
	}
}

function bodyParameter(args: unknown): string {
	const body = typeof args === 'object' && args !== null ? (args as Record<string, unknown>).BODY : undefined;
	return typeof body === 'string' ? body.toUpperCase() : '';
}

function isLoopback(host: string): boolean {
	if (host === 'localhost') return true;
	if (isIP(host) === 4) return host.startsWith('127.');
	return host === '::1';
}
