import type { INode } from 'n8n-workflow';

import { XML_CONTENT_TYPE } from '../../nodes/shared/protocol/xml';
import { buildSendRequest, parseSendResponse } from '../../nodes/shared/protocol/sms/message';
import { parseMessageStateResponse } from '../../nodes/shared/protocol/sms/state';
import type { HttpPost, HttpReply, ProviderCall, ProviderFailure, RetryPolicy } from '../../nodes/shared/transport';
import { callProvider, setTransportTimingForTests, toNodeApiError } from '../../nodes/shared/transport';

const PASSWORD = 'Zq7&"Xv9!Lm<42>';
const ESCAPED_PASSWORD = 'Zq7&amp;&quot;Xv9!Lm&lt;42&gt;';
const URL = 'https://sms.sandbox.test/xml/message.php';

const BODY = buildSendRequest({ login: 'shop', password: PASSWORD }, [
	{
		content: { viberOrder: 0, smsOrder: 1, smsSender: 'Shop', smsText: 'Привет' },
		recipients: [{ phone: '79001234567', clientMessageId: '1' }],
	},
]);

const ACCEPTED =
	'<?xml version="1.0" encoding="utf-8"?><response><message><information id_message="77" id_sms="78" id_viber="0" client_id_message="1" phone="79001234567">send</information></message></response>';

beforeAll(() => setTransportTimingForTests({ backoffMs: [[1, 2], [1, 2]], maxRetryAfterMs: 50 }));
afterAll(() => setTransportTimingForTests(undefined));

function call<T>(parse: (body: string) => T, retry: RetryPolicy = 'deduplicated'): ProviderCall<T> {
	return { url: URL, body: BODY, contentType: XML_CONTENT_TYPE, parse, secrets: [PASSWORD], retry };
}

function reply(statusCode: number, body: string, headers: Record<string, string> = {}): HttpReply {
	return { statusCode, body, headers };
}

/** A post that answers each attempt with the next reply (or throws the next error), recording what it was asked. */
function answering(...answers: Array<HttpReply | Error>) {
	const calls: Array<[string, string, string]> = [];
	const post: HttpPost = async (request) => {
		calls.push([request.url, request.body, request.contentType]);
		const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
		if (answer instanceof Error) throw answer;
		return answer;
	};
	return { post, calls };
}

function networkError(code: string, message = `request failed (${code})`): Error {
	return Object.assign(new Error(message), { code });
}

async function failureOf<T>(
	post: HttpPost,
	parse: (body: string) => T,
	retry: RetryPolicy = 'deduplicated',
	automaticRetries = false,
): Promise<ProviderFailure> {
	const result = await callProvider(post, call(parse, retry), { automaticRetries });
	if (result.ok) throw new Error('expected a failure');
	return result.failure;
}

function expectNoSecret(failure: ProviderFailure): void {
	for (const text of [failure.message, failure.description]) {
		expect(text).not.toContain(PASSWORD);
		expect(text).not.toContain(ESCAPED_PASSWORD);
	}
}

