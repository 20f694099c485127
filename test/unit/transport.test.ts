import type { INode } from 'n8n-workflow';

import { XML_CONTENT_TYPE } from '../../nodes/shared/protocol/xml';
import { buildSendRequest, parseSendResponse } from '../../nodes/shared/protocol/sms/message';
import { parseMessageStateResponse } from '../../nodes/shared/protocol/sms/state';
import type { HttpPost, HttpReply, ProviderCall, ProviderFailure } from '../../nodes/shared/transport';
import { callProvider, redactor, toNodeApiError } from '../../nodes/shared/transport';

const PASSWORD = 'Zq7&"Xv9!Lm<42>';
const ESCAPED_PASSWORD = 'Zq7&amp;&quot;Xv9!Lm&lt;42&gt;';
const URL = 'https://sms.sandbox.test/xml/message.php';

const BODY = buildSendRequest({ login: 'shop', password: PASSWORD }, [
	{
		content: { viberOrder: 0, smsOrder: 1, smsSender: 'Shop', smsText: 'Привет' },
		recipients: [{ phone: '79001234567', clientMessageId: '1' }],
	},
]);

function call<T>(parse: (body: string) => T): ProviderCall<T> {
	return { url: URL, body: BODY, contentType: XML_CONTENT_TYPE, parse, secrets: [PASSWORD] };
}

/** A post that answers with a fixed reply and records what it was asked. */
function answering(reply: HttpReply) {
	const calls: Array<[string, string, string]> = [];
	const post: HttpPost = async (url, body, contentType) => {
		calls.push([url, body, contentType]);
		return reply;
	};
	return { post, calls };
}

async function failureOf<T>(post: HttpPost, parse: (body: string) => T): Promise<ProviderFailure> {
	const result = await callProvider(post, call(parse));
	if (result.ok) throw new Error('expected a failure');
	return result.failure;
}

function expectNoSecret(failure: ProviderFailure): void {
	for (const text of [failure.message, failure.description]) {
		expect(text).not.toContain(PASSWORD);
		expect(text).not.toContain(ESCAPED_PASSWORD);
	}
}

