import { isIP } from 'node:net';

import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { createTransport } from 'nodemailer';
import type { SMTPConnectionAuth, SMTPTransportOptions } from 'nodemailer';
import MimeNode from 'nodemailer/lib/mime-node';
import { encode as encodeQuotedPrintable, wrap as wrapQuotedPrintable } from 'nodemailer/lib/qp';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

import { redactor } from './redaction';

/**
 * The one place that speaks SMTP (through nodemailer) and maps its failures to words safe to show.
 * TLS certificates are always verified: nothing here sets `rejectUnauthorized` or other TLS options.
 */

export interface SmtpSettings {
	host: string;
	port: number;
	/** TLS from the first byte (port 465). Without it the connection is upgraded with STARTTLS, see {@link transportOptions}. */
	secure: boolean;
	/** Empty: no AUTH. */
	user: string;
	password: string;
}

export interface OutgoingEmail {
	/** Bare addresses: the From and To headers and the envelope. */
	from: string;
	to: string;
	subject: string;
	/** The body's bytes, already in its charset. */
	body: Buffer;
	/** E.g. `text/plain; charset=windows-1251`; sent as given. */
	contentType: string;
	/**
	 * The body's Content-Transfer-Encoding. With `eightBitWhereOffered`, the body's bytes go out as they are (`8bit`,
	 * `BODY=8BITMIME` on MAIL FROM) where the server offers 8BITMIME and no line is longer than SMTP allows (998
	 * bytes); otherwise, and always without it, as `fallback`.
	 */
	transferEncoding: { eightBitWhereOffered: boolean; fallback: 'quoted-printable' | 'base64' };
}

export interface SentEmail {
	/** The Message-ID header of the email, `<…>`. */
	messageId: string;
	accepted: string[];
	rejected: string[];
	/** The server's last reply (to the end of DATA). */
	response: string;
	/** The Content-Transfer-Encoding the body went out in. */
	transferEncoding: '8bit' | 'quoted-printable' | 'base64';
}

/** Why an email or the session failed, in words safe to show: the server's own reply where it gave one, secrets removed. */
export interface SmtpFailure {
	message: string;
	description: string;
	/**
	 * `refused`: the server refused this email (its addresses or its content), the session goes on.
	 * `auth`, `connection`, `other`: the session failed; later emails of the run would fail the same way.
	 */
	kind: 'refused' | 'auth' | 'connection' | 'other';
	/** The SMTP reply code, where the server answered. */
	responseCode?: number;
}

export type SmtpResult<T> = { ok: true; value: T } | { ok: false; failure: SmtpFailure };

export interface SmtpSession {
	send(email: OutgoingEmail): Promise<SmtpResult<SentEmail>>;
}

const CONNECTION_TIMEOUT_MS = 30_000;
const GREETING_TIMEOUT_MS = 30_000;
const SOCKET_TIMEOUT_MS = 120_000;

/**
 * Runs `use` with a session that sends every email over one SMTP connection, opened (and logged in) at the first
 * email and closed when `use` ends, whatever happens. Every failure is returned, never thrown.
 *
 * The connection is nodemailer's own SMTPConnection (`nodemailer/lib/smtp-connection`, public), driven here rather
 * than through a transport because the body's encoding depends on what the server offers in its EHLO reply, which a
 * transport only learns after the message is built. A server's refusal of one email (its address or its content)
 * resets the session (RSET) and the next email goes out on the same connection, as nodemailer's pool does; any other
 * failure closes it. A connection the server closed while idle is opened again for the next email.
 */
export async function withSmtpSession<T>(
	settings: SmtpSettings,
	secrets: readonly string[],
	use: (session: SmtpSession) => Promise<T>,
): Promise<T> {
	const redact = smtpRedactor(settings, secrets);
	let connection: OpenConnection | undefined;
	const session: SmtpSession = {
		async send(email) {
			try {
				if (connection?.closed) connection = undefined;
				connection ??= await openConnection(settings);
				const current = connection;
				const eightBit =
					email.transferEncoding.eightBitWhereOffered && current.extensions.has('8BITMIME') && linesFit8Bit(email.body);
				const transferEncoding = eightBit ? '8bit' : email.transferEncoding.fallback;
				const { message, messageId, envelope } = composeMessage(email, transferEncoding);
				try {
					const info = await current.send({ ...envelope, use8BitMime: eightBit }, message);
					return {
						ok: true,
						value: {
							messageId,
							accepted: addresses(info.accepted),
							rejected: addresses(info.rejected),
							response: redact(String(info.response ?? '')),
							transferEncoding,
						},
					};
				} catch (error) {
					await current.afterFailure(error);
					return { ok: false, failure: describeSmtpFailure(error, settings, redact, 'send') };
				}
			} catch (error) {
				return { ok: false, failure: describeSmtpFailure(error, settings, redact, 'send') };
			}
		},
	};
	try {
		return await use(session);
	} finally {
		connection?.quit();
	}
}