describe('transport retries', () => {
	it.each<[string, HttpReply | Error, RetryPolicy, number]>([
		['HTTP 500 of a deduplicated send', reply(500, 'oops'), 'deduplicated', 3],
		['HTTP 502', reply(502, ''), 'deduplicated', 3],
		['HTTP 503', reply(503, ''), 'deduplicated', 3],
		['HTTP 504', reply(504, ''), 'deduplicated', 3],
		['HTTP 429', reply(429, ''), 'deduplicated', 3],
		['a reset connection', networkError('ECONNRESET'), 'deduplicated', 3],
		['a refused connection', networkError('ECONNREFUSED'), 'deduplicated', 3],
		['HTTP 400', reply(400, ''), 'deduplicated', 1],
		['HTTP 404', reply(404, ''), 'deduplicated', 1],
		['a redirect', reply(307, '', { location: 'http://elsewhere.test/' }), 'deduplicated', 1],
		['HTTP 500 of an email or OTP send', reply(500, 'oops'), 'notDeduplicated', 1],
		['HTTP 503 of an email or OTP send', reply(503, ''), 'notDeduplicated', 1],
		['a reset connection of an email or OTP send', networkError('ECONNRESET'), 'notDeduplicated', 1],
		['HTTP 429 of an email or OTP send', reply(429, ''), 'notDeduplicated', 3],
		['a name that did not resolve, of an email or OTP send', networkError('ENOTFOUND'), 'notDeduplicated', 3],
		['a temporary DNS failure, of an email or OTP send', networkError('EAI_AGAIN'), 'notDeduplicated', 3],
		['a refused connection, of an email or OTP send', networkError('ECONNREFUSED'), 'notDeduplicated', 3],
	])('%s: %s attempts in all', async (_name, answer, policy, attempts) => {
		const { post, calls } = answering(answer);
		const failure = await failureOf(post, parseSendResponse, policy, true);
		expect(calls).toHaveLength(attempts);
		expect(failure.attempts).toBe(attempts);
	});

	it('stops at the first success and returns it', async () => {
		const { post, calls } = answering(reply(503, ''), networkError('ECONNRESET'), reply(200, ACCEPTED));
		const result = await callProvider(post, call(parseSendResponse), { automaticRetries: true });
		expect(calls).toHaveLength(3);
		expect(result.ok).toBe(true);
	});

	it('sends each attempt with the same body', async () => {
		const { post, calls } = answering(reply(500, ''));
		await failureOf(post, parseSendResponse, 'deduplicated', true);
		expect(new Set(calls.map((entry) => entry.join('|'))).size).toBe(1);
	});

	it('does not retry at all with Automatic Retries off', async () => {
		const { post, calls } = answering(reply(503, ''));
		const failure = await failureOf(post, parseSendResponse, 'deduplicated', false);
		expect(calls).toHaveLength(1);
		expect(failure.attempts).toBe(1);
	});

	it('honours a Retry-After within the limit and gives up on a longer one', async () => {
		const short = answering(reply(429, '', { 'retry-after': '0' }), reply(200, ACCEPTED));
		expect((await callProvider(short.post, call(parseSendResponse), { automaticRetries: true })).ok).toBe(true);
		expect(short.calls).toHaveLength(2);

		const long = answering(reply(429, '', { 'retry-after': '120' }));
		const failure = await failureOf(long.post, parseSendResponse, 'deduplicated', true);
		expect(long.calls).toHaveLength(1);
		expect(failure.description).toContain('asks to wait 120 s');
	});

	it('says how many attempts were made', async () => {
		const { post } = answering(reply(502, ''));
		const failure = await failureOf(post, parseSendResponse, 'deduplicated', true);
		expect(failure.message).toBe('TargetSMS answered HTTP 502 (3 attempts)');
	});
});

