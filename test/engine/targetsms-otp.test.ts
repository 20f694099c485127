import { XMLParser } from 'fast-xml-parser';

import { TargetSmsSandbox } from '../sandbox/server';
import { requestsTo, runNode, runNodes, startSandbox } from './targetsms-fixture';

const OTP = '/password_generation/api.php';
const context = startSandbox();
const xml = new XMLParser({ parseTagValue: false, trimValues: false });

const sendCode = {
	operation: 'send',
	phone: '={{ $json.phone }}',
	sender: 'target',
	codeLength: 6,
	text: 'Ваш код: {код}. Никому его не сообщайте',
};

describe('TargetSMS OTP node in n8n’s engine against the sandbox', () => {
	it('sends the document’s request and outputs the code as a string', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsOtp', { items: [{ phone: '8 (900) 123-45-67' }], parameters: sendCode });
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(sandbox, OTP);
		expect(request.headers['content-type']).toBe('text/xml; charset=utf-8');
		expect(xml.parse(request.body).request).toEqual({
			security: { login: TargetSmsSandbox.DEFAULT_LOGIN, password: TargetSmsSandbox.DEFAULT_PASSWORD },
			phone: '+79001234567',
			sender: 'target',
			random_string_len: '6',
			text: sendCode.text,
		});
		const [otp] = sandbox.otps;
		expect(otp.code).toMatch(/^\d{6}$/);
		expect(otp.text).toBe(`Ваш код: ${otp.code}. Никому его не сообщайте`);
		expect(result.output('Node')).toEqual([
			{ json: { phone: '79001234567', code: otp.code, smsId: otp.idSms, status: 'send' }, pairedItem: { item: 0 } },
		]);
	});

	it('with Hide Code outputs a keyed hash instead, which Verify accepts with the same secret', async () => {
		const { sandbox } = context;
		const result = await runNodes(sandbox, { items: [{ phone: '+7 900 123-45-67' }] }, [
			{
				name: 'Send',
				type: 'n8n-nodes-targetsms.targetSmsOtp',
				parameters: { ...sendCode, options: { hideCode: true, secret: 's3cret' } },
			},
		]);
		const [sent] = result.output('Send');
		const code = sandbox.otps[0].code;
		expect(sent.json.code).toBeUndefined();
		expect(JSON.stringify(result.run)).not.toContain(`"${code}"`);
		expect(sent.json.codeHash).toMatch(/^hmac-sha256:\d{4}-\d{2}-\d{2}T[\d:.]+Z:[0-9a-f]{64}$/);
		expect(sent.json.sentAt).toBe(String(sent.json.codeHash).split(':').slice(1, -1).join(':'));

		const verify = (typed: string, secret = 's3cret', phone = '79001234567', maxAge?: number) =>
			runNode(sandbox, 'targetSmsOtp', {
				items: [{ typed, hash: sent.json.codeHash }],
				parameters: {
					operation: 'verify',
					code: '={{ $json.typed }}',
					expected: '={{ $json.hash }}',
					phone,
					options: { secret, ...(maxAge ? { maxAge } : {}) },
				},
			}).then((run) => run.output('Node')[0].json);
		expect(await verify(code)).toMatchObject({ valid: true, typed: code });
		expect(await verify(` ${code} `)).toMatchObject({ valid: true });
		expect(await verify(code === '000000' ? '000001' : '000000')).toMatchObject({ valid: false, reason: 'mismatch' });
		expect(await verify(code, 'other-secret')).toMatchObject({ valid: false, reason: 'mismatch' });
		expect(await verify(code, 's3cret', '79001234568')).toMatchObject({ valid: false, reason: 'mismatch' });
		expect(await verify(code, 's3cret', '79001234567', 5)).toMatchObject({ valid: true });
	});

	it("keys the hash with the credential's OTP Secret, so no secret sits in the workflow; the option overrides it", async () => {
		const { sandbox } = context;
		const credentialData = { otpSecret: 'credential-key-0f3a' };
		const sent = await runNodes(sandbox, { items: [{ phone: '79001234567' }], credentialData }, [
			{ name: 'Send', type: 'n8n-nodes-targetsms.targetSmsOtp', parameters: { ...sendCode, options: { hideCode: true } } },
		]);
		const [item] = sent.output('Send');
		const code = sandbox.otps[0].code;
		const verify = (options: Record<string, string>, data: Record<string, string> = credentialData) =>
			runNode(sandbox, 'targetSmsOtp', {
				items: [{ typed: code, hash: item.json.codeHash }],
				credentialData: data,
				parameters: { operation: 'verify', code: '={{ $json.typed }}', expected: '={{ $json.hash }}', phone: '79001234567', options },
			});
		expect((await verify({})).output('Node')[0].json).toMatchObject({ valid: true });
		expect((await verify({ secret: 'another-key' })).output('Node')[0].json).toMatchObject({ valid: false, reason: 'mismatch' });
		expect((await verify({ secret: 'credential-key-0f3a' }, {})).output('Node')[0].json).toMatchObject({ valid: true });
		const without = await verify({}, { otpSecret: '' });
		expect(without.nodeError('Node')?.message).toBe(
			'Item 0: Secret: is required to check a codeHash: use the one Send used: set OTP Secret in the TargetSMS API credential (or the Secret option)',
		);

		const noKey = await runNodes(sandbox, { items: [{ phone: '79001234567' }] }, [
			{ name: 'Send', type: 'n8n-nodes-targetsms.targetSmsOtp', parameters: { ...sendCode, options: { hideCode: true } } },
		]);
		expect(noKey.nodeError('Send')?.message).toMatch(/^Item 0: Secret: is required with Hide Code: it keys the code hash: set OTP Secret/);
		expect(sandbox.otps).toHaveLength(1);
	});

	it('Verify refuses an expired code, compares plain codes, and keeps the input fields', async () => {
		const { sandbox } = context;
		const oldHash = (await import('../../nodes/shared/protocol/agent/otp-hash')).hashOtpCode({
			phone: '79001234567',
			sentAt: new Date(Date.now() - 10 * 60_000).toISOString(),
			code: '0123',
			secret: 'k',
		});
		const result = await runNode(sandbox, 'targetSmsOtp', {
			items: [
				{ typed: '0123', expected: oldHash, phone: '79001234567' },
				{ typed: '0123', expected: '0123', phone: '' },
				{ typed: '123', expected: '0123', phone: '' },
			],
			parameters: {
				operation: 'verify',
				code: '={{ $json.typed }}',
				expected: '={{ $json.expected }}',
				phone: '={{ $json.phone }}',
				options: { secret: 'k', maxAge: '={{ $json.phone ? 5 : undefined }}' },
			},
		});
		expect(result.output('Node').map((item) => [item.json.valid, item.json.reason, item.pairedItem])).toEqual([
			[false, 'expired', { item: 0 }],
			[true, undefined, { item: 1 }],
			[false, 'mismatch', { item: 2 }],
		]);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('treats not_valid_phone as that item’s error', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsOtp', {
			items: [{ phone: '79001000000' }, { phone: '79001234567' }],
			parameters: sendCode,
			settings: { continueOnFail: true },
		});
		const output = result.output('Node');
		expect(output[0]).toMatchObject({ json: { error: expect.stringMatching(/not_valid_phone/) }, pairedItem: { item: 0 } });
		expect(output[1].json.code).toMatch(/^\d{6}$/);

		const failed = await runNode(sandbox, 'targetSmsOtp', { items: [{ phone: '79001000000' }], parameters: sendCode });
		expect(failed.nodeError('Node')).toMatchObject({ name: 'NodeApiError', message: expect.stringMatching(/not_valid_phone/) });
	});

	it('shows the provider’s refusal of the login', async () => {
		const { sandbox } = context;
		const result = await runNodes(sandbox, { items: [{ phone: '79001234567' }], password: 'wrong' }, [
			{ name: 'Node', type: 'n8n-nodes-targetsms.targetSmsOtp', parameters: sendCode },
		]);
		expect(result.nodeError('Node')?.message).toMatch(/^TargetSMS refused the request: Неверный логин или пароль/);
	});

	it.each([
		['a text without {код}', { text: 'Ваш код' }, /^Item 0: Text: must contain \{код\}/],
		['a code length outside 4–8', { codeLength: 9 }, /^Item 0: Code Length: must be a whole number from 4 to 8/],
		['an invalid phone', { phone: '12' }, /^Item 0: Phone: "12"/],
		['Hide Code without a secret', { options: { hideCode: true } }, /^Item 0: Secret: is required with Hide Code/],
	])('refuses %s before any request', async (_label, override, message) => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsOtp', {
			items: [{ phone: '79001234567' }],
			parameters: { ...sendCode, ...override },
		});
		expect(result.nodeError('Node')?.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('Verify refuses Max Age with a plain expected code', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsOtp', {
			items: [{}],
			parameters: { operation: 'verify', code: '1234', expected: '1234', options: { maxAge: 5 } },
		});
		expect(result.nodeError('Node')?.message).toMatch(/^Item 0: Max Age \(Minutes\): needs a codeHash/);
	});
});