/**
 * The message: its header block built by nodemailer's MimeNode (addresses, Date, Message-ID, MIME-Version, the
 * Content-Type as given, the transfer encoding), then the body, encoded here. The node has no content of its own,
 * so MimeNode keeps the Content-Transfer-Encoding header as set: left to itself it would pick quoted-printable or
 * base64 for any text with 8-bit bytes, never `8bit`.
 */
function composeMessage(email: OutgoingEmail, transferEncoding: SentEmail['transferEncoding']) {
	const node = new MimeNode(email.contentType, { disableFileAccess: true, disableUrlAccess: true });
	node.setHeader({
		From: { name: '', address: email.from },
		To: { name: '', address: email.to },
		Subject: email.subject,
		'Content-Transfer-Encoding': transferEncoding,
	});
	const headers = node.buildHeaders();
	const body =
		transferEncoding === '8bit'
			? email.body
			: Buffer.from(
					transferEncoding === 'base64'
						? (email.body.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n') + '\r\n'
						: wrapQuotedPrintable(encodeQuotedPrintable(email.body), 76),
					'latin1',
				);
	const envelope = node.getEnvelope();
	return {
		message: Buffer.concat([Buffer.from(headers + '\r\n\r\n', 'latin1'), body]),
		messageId: node.messageId(),
		envelope: { from: envelope.from || email.from, to: envelope.to.length > 0 ? envelope.to : [email.to] },
	};
}

/** RFC 5322 §2.1.1: at most 998 bytes per line, CR LF excluded. */
const MAX_LINE_BYTES = 998;

function linesFit8Bit(body: Buffer): boolean {
	let lineStart = 0;
	for (let index = 0; index <= body.length; index++) {
		if (index === body.length || body[index] === 0x0a) {
			const end = index > lineStart && body[index - 1] === 0x0d ? index - 1 : index;
			if (end - lineStart > MAX_LINE_BYTES) return false;
			lineStart = index + 1;
		}
	}
	return true;
}

interface SmtpEnvelope {
	from: string;
	to: string[];
	use8BitMime: boolean;
}

interface SmtpSendInfo {
	accepted?: unknown;
	rejected?: unknown;
	response?: unknown;
}

interface OpenConnection {
	/** The EHLO extensions the server offered (upper case), e.g. `8BITMIME`, `PIPELINING`, `SIZE`. */
	extensions: ReadonlySet<string>;
	/** The server closed it or it failed: it takes no more emails. */
	readonly closed: boolean;
	send(envelope: SmtpEnvelope, message: Buffer): Promise<SmtpSendInfo>;
	/** After a failed send: RSET after a refusal of this email (the session goes on), else close. */
	afterFailure(error: unknown): Promise<void>;
	quit(): void;
}

/**
 * Connects (TLS from the start, or STARTTLS: see {@link transportOptions}), then logs in where the server offers
 * AUTH (as nodemailer's transports do), and reads the extensions of the server's last EHLO reply (the one after
 * STARTTLS).
 *
 * nodemailer internals relied on (nodemailer 10.6, `dist/cjs/smtp-connection/index.js`): SMTPConnection keeps the
 * extensions it recognised in the EHLO reply in the array `_supportedExtensions` (upper-case names: `8BITMIME`,
 * `SMTPUTF8`, `DSN`, `PIPELINING`, `SIZE`, `REQUIRETLS`), filled by `_parseEhloExtensions` before it emits
 * `connect` and never changed by login. Nothing else here is internal. Were that field renamed or gone, the set is
 * empty and emails go out in the fallback encoding, as before 8BITMIME was used: never 8-bit bytes to a server
 * that did not offer it.
 */
function openConnection(settings: SmtpSettings): Promise<OpenConnection> {
	const { auth, host, port, secure, requireTLS, connectionTimeout, greetingTimeout, socketTimeout } = transportOptions(settings);
	const smtp = new SMTPConnection({ host, port, secure, requireTLS, connectionTimeout, greetingTimeout, socketTimeout, logger: false, debug: false });
	let closed = false;
	/** The send in flight, failed when the connection ends under it. */
	let pending: ((error: Error) => void) | undefined;
	const ended = () => {
		closed = true;
		pending?.(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }));
	};
	const connection: OpenConnection = {
		extensions: new Set(),
		get closed() {
			return closed;
		},
		send(envelope, message) {
			return new Promise((resolve, reject) => {
				pending = reject;
				smtp.send(envelope, message, (error, info) => {
					pending = undefined;
					if (error) reject(error);
					else resolve(info as SmtpSendInfo);
				});
			});
		},
		async afterFailure(error) {
			const { code, responseCode } = (typeof error === 'object' && error !== null ? error : {}) as NodemailerFailure;
			if (!closed && typeof code === 'string' && REFUSAL_CODES.has(code) && responseCode !== 421) {
				const reset = await new Promise<boolean>((resolve) => smtp.reset((resetError) => resolve(!resetError)));
				if (reset) return;
			}
			closed = true;
			smtp.close();
		},
		quit() {
			// QUIT only on a connection still open; a closed one is only released.
			if (closed) smtp.close();
			else smtp.quit();
			closed = true;
		},
	};
	return new Promise((resolve, reject) => {
		let settled = false;
		const fail = (error: unknown) => {
			closed = true;
			if (settled) return;
			settled = true;
			smtp.close();
			reject(error);
		};
		// Stays for the connection's life: an 'error' without a listener would end the process. During a send the
		// send's callback reports the same error.
		smtp.on('error', (error: Error) => {
			closed = true;
			fail(error);
		});
		smtp.once('end', () => {
			ended();
			fail(Object.assign(new Error('Connection closed before the SMTP session started'), { code: 'ECONNECTION' }));
		});
		smtp.connect((connectError?: Error | null) => {
			if (connectError) return fail(connectError);
			const ready = () => {
				if (settled) return;
				settled = true;
				connection.extensions = new Set(supportedExtensions(smtp));
				resolve(connection);
			};
			if (auth && smtp.allowsAuth) {
				smtp.login(auth as SMTPConnectionAuth, (loginError) => (loginError ? fail(loginError) : ready()));
			} else {
				ready();
			}
		});
	});
}

