/**
 * The one transport, through every HTTP node in n8n's engine against the sandbox: retries by kind of send, honest
 * words about what may have reached TargetSMS, no redirects, replies read defensively (DOCTYPE, 32 MB, a deadline
 * per attempt), nothing sent hidden.
 */
import type { Fault } from '../sandbox/faults';
import type { RecordedRequest } from '../sandbox/server';
import { TargetSmsSandbox } from '../sandbox/server';
import { testCredential } from './harness';
import {
	distTransport,
	FAST_TIMING,
	NODE_NAME,
	requestsTo,
	runNode,
	runTargetSms,
	startSandbox,
	targetSmsNodeType,
} from './targetsms-fixture';

const MESSAGE = '/xml/message.php';
const EMAIL = '/clients/api.php';
const OTP = '/password_generation/api.php';
const STATE = '/xml/state_message.php';
const context = startSandbox();

const sms = { operation: 'send', channel: 'sms', phones: '={{ $json.phone }}', smsSender: 'Shop', smsText: 'Hi' };
const letter = { operation: 'send', format: 'json', from: 'shop@example.com', to: '={{ $json.to }}', subject: 'S', body: 'B' };
const code = { operation: 'send', phone: '={{ $json.phone }}', sender: 'target', codeLength: 4, text: 'Код {код}' };
const status = { resource: 'message', operation: 'get', ids: '={{ $json.id }}' };

type Described = Error & { description?: string };

function withTiming(timing: Partial<typeof FAST_TIMING>, body: () => Promise<void>): () => Promise<void> {
	return async () => {
		distTransport.setTransportTimingForTests({ ...FAST_TIMING, ...timing });
		try {
			await body();
		} finally {
			distTransport.setTransportTimingForTests(FAST_TIMING);
		}
	};
}

