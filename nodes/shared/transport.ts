import type {
	ICredentialTestFunctions,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { ProviderRefusalError, UnexpectedResponseError } from './protocol/errors';
import { redactor } from './redaction';

export interface HttpRequest {
	url: string;
	body: string;
	contentType: string;
}

export interface HttpReply {
	statusCode: number;
	/** Header names in lower case. */
	headers: Record<string, string | undefined>;
	body: string;
}

/**
 * Performs one POST and reads its whole reply; the only place that touches the network. It never follows a
 * redirect, stops reading past {@link MAX_REPLY_BYTES} and gives up when `signal` aborts.
 */
export type HttpPost = (request: HttpRequest, signal: AbortSignal) => Promise<HttpReply>;

/** Replies are refused past this size, without reading further. */
export const MAX_REPLY_BYTES = 32 * 1024 * 1024;

/**
 * How long an attempt may take and how long to wait between attempts. Fixed in use; the module's own tests shorten
 * it through {@link setTransportTimingForTests}.
 */
export interface TransportTiming {
	/** Each attempt fails this long after it started, however slowly the reply trickles in. */
	attemptDeadlineMs: number;
	/** The jittered wait before the 2nd and 3rd attempts: [min, max] in ms. */
	backoffMs: ReadonlyArray<readonly [number, number]>;
	/** A `Retry-After` up to this long is waited for; a longer one ends the retries. */
	maxRetryAfterMs: number;
}

export const DEFAULT_TRANSPORT_TIMING: TransportTiming = Object.freeze({
	attemptDeadlineMs: 120_000,
	backoffMs: [
		[500, 3_000],
		[1_000, 5_000],
	] as const,
	maxRetryAfterMs: 30_000,
});

let timing: TransportTiming = DEFAULT_TRANSPORT_TIMING;

/** Test-only: shortens deadlines and waits; `undefined` restores the defaults. */
export function setTransportTimingForTests(override: Partial<TransportTiming> | undefined): void {
	timing = override === undefined ? DEFAULT_TRANSPORT_TIMING : { ...DEFAULT_TRANSPORT_TIMING, ...override };
}

/**
 * Which failures a request may be sent again after.
 * - `deduplicated`: the provider never acts twice on it (an SMS send with its client_id_message, a status or account
 *   read): network failures, timeouts and HTTP 429, 500, 502, 503, 504 are retried.
 * - `notDeduplicated`: the provider would act twice (email, OTP): only what it cannot have processed is retried — a
 *   name that did not resolve, a refused connection, HTTP 429.
 */
export type RetryPolicy = 'deduplicated' | 'notDeduplicated';

export interface ProviderCall<T> {
	url: string;
	body: string;
	contentType: string;
	parse: (body: string) => T;
	/** Values that must never reach an error text (the credential's passwords). */
	secrets: readonly string[];
	retry: RetryPolicy;
}

/** Why a call failed, in words safe to show: the provider's own text where it gave one, secrets removed. */
export interface ProviderFailure {
	message: string;
	description: string;
	kind: 'refused' | 'http' | 'unexpected' | 'network' | 'timeout' | 'redirect' | 'tooLarge';
	httpCode?: number;
	/**
	 * False only when the provider certainly did not act on the request: it could not have reached it (the name did not
	 * resolve, the connection was refused), or it reached it and was turned away unprocessed (a refusal, HTTP 429).
	 */
	mayHaveBeenProcessed: boolean;
	attempts: number;
}

export type ProviderResult<T> = { ok: true; value: T } | { ok: false; failure: ProviderFailure };

export interface Transport {
	call<T>(call: ProviderCall<T>): Promise<ProviderResult<T>>;
}

export interface TransportSettings {
	/** Whether transient failures are retried (the nodes' Automatic Retries option). */
	automaticRetries: boolean;
	/** Aborts waiting and requests when the execution is cancelled. */
	cancelSignal?: AbortSignal;
}

/** The transport of a node run; its Automatic Retries option (on unless switched off) is read from the first item. */
export function transportFor(context: IExecuteFunctions): Transport {
	const automaticRetries = context.getNodeParameter('options.automaticRetries', 0, true) !== false;
	return createTransport(postThrough((options) => context.helpers.httpRequest(options)), {
		automaticRetries,
		cancelSignal: context.getExecutionCancelSignal(),
	});
}

/**
 * The transport outside a node's execution — a trigger's hook, webhook or poll, or a list the editor asks a node for
 * (no node options, no cancel signal): the same retries, deadline, size cap, redirect refusal and redaction as every
 * node's.
 */
export function transportOutsideExecution(
	context: IHookFunctions | IPollFunctions | IWebhookFunctions | ILoadOptionsFunctions,
): Transport {
	return createTransport(postThrough((options) => context.helpers.httpRequest(options)), { automaticRetries: true });
}

/** The transport of a credential test, under the same rules (its HTTP helper has no abort signal). */
export function transportForCredentialTest(context: ICredentialTestFunctions): Transport {
	return createTransport(postFromCredentialTest(context), { automaticRetries: true });
}

export function createTransport(post: HttpPost, settings: TransportSettings): Transport {
	return { call: (call) => callProvider(post, call, settings) };
}

/** POST through one of n8n's `helpers.httpRequest`. */
function postThrough(httpRequest: (options: IHttpRequestOptions) => Promise<unknown>): HttpPost {
	return async (request, signal) => {
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: request.url,
			body: request.body,
			headers: { 'Content-Type': request.contentType },
			json: false,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: timing.attemptDeadlineMs,
			abortSignal: signal,
		};
		const response = (await httpRequest(options)) as RawResponse;
		return await readReply(response, signal);
	};
}