/** See {@link openConnection}: the one nodemailer internal used. */
function supportedExtensions(smtp: SMTPConnection): string[] {
	const value: unknown = (smtp as unknown as { _supportedExtensions?: unknown })._supportedExtensions;
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string').map((entry) => entry.toUpperCase()) : [];
}

/** Connects, upgrades to TLS where configured, authenticates and quits (nodemailer's verify). Sends nothing. */
export async function verifySmtpLogin(settings: SmtpSettings, secrets: readonly string[]): Promise<SmtpResult<true>> {
	const redact = smtpRedactor(settings, secrets);
	const transporter = createTransport(transportOptions(settings));
	transporter.on('error', () => undefined);
	try {
		await transporter.verify();
		return { ok: true, value: true };
	} catch (error) {
		return { ok: false, failure: describeSmtpFailure(error, settings, redact, 'verify') };
	} finally {
		transporter.close();
	}
}

/** A {@link SmtpFailure} as n8n's error for the node. */
export function toSmtpNodeApiError(
	node: INode,
	failure: SmtpFailure,
	options: { itemIndex?: number; extraDescription?: string; secrets: readonly string[] },
): NodeApiError {
	const redact = redactor(options.secrets);
	const description = [failure.description, options.extraDescription ?? ''].filter((part) => part !== '').join('\n\n');
	return new NodeApiError(node, { message: failure.message } as JsonObject, {
		message: redact(failure.message),
		description: redact(description) || undefined,
		itemIndex: options.itemIndex,
	});
}