describe('automatic retries', () => {
	it('an SMS send retries 502 and 503 and is accepted once', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http', status: 502, path: MESSAGE });
		sandbox.failNext({ kind: 'http', status: 503, path: MESSAGE });
		const result = await runTargetSms(sandbox, { items: [{ phone: '79000000001' }], parameters: sms });
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, MESSAGE).map((request) => request.status)).toEqual([502, 503, 200]);
		expect(sandbox.messages).toHaveLength(1);
	});

	/** Two recipients sent through `fault` on the first attempt: the retry goes out, and each is accepted once. */
	async function expectRetriedWithoutSecondMessage(fault: Fault): Promise<RecordedRequest[]> {
		const { sandbox } = context;
		sandbox.failNext({ ...fault, path: MESSAGE });
		const result = await runTargetSms(sandbox, { items: [{ phone: '79000000001, 79000000002' }], parameters: sms });
		expect(result.error).toBeUndefined();
		const requests = requestsTo(sandbox, MESSAGE);
		expect(requests).toHaveLength(2);
		expect(sandbox.messages).toHaveLength(2);
		expect(result.output(NODE_NAME).map((item) => item.json.messageId)).toEqual(sandbox.messages.map((m) => m.idMessage));
		return requests;
	}

	it('a send that TargetSMS processed before the connection dropped is retried without a second message', async () => {
		await expectRetriedWithoutSecondMessage({ kind: 'http', status: 500, afterProcessing: true });
	});

	it('a reply cut off midway (headers and half the body, then the socket gone) is retried without a second message', async () => {
		const [cut, whole] = await expectRetriedWithoutSecondMessage({ kind: 'cutReply' });
		expect(cut.bytesWritten).toBeGreaterThan(0);
		expect(cut.bytesWritten).toBeLessThan(Buffer.byteLength(cut.responseBody));
		expect(whole.status).toBe(200);
	});

	it('an email whose reply was cut off midway is not sent again, and the error says it may have been sent', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'cutReply', path: EMAIL });
		const result = await runNode(sandbox, 'targetSmsEmail', { items: [{ to: 'a@example.com' }], parameters: letter });
		const error = result.nodeError('Node') as Described;
		expect(error.message).toMatch(/^The connection to TargetSMS at .* failed before its answer/);
		expect(error.description).toContain('may have reached TargetSMS');
		expect(error.description).toContain('It was not sent again automatically');
		expect(requestsTo(sandbox, EMAIL)).toHaveLength(1);
		expect(sandbox.emails).toHaveLength(1);
	});

	it('Automatic Retries off: one attempt', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http', status: 503, path: MESSAGE });
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }],
			parameters: { ...sms, options: { automaticRetries: false } },
		});
		expect(result.nodeError(NODE_NAME)?.message).toBe('TargetSMS answered HTTP 503');
		expect(requestsTo(sandbox, MESSAGE)).toHaveLength(1);
	});

	it('an email is not sent again after a 500 that may have come after TargetSMS sent it', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http', status: 500, afterProcessing: true, path: EMAIL });
		const result = await runNode(sandbox, 'targetSmsEmail', { items: [{ to: 'a@example.com' }], parameters: letter });
		const error = result.nodeError('Node') as Described;
		expect(error.message).toBe('TargetSMS answered HTTP 500');
		expect(error.description).toContain('may have reached TargetSMS');
		expect(error.description).toContain('It was not sent again automatically');
		expect(requestsTo(sandbox, EMAIL)).toHaveLength(1);
		expect(sandbox.emails).toHaveLength(1);
	});

	it('an OTP code is sent again after HTTP 429 (TargetSMS did not act on it), honouring Retry-After', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http', status: 429, retryAfter: '1', path: OTP });
		const started = Date.now();
		const result = await runNode(sandbox, 'targetSmsOtp', { items: [{ phone: '79000000001' }], parameters: code });
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(requestsTo(sandbox, OTP).map((request) => request.status)).toEqual([429, 200]);
		expect(sandbox.otps).toHaveLength(1);
	});

	it(
		'an email is sent again when the connection was refused (it cannot have reached TargetSMS)',
		withTiming({ backoffMs: [[400, 450], [400, 450]] }, async () => {
			const { sandbox } = context;
			await sandbox.refuseConnections(300);
			const result = await runNode(sandbox, 'targetSmsEmail', { items: [{ to: 'a@example.com' }], parameters: letter });
			await sandbox.whenAccepting();
			expect(result.error).toBeUndefined();
			expect(sandbox.emails).toHaveLength(1);
			expect(requestsTo(sandbox, EMAIL)).toHaveLength(1);
		}),
	);

	it('a refused connection that lasts: "could not have reached", and nothing may have been sent', async () => {
		const { sandbox } = context;
		const refusing = sandbox.refuseConnections(2_000);
		await refusing;
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items: [{ to: 'a@example.com' }],
			parameters: letter,
			settings: { continueOnFail: true },
		});
		await sandbox.whenAccepting();
		const [item] = result.output('Node');
		expect(item.json).toMatchObject({
			to: 'a@example.com',
			error: expect.stringMatching(/^Could not reach TargetSMS at http:\/\/127\.0\.0\.1:\d+\/clients\/api\.php \(3 attempts\)$/),
			mayHaveBeenSent: false,
		});
		expect(String(item.json.description)).toContain('could not have reached TargetSMS: nothing was sent');
		expect(String(item.json.description)).toContain('ECONNREFUSED');
	});

	it('a name that does not resolve: "could not have reached"', async () => {
		const { sandbox } = context;
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }],
			parameters: sms,
			credentialData: { smsBaseUrl: 'http://targetsms-sandbox.invalid' },
			settings: { continueOnFail: true },
		});
		const [item] = result.output(NODE_NAME);
		expect(item.json.error).toBe('Could not reach TargetSMS at http://targetsms-sandbox.invalid/xml/message.php (3 attempts)');
		expect(item.json.mayHaveBeenSent).toBe(false);
		expect(item.json.phone).toBe('79000000001');
		expect(String(item.json.description)).toMatch(/ENOTFOUND|EAI_AGAIN/);
	});
});