describe('what an error says about having reached TargetSMS', () => {
	it.each(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED'])('%s: could not have reached it, nothing was sent', async (code) => {
		const failure = await failureOf(answering(networkError(code)).post, parseSendResponse);
		expect(failure.kind).toBe('network');
		expect(failure.mayHaveBeenProcessed).toBe(false);
		expect(failure.message).toBe(`Could not reach TargetSMS at ${URL}`);
		expect(failure.description).toContain('could not have reached TargetSMS');
		expect(failure.description).toContain(code);
		expect(failure.description).not.toContain('may have reached');
	});

	it.each(['ECONNRESET', 'EPIPE', 'ERR_SOMETHING'])('%s: may have reached it', async (code) => {
		const failure = await failureOf(answering(networkError(code)).post, parseSendResponse);
		expect(failure.kind).toBe('network');
		expect(failure.mayHaveBeenProcessed).toBe(true);
		expect(failure.description).toContain('may have reached TargetSMS');
		expect(failure.description).not.toContain('could not have reached');
	});

	it('a timeout: may have reached it', async () => {
		const failure = await failureOf(answering(networkError('ECONNABORTED', 'timeout of 120000ms exceeded')).post, parseSendResponse);
		expect(failure.kind).toBe('timeout');
		expect(failure.mayHaveBeenProcessed).toBe(true);
		expect(failure.message).toBe(`TargetSMS at ${URL} did not answer within 120 s`);
	});

	it('HTTP 429: reached it, which did not act on it', async () => {
		const failure = await failureOf(answering(reply(429, 'slow down')).post, parseSendResponse);
		expect(failure.mayHaveBeenProcessed).toBe(false);
		expect(failure.description).toContain('turned it away without acting on it');
	});

	it('HTTP 500: may have reached it and acted on it', async () => {
		const failure = await failureOf(answering(reply(500, 'oops')).post, parseSendResponse);
		expect(failure.mayHaveBeenProcessed).toBe(true);
		expect(failure.description).toBe('oops The request may have reached TargetSMS, which may have acted on it.');
	});

	it('an email or OTP 500 also says it was not sent again', async () => {
		const failure = await failureOf(answering(reply(500, 'oops')).post, parseSendResponse, 'notDeduplicated', true);
		expect(failure.description).toContain('It was not sent again automatically');
	});

	it('a refusal: not processed', async () => {
		const failure = await failureOf(
			answering(reply(200, '<response><error>Неверный логин или пароль</error></response>')).post,
			parseSendResponse,
		);
		expect(failure.kind).toBe('refused');
		expect(failure.mayHaveBeenProcessed).toBe(false);
	});

	it('a redirect names its Location and is not followed', async () => {
		const { post, calls } = answering(reply(308, '', { location: 'http://evil.test/xml/message.php' }));
		const failure = await failureOf(post, parseSendResponse, 'deduplicated', true);
		expect(calls).toHaveLength(1);
		expect(failure.kind).toBe('redirect');
		expect(failure.httpCode).toBe(308);
		expect(failure.message).toBe('TargetSMS answered with a redirect (HTTP 308) to http://evil.test/xml/message.php');
		expect(failure.description).toContain('Redirects are never followed');
	});

	it('hides a password in a redirect Location', async () => {
		const failure = await failureOf(
			answering(reply(302, '', { location: `https://x.test/?p=${PASSWORD}` })).post,
			parseSendResponse,
		);
		expectNoSecret(failure);
	});
});