/**
 * `secure`: TLS from the start. Otherwise STARTTLS is used when the server offers it, and required (the
 * password never goes out in clear text) unless the server is on this machine (a local relay or the sandbox).
 */
function transportOptions(settings: SmtpSettings): SMTPTransportOptions {
	return {
		host: settings.host,
		port: settings.port,
		secure: settings.secure,
		requireTLS: !settings.secure && !isLoopback(settings.host),
		auth: settings.user !== '' ? { user: settings.user, pass: settings.password } : undefined,
		connectionTimeout: CONNECTION_TIMEOUT_MS,
		greetingTimeout: GREETING_TIMEOUT_MS,
		socketTimeout: SOCKET_TIMEOUT_MS,
		disableFileAccess: true,
		disableUrlAccess: true,
		logger: false,
		debug: false,
	};
}

export function isLoopback(host: string): boolean {
	const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
	if (name === 'localhost' || name.endsWith('.localhost')) return true;
	if (isIP(name) === 4) return name.startsWith('127.');
	if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1';
	return false;
}

/** Also hides the password as AUTH LOGIN and AUTH PLAIN send it (base64), should a server echo it back. */
function smtpRedactor(settings: SmtpSettings, secrets: readonly string[]): (text: string) => string {
	const encoded = settings.password
		? [
				Buffer.from(settings.password, 'utf8').toString('base64'),
				Buffer.from(`\u0000${settings.user}\u0000${settings.password}`, 'utf8').toString('base64'),
			]
		: [];
	return redactor([...secrets, settings.password, ...encoded]);
}

interface NodemailerFailure {
	message?: unknown;
	code?: unknown;
	response?: unknown;
	responseCode?: unknown;
	syscall?: unknown;
}

const REFUSAL_CODES = new Set(['EENVELOPE', 'EMESSAGE']);
const AUTH_CODES = new Set(['EAUTH', 'ENOAUTH']);
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY']);

export function describeSmtpFailure(
	error: unknown,
	settings: SmtpSettings,
	redact: (text: string) => string,
	during: 'send' | 'verify',
): SmtpFailure {
	const failure = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as NodemailerFailure;
	const code = typeof failure.code === 'string' ? failure.code : '';
	const reply = typeof failure.response === 'string' ? failure.response.trim() : '';
	const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
	const detail = String(failure.message ?? 'unknown error');
	const server = `${settings.host}:${settings.port}`;
	const words = reply || detail;
	let result: SmtpFailure;
	if (AUTH_CODES.has(code)) {
		result = {
			kind: 'auth',
			message: reply ? `The SMTP server refused the login: ${reply}` : `Could not log in to the SMTP server: ${detail}`,
			description: `Check the SMTP User and SMTP Password of the credential for ${server}.`,
		};
	} else if (REFUSAL_CODES.has(code)) {
		const what = code === 'EENVELOPE' ? 'the sender or recipient address' : 'the email';
		result = {
			kind: 'refused',
			message: `The SMTP server refused ${what}: ${words}`,
			description:
				code === 'EENVELOPE'
					? 'The From address must be the return address registered with TargetSMS, and the Gateway Address the Email2SMS address.'
					: '',
		};
	} else if (CONNECTION_CODES.has(code)) {
		// The code stays out of the message: n8n would replace a message naming one with its generic text.
		result = {
			kind: 'connection',
			message:
				code === 'ETLS'
					? `Could not set up a secure connection with the SMTP server at ${server}`
					: `Could not get an answer from the SMTP server at ${server}`,
			description:
				`${detail.replace(/\.$/, '')}${code && !detail.includes(code) ? ` (${code})` : ''}.` +
				(during === 'send' && ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET'].includes(code) && failure.syscall !== 'connect'
					? ' If the connection broke while the email was on its way, the email may or may not have reached the gateway.'
					: ''),
		};
	} else {
		result = { kind: 'other', message: `The SMTP server could not take the email: ${words}`, description: '' };
	}
	return {
		...result,
		message: redact(result.message),
		description: redact(result.description),
		...(responseCode !== undefined ? { responseCode } : {}),
	};
}

function addresses(list: unknown): string[] {
	if (!Array.isArray(list)) return [];
	return list.map((entry) => (typeof entry === 'string' ? entry : String((entry as { address?: unknown }).address ?? entry)));
}