describe('redirects are never followed', () => {
	const elsewhere = new TargetSmsSandbox();
	beforeAll(() => elsewhere.start());
	afterAll(() => elsewhere.stop());
	beforeEach(() => elsewhere.reset());

	it.each([301, 302, 303, 307, 308] as const)('HTTP %s: an error naming the Location; nothing goes there', async (redirect) => {
		const { sandbox } = context;
		const location = `${elsewhere.url}/xml/message.php`;
		sandbox.failNext({ kind: 'redirect', status: redirect, location, path: MESSAGE });
		const result = await runTargetSms(sandbox, { items: [{ phone: '79000000001' }], parameters: sms });
		const error = result.nodeError(NODE_NAME) as Described;
		expect(error.message).toBe(`TargetSMS answered with a redirect (HTTP ${redirect}) to ${location}`);
		expect(error.description).toContain('Redirects are never followed');
		expect(elsewhere.requests).toHaveLength(0);
		expect(requestsTo(sandbox, MESSAGE)).toHaveLength(1);
	});

	it('for email, OTP, status and the credential test too', async () => {
		const { sandbox } = context;
		const location = `${elsewhere.url}/anywhere`;
		sandbox.failNext({ kind: 'redirect', status: 307, location, times: Infinity });
		const runs = [
			await runNode(sandbox, 'targetSmsEmail', { items: [{ to: 'a@example.com' }], parameters: letter }),
			await runNode(sandbox, 'targetSmsOtp', { items: [{ phone: '79000000001' }], parameters: code }),
			await runNode(sandbox, 'targetSmsStatus', { items: [{ id: '1' }], parameters: status }),
		];
		for (const run of runs) expect(run.nodeError('Node')?.message).toBe(`TargetSMS answered with a redirect (HTTP 307) to ${location}`);
		const tested = await testCredential(targetSmsNodeType, 'targetSmsApiTest', 'targetSmsApi', {
			login: TargetSmsSandbox.DEFAULT_LOGIN,
			password: TargetSmsSandbox.DEFAULT_PASSWORD,
			smsBaseUrl: sandbox.url,
			apiBaseUrl: sandbox.url,
		});
		expect(tested).toEqual({ status: 'Error', message: `TargetSMS answered with a redirect (HTTP 307) to ${location}` });
		expect(elsewhere.requests).toHaveLength(0);
	});
});

describe('replies are read defensively', () => {
	it.each(['entityBomb', 'externalEntity', 'plainDoctype'] as const)('a %s reply is refused, unread', async (variant) => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'doctype', variant, path: STATE, times: Infinity });
		const started = Date.now();
		const result = await runNode(sandbox, 'targetSmsStatus', { items: [{ id: '1' }], parameters: status });
		const error = result.nodeError('Node') as Described;
		expect(error.message).toMatch(/^TargetSMS sent an unexpected reply: The reply declares a DOCTYPE/);
		expect(Date.now() - started).toBeLessThan(5_000);
		const tested = await testCredential(targetSmsNodeType, 'targetSmsApiTest', 'targetSmsApi', {
			login: TargetSmsSandbox.DEFAULT_LOGIN,
			password: TargetSmsSandbox.DEFAULT_PASSWORD,
			smsBaseUrl: sandbox.url,
			apiBaseUrl: sandbox.url,
		});
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/DOCTYPE/);
	});

	it('thirty entity-bomb rows in a row leave the process alive and its memory bounded', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'doctype', variant: 'entityBomb', path: STATE, times: Infinity });
		const before = process.memoryUsage().heapUsed;
		const result = await runNode(sandbox, 'targetSmsStatus', {
			items: Array.from({ length: 30 }, (_, index) => ({ id: String(index + 1) })),
			parameters: { ...status, resource: 'message' },
			settings: { continueOnFail: true },
		});
		expect(result.output('Node')).toHaveLength(30);
		expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
	});

	it.each([true, false])('a reply over 32 MB (Content-Length given: %s) is refused without reading it all', async (declareLength) => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'oversize', bytes: 64 * 1024 * 1024, declareLength, path: MESSAGE });
		const result = await runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }],
			parameters: { ...sms, options: { automaticRetries: false } },
			settings: { continueOnFail: true },
		});
		const [item] = result.output(NODE_NAME);
		expect(item.json.error).toBe('TargetSMS sent a reply larger than 32 MB; it was not read');
		expect(item.json.mayHaveBeenSent).toBe(true);
		await sandbox.whenRepliesWritten();
		const [request] = requestsTo(sandbox, MESSAGE);
		// What the sandbox could write: what the node read, plus what the connection buffers hold (a few MB).
		expect(request.bytesWritten).toBeLessThan((declareLength ? 8 : 40) * 1024 * 1024);
	});

	it(
		'a reply that trickles in fails at the deadline of its attempt, however often a byte arrives',
		withTiming({ attemptDeadlineMs: 700 }, async () => {
			const { sandbox } = context;
			sandbox.failNext({ kind: 'trickle', intervalMs: 100, path: MESSAGE, times: Infinity });
			const started = Date.now();
			const result = await runTargetSms(sandbox, { items: [{ phone: '79000000001' }], parameters: sms });
			const elapsed = Date.now() - started;
			const error = result.nodeError(NODE_NAME) as Described;
			expect(error.message).toMatch(/did not answer within 1 s \(3 attempts\)$/);
			expect(error.description).toContain('may have reached TargetSMS');
			expect(elapsed).toBeGreaterThanOrEqual(3 * 700);
			expect(elapsed).toBeLessThan(3 * 700 + 2_000);
			// Each attempt was processed; the ids made the repeats harmless.
			expect(requestsTo(sandbox, MESSAGE)).toHaveLength(3);
			expect(sandbox.messages).toHaveLength(1);
		}),
	);
});