describe('callProvider', () => {
	it('posts the body with the content type and returns the parsed reply', async () => {
		const { post, calls } = answering({
			statusCode: 200,
			body: '<?xml version="1.0" encoding="utf-8"?><response><message><information id_message="77" id_sms="78" id_viber="0" client_id_message="1" phone="79001234567">send</information></message></response>',
		});
		const result = await callProvider(post, call(parseSendResponse));
		expect(calls).toEqual([[URL, BODY, 'text/xml; charset=utf-8']]);
		expect(result.ok).toBe(true);
		if (result.ok) expect(result.value[0].recipients[0]).toMatchObject({ messageId: 77, smsId: 78, accepted: true });
	});

	it('reports an HTTP error as kind http with its code and the body excerpt', async () => {
		const { post } = answering({ statusCode: 500, body: '  <html><body>Internal Server Error</body></html>\n' });
		const failure = await failureOf(post, parseSendResponse);
		expect(failure).toEqual({
			kind: 'http',
			httpCode: 500,
			message: 'TargetSMS answered HTTP 500',
			description: '<html><body>Internal Server Error</body></html>',
		});
	});

	it('cuts a long error body to an excerpt', async () => {
		const { post } = answering({ statusCode: 502, body: 'x'.repeat(5000) });
		const failure = await failureOf(post, parseSendResponse);
		expect(failure.kind).toBe('http');
		expect(failure.httpCode).toBe(502);
		expect(failure.description.length).toBeLessThan(1000);
		expect(failure.description.startsWith('xxxx')).toBe(true);
	});

	it('treats a 3xx or 4xx answer as an HTTP failure too', async () => {
		for (const statusCode of [301, 401, 404, 429]) {
			const { post } = answering({ statusCode, body: '<response><error>x</error></response>' });
			const failure = await failureOf(post, parseSendResponse);
			expect(failure.kind).toBe('http');
			expect(failure.httpCode).toBe(statusCode);
		}
	});

	it('reports a thrown network error as kind network, with its reason and code', async () => {
		const post: HttpPost = async () => {
			throw Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });
		};
		const failure = await failureOf(post, parseSendResponse);
		expect(failure.kind).toBe('network');
		expect(failure.httpCode).toBeUndefined();
		expect(failure.message).toContain(URL);
		const words = `${failure.message}\n${failure.description}`;
		expect(words).toContain('connect failed');
		expect(words).toContain('ECONNREFUSED');
		expect(words).toContain('may or may not have reached');
	});

	it('reports something thrown that is not an Error as kind network', async () => {
		const post: HttpPost = () => Promise.reject('socket hang up');
		const failure = await failureOf(post, parseSendResponse);
		expect(failure.kind).toBe('network');
		expect(`${failure.message}\n${failure.description}`).toContain('socket hang up');
	});

	it('reports a <response><error> as kind refused with the provider\'s words', async () => {
		const { post } = answering({
			statusCode: 200,
			body: '<?xml version="1.0" encoding="utf-8"?><response><error>Неверный логин или пароль</error></response>',
		});
		const failure = await failureOf(post, parseSendResponse);
		expect(failure.kind).toBe('refused');
		expect(failure.message).toContain('Неверный логин или пароль');
		expect(failure.httpCode).toBeUndefined();
	});

	it.each([
		['an HTML page', '<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>'],
		['another root element', '<request><error>x</error></request>'],
		['text that is not XML', 'Service temporarily unavailable'],
	])('reports %s with status 200 as kind unexpected, with an excerpt of the body', async (_name, body) => {
		const { post } = answering({ statusCode: 200, body });
		const failure = await failureOf(post, parseMessageStateResponse);
		expect(failure.kind).toBe('unexpected');
		expect(failure.message.startsWith('TargetSMS sent an unexpected reply')).toBe(true);
		expect(failure.description).toBe(body);
	});

	it('reports a parser that throws something else as kind unexpected', async () => {
		const { post } = answering({ statusCode: 200, body: '<response/>' });
		const failure = await failureOf(post, () => {
			throw new TypeError('boom');
		});
		expect(failure.kind).toBe('unexpected');
		expect(failure.message).toContain('boom');
		expect(failure.description).toBe('<response/>');
	});

	describe('never shows the password, even when the server echoes it', () => {
		it('in an HTTP error body (plain and XML-escaped)', async () => {
			const { post } = answering({
				statusCode: 500,
				body: `Fatal error: bad request ${BODY} with password ${PASSWORD}`,
			});
			const failure = await failureOf(post, parseSendResponse);
			expect(failure.kind).toBe('http');
			expectNoSecret(failure);
			expect(failure.description).toContain('***');
		});

		it('in the provider\'s refusal', async () => {
			const { post } = answering({
				statusCode: 200,
				body: `<response><error>Пароль ${ESCAPED_PASSWORD} неверен</error></response>`,
			});
			const failure = await failureOf(post, parseSendResponse);
			expect(failure.kind).toBe('refused');
			expectNoSecret(failure);
			expect(failure.message).toBe('TargetSMS refused the request: Пароль *** неверен');
		});

		it('in an unexpected reply that echoes the request', async () => {
			const { post } = answering({ statusCode: 200, body: `<html><body><pre>${BODY}</pre></body></html>` });
			const failure = await failureOf(post, parseSendResponse);
			expect(failure.kind).toBe('unexpected');
			expectNoSecret(failure);
		});

		it('in a network error message', async () => {
			const post: HttpPost = async () => {
				throw new Error(`proxy rejected body containing ${PASSWORD}`);
			};
			const failure = await failureOf(post, parseSendResponse);
			expect(failure.kind).toBe('network');
			expectNoSecret(failure);
		});

		it('in an error body where the excerpt ends inside the password', async () => {
			// The echoed password starts 10 characters before the excerpt's end.
			const { post } = answering({ statusCode: 500, body: 'x'.repeat(490) + PASSWORD + ' trailing text'.repeat(10) });
			const failure = await failureOf(post, parseSendResponse);
			expect(failure.kind).toBe('http');
			expect(failure.description).not.toContain(PASSWORD.slice(0, 8));
		});
	});
});

describe('redactor', () => {
	it('hides the secret, plain and XML-escaped, everywhere in a text', () => {
		const redact = redactor([PASSWORD]);
		expect(redact(`a ${PASSWORD} b ${ESCAPED_PASSWORD} c ${PASSWORD}`)).toBe('a *** b *** c ***');
	});

	it('hides the escaped form of a password with an apostrophe', () => {
		expect(redactor(["it's"])('<password value="it&apos;s"/>')).toBe('<password value="***"/>');
	});

	it('leaves a text without secrets alone and ignores empty secrets', () => {
		const redact = redactor(['', PASSWORD]);
		expect(redact('nothing to hide')).toBe('nothing to hide');
		expect(redactor([])('nothing to hide')).toBe('nothing to hide');
	});

	it('hides the longer of two overlapping secrets whole', () => {
		expect(redactor(['abc', 'abcdef'])('xx abcdef yy abc')).toBe('xx *** yy ***');
	});
});

describe('toNodeApiError', () => {
	const node: INode = {
		id: '1',
		name: 'TargetSMS',
		type: 'n8n-nodes-targetsms.targetSms',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};

	it('keeps the message, adds the extra description and hides the password in it', () => {
		const error = toNodeApiError(
			node,
			{ kind: 'http', httpCode: 503, message: 'TargetSMS answered HTTP 503', description: 'busy' },
			{ itemIndex: 2, extraDescription: `Already sent: 79001234567 (id 77); password ${PASSWORD}`, secrets: [PASSWORD] },
		);
		expect(error.message).toBe('TargetSMS answered HTTP 503');
		expect(error.description).toContain('busy');
		expect(error.description).toContain('79001234567 (id 77)');
		expect(error.description).not.toContain(PASSWORD);
		expect(error.httpCode).toBe('503');
	});
});