function postFromCredentialTest(context: ICredentialTestFunctions): HttpPost {
	return async (request, signal) => {
		const pending = context.helpers.request({
			method: 'POST',
			uri: request.url,
			body: request.body,
			headers: { 'Content-Type': request.contentType },
			json: false,
			simple: false,
			resolveWithFullResponse: true,
			followRedirect: false,
			followAllRedirects: false,
			useStream: true,
			timeout: timing.attemptDeadlineMs,
		}) as Promise<RawResponse>;
		// This helper takes no abort signal: the deadline stops the waiting, and the reading below.
		const response = await Promise.race([pending, aborted(signal)]);
		return await readReply(response, signal);
	};
}

interface RawResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

function aborted(signal: AbortSignal): Promise<never> {
	return new Promise((_resolve, reject) => {
		const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
		if (signal.aborted) fail();
		else signal.addEventListener('abort', fail, { once: true });
	});
}

class ReplyTooLargeError extends Error {
	constructor(readonly bytes: number | undefined) {
		super(`The reply is larger than ${MAX_REPLY_BYTES / 1024 / 1024} MB`);
	}
}

interface ReadableBody extends AsyncIterable<unknown> {
	destroy(error?: Error): void;
}

function isReadable(body: unknown): body is ReadableBody {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as ReadableBody)[Symbol.asyncIterator] === 'function' &&
		typeof (body as ReadableBody).destroy === 'function'
	);
}

async function readReply(response: RawResponse, signal: AbortSignal): Promise<HttpReply> {
	const headers = headerMap(response.headers);
	const declared = Number(headers['content-length']);
	const { body } = response;
	if (Number.isFinite(declared) && declared > MAX_REPLY_BYTES) {
		if (isReadable(body)) body.destroy();
		throw new ReplyTooLargeError(declared);
	}
	return { statusCode: response.statusCode, headers, body: await bodyText(body, signal) };
}