describe('callProvider', () => {
	it('posts the body with the content type and returns the parsed reply', async () => {
		const { post, calls } = answering(reply(200, ACCEPTED));
		const result = await callProvider(post, call(parseSendResponse), { automaticRetries: true });
		expect(calls).toEqual([[URL, BODY, 'text/xml; charset=utf-8']]);
		expect(result.ok).toBe(true);
		if (result.ok) expect(result.value[0].recipients[0]).toMatchObject({ messageId: 77, smsId: 78, accepted: true });
	});

	it('reports an HTTP error as kind http with its code and the body excerpt', async () => {
		const failure = await failureOf(answering(reply(500, '  <html><body>Internal Server Error</body></html>\n')).post, parseSendResponse);
		expect(failure).toEqual({
			kind: 'http',
			httpCode: 500,
			message: 'TargetSMS answered HTTP 500',
			description:
				'<html><body>Internal Server Error</body></html> The request may have reached TargetSMS, which may have acted on it.',
			mayHaveBeenProcessed: true,
			attempts: 1,
		});
	});

	it('cuts a long error body to an excerpt, keeping the words about what may have been sent', async () => {
		const failure = await failureOf(answering(reply(502, 'x'.repeat(5000))).post, parseSendResponse);
		expect(failure.kind).toBe('http');
		expect(failure.httpCode).toBe(502);
		expect(failure.description.length).toBeLessThan(1000);
		expect(failure.description.startsWith('xxxx')).toBe(true);
		expect(failure.description).toContain('may have reached TargetSMS');
	});

	it('treats a 4xx answer as an HTTP failure too', async () => {
		for (const statusCode of [401, 404, 429]) {
			const failure = await failureOf(answering(reply(statusCode, '<response><error>x</error></response>')).post, parseSendResponse);
			expect(failure.kind).toBe('http');
			expect(failure.httpCode).toBe(statusCode);
		}
	});

	it('reports something thrown that is not an Error as kind network', async () => {
		const post: HttpPost = () => Promise.reject('socket hang up');
		const failure = await failureOf(post, parseSendResponse);
		expect(failure.kind).toBe('network');
		expect(`${failure.message}\n${failure.description}`).toContain('socket hang up');
	});

	it("reports a <response><error> as kind refused with the provider's words", async () => {
		const failure = await failureOf(
			answering(reply(200, '<?xml version="1.0" encoding="utf-8"?><response><error>Неверный логин или пароль</error></response>')).post,
			parseSendResponse,
		);
		expect(failure.kind).toBe('refused');
		expect(failure.message).toContain('Неверный логин или пароль');
		expect(failure.httpCode).toBeUndefined();
	});

	it.each([
		['an HTML page', '<html><body><h1>Maintenance</h1></body></html>'],
		['another root element', '<request><error>x</error></request>'],
		['text that is not XML', 'Service temporarily unavailable'],
	])('reports %s with status 200 as kind unexpected, with an excerpt of the body', async (_name, body) => {
		const failure = await failureOf(answering(reply(200, body)).post, parseMessageStateResponse);
		expect(failure.kind).toBe('unexpected');
		expect(failure.message.startsWith('TargetSMS sent an unexpected reply')).toBe(true);
		expect(failure.description.startsWith(body)).toBe(true);
		expect(failure.mayHaveBeenProcessed).toBe(true);
	});

	it('reports a parser that throws something else as kind unexpected', async () => {
		const failure = await failureOf(answering(reply(200, '<response/>')).post, () => {
			throw new TypeError('boom');
		});
		expect(failure.kind).toBe('unexpected');
		expect(failure.message).toContain('boom');
		expect(failure.description.startsWith('<response/>')).toBe(true);
	});

	describe('never shows the password, even when the server echoes it', () => {
		it('in an HTTP error body (plain and XML-escaped)', async () => {
			const failure = await failureOf(
				answering(reply(500, `Fatal error: bad request ${BODY} with password ${PASSWORD}`)).post,
				parseSendResponse,
			);
			expect(failure.kind).toBe('http');
			expectNoSecret(failure);
			expect(failure.description).toContain('***');
		});

		it("in the provider's refusal", async () => {
			const failure = await failureOf(
				answering(reply(200, `<response><error>Пароль ${ESCAPED_PASSWORD} неверен</error></response>`)).post,
				parseSendResponse,
			);
			expect(failure.kind).toBe('refused');
			expectNoSecret(failure);
			expect(failure.message).toBe('TargetSMS refused the request: Пароль *** неверен');
		});

		it('in an unexpected reply that echoes the request', async () => {
			const failure = await failureOf(answering(reply(200, `<html><body><pre>${BODY}</pre></body></html>`)).post, parseSendResponse);
			expect(failure.kind).toBe('unexpected');
			expectNoSecret(failure);
		});

		it('in a network error message', async () => {
			const failure = await failureOf(answering(new Error(`proxy rejected body containing ${PASSWORD}`)).post, parseSendResponse);
			expect(failure.kind).toBe('network');
			expectNoSecret(failure);
		});

		it('in an error body where the excerpt ends inside the password', async () => {
			// The echoed password starts 10 characters before the excerpt's end.
			const failure = await failureOf(
				answering(reply(500, 'x'.repeat(490) + PASSWORD + ' trailing text'.repeat(10))).post,
				parseSendResponse,
			);
			expect(failure.kind).toBe('http');
			expect(failure.description).not.toContain(PASSWORD.slice(0, 8));
		});
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
			{
				kind: 'http',
				httpCode: 503,
				message: 'TargetSMS answered HTTP 503',
				description: 'busy',
				mayHaveBeenProcessed: true,
				attempts: 1,
			},
			{ itemIndex: 2, extraDescription: `Already sent: 79001234567 (id 77); password ${PASSWORD}`, secrets: [PASSWORD] },
		);
		expect(error.message).toBe('TargetSMS answered HTTP 503');
		expect(error.description).toContain('busy');
		expect(error.description).toContain('79001234567 (id 77)');
		expect(error.description).not.toContain(PASSWORD);
		expect(error.httpCode).toBe('503');
	});
});