describe('the real defaults', () => {
	it('retry an SMS send after 0.5–3 s, then after 1–5 s; each attempt has 120 s', async () => {
		const { sandbox } = context;
		distTransport.setTransportTimingForTests(undefined);
		try {
			expect(distTransport.DEFAULT_TRANSPORT_TIMING).toEqual({
				attemptDeadlineMs: 120_000,
				backoffMs: [
					[500, 3_000],
					[1_000, 5_000],
				],
				maxRetryAfterMs: 30_000,
			});
			sandbox.failNext({ kind: 'http', status: 503, path: MESSAGE, times: 2 });
			const result = await runTargetSms(sandbox, { items: [{ phone: '79000000001' }], parameters: sms });
			expect(result.error).toBeUndefined();
			const times = requestsTo(sandbox, MESSAGE).map((request) => request.receivedAt.getTime());
			expect(times).toHaveLength(3);
			const [first, second] = [times[1] - times[0], times[2] - times[1]];
			expect(first).toBeGreaterThanOrEqual(450);
			expect(first).toBeLessThanOrEqual(3_300);
			expect(second).toBeGreaterThanOrEqual(950);
			expect(second).toBeLessThanOrEqual(5_300);
		} finally {
			distTransport.setTransportTimingForTests(FAST_TIMING);
		}
	}, 20_000);
});

describe('nothing sent is hidden', () => {
	it('an OTP run failing on one item lists the codes sent to the others', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http500', path: OTP, bodyIncludes: '79000000002' });
		const result = await runNode(sandbox, 'targetSmsOtp', {
			items: [{ phone: '79000000001' }, { phone: '79000000002' }, { phone: '79000000003' }],
			parameters: code,
		});
		const error = result.nodeError('Node') as Described;
		expect(error.message).toBe('TargetSMS answered HTTP 500');
		expect(sandbox.otps.map((otp) => otp.phone).sort()).toEqual(['79000000001', '79000000003']);
		expect(error.description).toContain('Already accepted by TargetSMS (2):');
		for (const otp of sandbox.otps) expect(error.description).toContain(`+${otp.phone}: id_sms ${otp.idSms}, code ${otp.code}`);
		expect(error.description).toContain("n8n's Retry of this execution, or a new execution, would send it again");
	});

	it('with Hide Code, the listed codes are their hashes, never the codes', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http500', path: OTP, bodyIncludes: '79000000002' });
		const result = await runNode(sandbox, 'targetSmsOtp', {
			items: [{ phone: '79000000001' }, { phone: '79000000002' }],
			parameters: { ...code, options: { hideCode: true } },
			credentialData: { otpSecret: 'from-the-credential' },
		});
		const error = result.nodeError('Node') as Described;
		const [otp] = sandbox.otps;
		expect(error.description).toMatch(new RegExp(`\\+${otp.phone}: id_sms ${otp.idSms}, codeHash hmac-sha256:`));
		expect(error.description).not.toContain(`code ${otp.code}`);
	});

	it('with continueOnFail, an email whose request may have reached TargetSMS says so and keeps its ids', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http500', path: EMAIL, bodyIncludes: 'b@example.com' });
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items: [{ to: 'a@example.com' }, { to: 'b@example.com' }],
			parameters: letter,
			settings: { continueOnFail: true },
		});
		const [sent, failed] = result.output('Node').map((item) => item.json);
		expect(sent.externalMessageId).toBe(sandbox.emails[0].externalMessageId);
		expect(failed).toMatchObject({ to: 'b@example.com', messageId: expect.stringMatching(/^\d+$/), mayHaveBeenSent: true });
	});
});