async function bodyText(body: unknown, signal: AbortSignal): Promise<string> {
	if (typeof body === 'string') return checkedSize(Buffer.from(body)).toString('utf8');
	if (Buffer.isBuffer(body)) return checkedSize(body).toString('utf8');
	if (body === undefined || body === null) return '';
	if (!isReadable(body)) return JSON.stringify(body);
	const stop = () => body.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
	signal.addEventListener('abort', stop, { once: true });
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			size += bytes.length;
			if (size > MAX_REPLY_BYTES) {
				body.destroy();
				throw new ReplyTooLargeError(undefined);
			}
			chunks.push(bytes);
		}
	} finally {
		signal.removeEventListener('abort', stop);
	}
	if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
	return Buffer.concat(chunks).toString('utf8');
}

function checkedSize(bytes: Buffer): Buffer {
	if (bytes.length > MAX_REPLY_BYTES) throw new ReplyTooLargeError(bytes.length);
	return bytes;
}

function headerMap(headers: Record<string, unknown> | undefined): Record<string, string | undefined> {
	const map: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		map[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : value === undefined ? undefined : String(value);
	}
	return map;
}

const ATTEMPTS = 3;
const BODY_EXCERPT_LENGTH = 500;
/** Error codes of a request that cannot have reached the server. */
const UNREACHED_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED']);
const RETRIED_HTTP_STATUSES = new Set([429, 500, 502, 503, 504]);

/** One failed attempt, before its words are chosen. */
type AttemptFailure =
	| { type: 'unreached'; reason: string }
	| { type: 'network'; reason: string }
	| { type: 'timeout' }
	| { type: 'tooLarge' }
	| { type: 'http'; reply: HttpReply }
	| { type: 'cancelled' };

/** POST, retrying transient failures as the policy allows, then parse; every way of failing is returned, never thrown. */
export async function callProvider<T>(
	post: HttpPost,
	call: ProviderCall<T>,
	settings: TransportSettings,
): Promise<ProviderResult<T>> {
	const redact = redactor(call.secrets);
	// Secrets go before any cut: an excerpt could otherwise end inside one and show its start.
	const fail = (failure: ProviderFailure): ProviderResult<T> => ({
		ok: false,
		failure: { ...failure, message: redact(failure.message), description: redact(failure.description) },
	});
	const quote = (body: string) => excerpt(redact(body));
	const maxAttempts = settings.automaticRetries ? ATTEMPTS : 1;
	for (let attempt = 1; ; attempt++) {
		const outcome = await attemptOnce(post, call, settings.cancelSignal);
		if ('reply' in outcome) {
			return parseReply(outcome.reply, call, attempt, fail, quote);
		}
		const { failure } = outcome;
		const wait = attempt < maxAttempts ? retryWait(failure, call.retry, attempt) : undefined;
		if (wait === undefined || settings.cancelSignal?.aborted) {
			return fail(describeFailure(failure, call.url, attempt, call.retry, quote));
		}
		await pause(wait, settings.cancelSignal);
	}
}

async function attemptOnce<T>(
	post: HttpPost,
	call: ProviderCall<T>,
	cancelSignal: AbortSignal | undefined,
): Promise<{ reply: HttpReply } | { failure: AttemptFailure }> {
	const deadline = AbortSignal.timeout(timing.attemptDeadlineMs);
	// Aborted when the attempt fails, so that its connection is closed rather than left waiting to be read.
	const attempt = new AbortController();
	const signal = AbortSignal.any(cancelSignal ? [deadline, attempt.signal, cancelSignal] : [deadline, attempt.signal]);
	let reply: HttpReply;
	try {
		reply = await post({ url: call.url, body: call.body, contentType: call.contentType }, signal);
	} catch (error) {
		attempt.abort();
		if (error instanceof ReplyTooLargeError) return { failure: { type: 'tooLarge' } };
		if (cancelSignal?.aborted) return { failure: { type: 'cancelled' } };
		if (deadline.aborted) return { failure: { type: 'timeout' } };
		const code = errorCode(error);
		if (code !== undefined && UNREACHED_CODES.has(code)) return { failure: { type: 'unreached', reason: networkReason(error) } };
		if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return { failure: { type: 'timeout' } };
		return { failure: { type: 'network', reason: networkReason(error) } };
	}
	if (reply.statusCode >= 200 && reply.statusCode < 300) return { reply };
	return { failure: { type: 'http', reply } };
}

