import type {
	ICredentialTestFunctions,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ProviderRefusalError, UnexpectedResponseError } from './protocol/errors';

export interface HttpReply {
	statusCode: number;
	body: string;
}

/** Performs one POST; the only place that touches the network. */
export type HttpPost = (url: string, body: string, contentType: string) => Promise<HttpReply>;

const REQUEST_TIMEOUT_MS = 120_000;
const BODY_EXCERPT_LENGTH = 500;

export function postFromExecution(context: IExecuteFunctions): HttpPost {
	return async (url, body, contentType) => {
		const options: IHttpRequestOptions = {
			method: 'POST',
			url,
			body,
			headers: { 'Content-Type': contentType },
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: REQUEST_TIMEOUT_MS,
		};
		const response = (await context.helpers.httpRequest(options)) as { statusCode: number; body: unknown };
		return { statusCode: response.statusCode, body: bodyText(response.body) };
	};
}

export function postFromCredentialTest(context: ICredentialTestFunctions): HttpPost {
	return async (url, body, contentType) => {
		const response = (await context.helpers.request({
			method: 'POST',
			uri: url,
			body,
			headers: { 'Content-Type': contentType },
			json: false,
			simple: false,
			resolveWithFullResponse: true,
			timeout: REQUEST_TIMEOUT_MS,
		})) as { statusCode: number; body: unknown };
		return { statusCode: response.statusCode, body: bodyText(response.body) };
	};
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}

export interface ProviderCall<T> {
	url: string;
	body: string;
	contentType: string;
	parse: (body: string) => T;
	/** Values that must never reach an error text (the credential's password). */
	secrets: readonly string[];
}

/** Why a call failed, in words safe to show: the provider's own text where it gave one, secrets removed. */
export interface ProviderFailure {
	message: string;
	description: string;
	kind: 'refused' | 'http' | 'unexpected' | 'network';
	httpCode?: number;
}

export type ProviderResult<T> = { ok: true; value: T } | { ok: false; failure: ProviderFailure };

/** POST, then parse; every way of failing is returned as a {@link ProviderFailure}, never thrown. */
export async function callProvider<T>(post: HttpPost, call: ProviderCall<T>): Promise<ProviderResult<T>> {
	const redact = redactor(call.secrets);
	// Secrets go before any cut: an excerpt could otherwise end inside one and show its start.
	const fail = (failure: ProviderFailure): ProviderResult<T> => ({
		ok: false,
		failure: { ...failure, message: redact(failure.message), description: excerpt(redact(failure.description)) },
	});
	let reply: HttpReply;
	try {
		reply = await post(call.url, call.body, call.contentType);
	} catch (error) {
		// The network code stays out of the message: n8n would replace a message naming one with its generic text.
		return fail({
			message: `Could not get an answer from TargetSMS at ${call.url}`,
			description: `${networkReason(error)}. The request may or may not have reached the provider.`,
			kind: 'network',
		});
	}
	if (reply.statusCode < 200 || reply.statusCode >= 300) {
		return fail({
			message: `TargetSMS answered HTTP ${reply.statusCode}`,
			description: reply.body,
			kind: 'http',
			httpCode: reply.statusCode,
		});
	}
	try {
		return { ok: true, value: call.parse(reply.body) };
	} catch (error) {
		if (error instanceof ProviderRefusalError) {
			return fail({ message: `TargetSMS refused the request: ${error.providerText}`, description: '', kind: 'refused' });
		}
		return fail({
			message: `TargetSMS sent an unexpected reply: ${error instanceof Error ? error.message : String(error)}`,
			description: error instanceof UnexpectedResponseError ? error.body : reply.body,
			kind: 'unexpected',
		});
	}
}

/** A {@link ProviderFailure} as n8n's error for the node, with whatever the caller adds to its description. */
export function toNodeApiError(
	node: INode,
	error: ProviderFailure,
	options: { itemIndex?: number; extraDescription?: string; secrets: readonly string[] },
): NodeApiError {
	const redact = redactor(options.secrets);
	const description = [error.description, options.extraDescription ?? '']
		.filter((part) => part !== '')
		.join('\n\n');
	return new NodeApiError(node, { message: error.message } as JsonObject, {
		message: error.message,
		description: redact(description) || undefined,
		httpCode: error.httpCode !== undefined ? String(error.httpCode) : undefined,
		itemIndex: options.itemIndex,
	});
}

export function redactor(secrets: readonly string[]): (text: string) => string {
	const hidden = [...new Set(secrets.flatMap((secret) => (secret ? [secret, xmlEscaped(secret)] : [])))].sort(
		(a, b) => b.length - a.length,
	);
	return (text: string) => hidden.reduce((result, secret) => result.split(secret).join('***'), text);
}

function xmlEscaped(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

function excerpt(body: string): string {
	const trimmed = body.trim();
	return trimmed.length > BODY_EXCERPT_LENGTH ? trimmed.slice(0, BODY_EXCERPT_LENGTH) + '…' : trimmed;
}

function networkReason(error: unknown): string {
	if (error instanceof Error) {
		const code = (error as { code?: unknown }).code;
		return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
	}
	return String(error);
}
