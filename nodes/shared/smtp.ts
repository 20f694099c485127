import { isIP } from 'node:net';

import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { createTransport } from 'nodemailer';
import type { SMTPPoolOptions, SMTPTransportOptions } from 'nodemailer';

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
	transferEncoding: 'quoted-printable' | 'base64';
}

export interface SentEmail {
	/** The Message-ID header of the email, `<…>`. */
	messageId: string;
	accepted: string[];
	rejected: string[];
	/** The server's last reply (to the end of DATA). */
	response: string;
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
 * Runs `use` with a session that sends through one pooled SMTP connection (`maxConnections: 1`), opened at the
 * first email and closed when `use` ends, whatever happens. Every failure is returned, never thrown.
 */
export async function withSmtpSession<T>(
	settings: SmtpSettings,
	secrets: readonly string[],
	use: (session: SmtpSession) => Promise<T>,
): Promise<T> {
	const redact = smtpRedactor(settings, secrets);
	let transporter: ReturnType<typeof createPool> | undefined;
	const session: SmtpSession = {
		async send(email) {
			transporter ??= createPool(settings);
			try {
				const info = await transporter.sendMail({
					from: { name: '', address: email.from },
					to: { name: '', address: email.to },
					envelope: { from: email.from, to: [email.to] },
					subject: email.subject,
					alternatives: [
						{ contentType: email.contentType, content: email.body, contentTransferEncoding: email.transferEncoding },
					],
					disableFileAccess: true,
					disableUrlAccess: true,
				});
				return {
					ok: true,
					value: {
						messageId: String(info.messageId ?? ''),
						accepted: addresses(info.accepted),
						rejected: addresses(info.rejected),
						response: redact(String(info.response ?? '')),
					},
				};
			} catch (error) {
				return { ok: false, failure: describeSmtpFailure(error, settings, redact, 'send') };
			}
		},
	};
	try {
		return await use(session);
	} finally {
		transporter?.close();
	}
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

function createPool(settings: SmtpSettings) {
	const options: SMTPPoolOptions & { pool: true } = {
		...transportOptions(settings),
		pool: true,
		maxConnections: 1,
		// One connection for the whole run, however many emails it sends (nodemailer's default replaces it after 100).
		maxMessages: Infinity,
	};
	const transporter = createTransport(options);
	// Failures reach the caller through sendMail; without a listener an 'error' event would end the process.
	transporter.on('error', () => undefined);
	return transporter;
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