/** How long to wait before trying again, or undefined when this failure is not retried. */
function retryWait(failure: AttemptFailure, policy: RetryPolicy, attempt: number): number | undefined {
	const transient = isTransient(failure, policy);
	if (!transient) return undefined;
	const [min, max] = timing.backoffMs[Math.min(attempt - 1, timing.backoffMs.length - 1)];
	const jittered = min + Math.random() * (max - min);
	if (failure.type !== 'http') return jittered;
	const retryAfter = retryAfterMs(failure.reply.headers['retry-after']);
	if (retryAfter === undefined) return jittered;
	return retryAfter <= timing.maxRetryAfterMs ? Math.max(retryAfter, min) : undefined;
}

function isTransient(failure: AttemptFailure, policy: RetryPolicy): boolean {
	switch (failure.type) {
		case 'unreached':
			return true;
		case 'network':
		case 'timeout':
			return policy === 'deduplicated';
		case 'http':
			return failure.reply.statusCode === 429 || (policy === 'deduplicated' && RETRIED_HTTP_STATUSES.has(failure.reply.statusCode));
		default:
			return false;
	}
}

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfterMs(header: string | undefined): number | undefined {
	if (header === undefined || header.trim() === '') return undefined;
	const text = header.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

async function pause(ms: number, cancelSignal: AbortSignal | undefined): Promise<void> {
	if (!cancelSignal) return await sleep(ms);
	await Promise.race([sleep(ms), aborted(cancelSignal).catch(() => undefined)]);
}

function parseReply<T>(
	reply: HttpReply,
	call: ProviderCall<T>,
	attempts: number,
	fail: (failure: ProviderFailure) => ProviderResult<T>,
	quote: (body: string) => string,
): ProviderResult<T> {
	try {
		return { ok: true, value: call.parse(reply.body) };
	} catch (error) {
		if (error instanceof ProviderRefusalError) {
			return fail({
				message: `TargetSMS refused the request: ${error.providerText}`,
				description: '',
				kind: 'refused',
				mayHaveBeenProcessed: false,
				attempts,
			});
		}
		return fail({
			message: `TargetSMS sent an unexpected reply: ${error instanceof Error ? error.message : String(error)}`,
			description: joinSentences(
				quote(error instanceof UnexpectedResponseError ? error.body : reply.body),
				MAY_HAVE_REACHED,
			),
			kind: 'unexpected',
			mayHaveBeenProcessed: true,
			attempts,
		});
	}
}

const COULD_NOT_HAVE_REACHED = 'The request could not have reached TargetSMS: nothing was sent.';
const MAY_HAVE_REACHED = 'The request may have reached TargetSMS, which may have acted on it.';
const NOT_PROCESSED = 'The request reached TargetSMS, which turned it away without acting on it.';

function describeFailure(
	failure: AttemptFailure,
	url: string,
	attempts: number,
	policy: RetryPolicy,
	quote: (body: string) => string,
): ProviderFailure {
	const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
	switch (failure.type) {
		case 'unreached':
			// The network code stays out of the message: n8n would replace a message naming one with its generic text.
			return {
				message: `Could not reach TargetSMS at ${url}${tries}`,
				description: joinSentences(`${failure.reason}.`, COULD_NOT_HAVE_REACHED),
				kind: 'network',
				mayHaveBeenProcessed: false,
				attempts,
			};
		case 'network':
			return {
				message: `The connection to TargetSMS at ${url} failed before its answer${tries}`,
				description: joinSentences(`${failure.reason}.`, MAY_HAVE_REACHED, notRetried(policy)),
				kind: 'network',
				mayHaveBeenProcessed: true,
				attempts,
			};
		case 'cancelled':
			return {
				message: `The execution was cancelled while waiting for TargetSMS at ${url}`,
				description: MAY_HAVE_REACHED,
				kind: 'network',
				mayHaveBeenProcessed: true,
				attempts,
			};
		case 'timeout':
			return {
				message: `TargetSMS at ${url} did not answer within ${Math.round(timing.attemptDeadlineMs / 1000)} s${tries}`,
				description: joinSentences(MAY_HAVE_REACHED, notRetried(policy)),
				kind: 'timeout',
				mayHaveBeenProcessed: true,
				attempts,
			};
		case 'tooLarge':
			return {
				message: `TargetSMS sent a reply larger than ${MAX_REPLY_BYTES / 1024 / 1024} MB; it was not read`,
				description: MAY_HAVE_REACHED,
				kind: 'tooLarge',
				mayHaveBeenProcessed: true,
				attempts,
			};
		case 'http':
			return describeHttpFailure(failure.reply, { attempts, tries, policy, quote });
	}
}

function describeHttpFailure(
	reply: HttpReply,
	{ attempts, tries, policy, quote }: { attempts: number; tries: string; policy: RetryPolicy; quote: (body: string) => string },
): ProviderFailure {
	const { statusCode } = reply;
	if (statusCode >= 300 && statusCode < 400) {
		const location = reply.headers.location ?? '(no Location)';
		return {
			message: `TargetSMS answered with a redirect (HTTP ${statusCode}) to ${location}`,
			description: joinSentences(
				'Redirects are never followed: the request carries the account password, so it was not sent to the other address. Check the base URL in the credential.',
				MAY_HAVE_REACHED,
			),
			kind: 'redirect',
			httpCode: statusCode,
			mayHaveBeenProcessed: true,
			attempts,
		};
	}
	const retryAfter = reply.headers['retry-after'];
	return {
		message: `TargetSMS answered HTTP ${statusCode}${tries}`,
		description: joinSentences(
			quote(reply.body),
			statusCode === 429 ? NOT_PROCESSED : MAY_HAVE_REACHED,
			statusCode === 429 && retryAfter ? `TargetSMS asks to wait ${retryAfter} s before trying again.` : '',
			statusCode !== 429 && RETRIED_HTTP_STATUSES.has(statusCode) ? notRetried(policy) : '',
		),
		kind: 'http',
		httpCode: statusCode,
		mayHaveBeenProcessed: statusCode !== 429,
		attempts,
	};
}

function notRetried(policy: RetryPolicy): string {
	return policy === 'notDeduplicated'
		? 'It was not sent again automatically, since TargetSMS does not recognise a repeated request of this kind.'
		: '';
}

function joinSentences(...parts: string[]): string {
	return parts.filter((part) => part !== '').join(' ');
}

/** A {@link ProviderFailure} as n8n's error for the node, with whatever the caller adds to its description. */
export function toNodeApiError(
	node: INode,
	error: ProviderFailure,
	options: { itemIndex?: number; extraDescription?: string; secrets: readonly string[] },
): NodeApiError {
	const redact = redactor(options.secrets);
	const description = [error.description, options.extraDescription ?? ''].filter((part) => part !== '').join('\n\n');
	const message = redact(error.message);
	return new NodeApiError(node, { message } as JsonObject, {
		message,
		description: redact(description) || undefined,
		httpCode: error.httpCode !== undefined ? String(error.httpCode) : undefined,
		itemIndex: options.itemIndex,
	});
}

function excerpt(body: string): string {
	const trimmed = body.trim();
	return trimmed.length > BODY_EXCERPT_LENGTH ? trimmed.slice(0, BODY_EXCERPT_LENGTH) + '…' : trimmed;
}

function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== 'ERR_BAD_RESPONSE' && code !== 'ERR_BAD_REQUEST') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function networkReason(error: unknown): string {
	if (error instanceof Error) {
		const code = errorCode(error);
		return code !== undefined && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
	}
	return String(error);
}
