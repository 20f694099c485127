/**
 * The password and the OTP Secret appear in no output, error or provider text passed on, in any encoding a server may
 * echo them in, through every HTTP node and the credential test, in n8n's engine against an echoing sandbox. (The
 * end-to-end suite reads what a real n8n stores: its database and its log.)
 */
import { findSecret, secretForms } from '../support/secret-forms';
import { TargetSmsSandbox } from '../sandbox/server';
import type { RunResult } from './harness';
import { testCredential } from './harness';
import { runNode, runTargetSms, targetSmsNodeType, distTransport, FAST_TIMING } from './targetsms-fixture';

const PASSWORD = 'Zx9!q&"<\'> ü+%/=тест~Pa55';
const OTP_SECRET = 'otp/Secret+тест&"<>';
const sandbox = new TargetSmsSandbox({ password: PASSWORD });
const forms = [...secretForms(PASSWORD), ...secretForms(OTP_SECRET)];

beforeAll(async () => {
	distTransport.setTransportTimingForTests(FAST_TIMING);
	await sandbox.start();
});
afterAll(async () => {
	distTransport.setTransportTimingForTests(undefined);
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

const credentialData = { otpSecret: OTP_SECRET };

const nodes = {
	sms: (settings: object) =>
		runTargetSms(sandbox, {
			items: [{ phone: '79000000001' }],
			parameters: { operation: 'send', channel: 'sms', phones: '={{ $json.phone }}', smsSender: 'S', smsText: 't' },
			password: PASSWORD,
			credentialData,
			settings,
		}),
	emailJson: (settings: object) => email('json', settings),
	emailXml: (settings: object) => email('xml', settings),
	otp: (settings: object) =>
		runNode(sandbox, 'targetSmsOtp', {
			items: [{ phone: '79000000001' }],
			parameters: { operation: 'send', phone: '={{ $json.phone }}', sender: 's', codeLength: 4, text: '{код}', options: { hideCode: true } },
			password: PASSWORD,
			credentialData,
			settings,
		}),
	statusMessage: (settings: object) => status('message', settings),
	statusSms: (settings: object) => status('sms', settings),
	statusEmail: (settings: object) => status('email', settings),
};

function email(format: 'json' | 'xml', settings: object): Promise<RunResult> {
	return runNode(sandbox, 'targetSmsEmail', {
		items: [{ to: 'a@example.com' }],
		parameters: { operation: 'send', format, from: 'shop@example.com', to: '={{ $json.to }}', subject: 'S', body: 'B' },
		password: PASSWORD,
		credentialData,
		settings,
	});
}

function status(resource: 'message' | 'sms' | 'email', settings: object): Promise<RunResult> {
	return runNode(sandbox, 'targetSmsStatus', {
		items: [{ id: '12345' }],
		parameters: { resource, operation: 'get', ids: '={{ $json.id }}' },
		password: PASSWORD,
		credentialData,
		settings,
	});
}

describe.each([500, 200])('a reply echoing the request (HTTP %s)', (echoStatus) => {
	it.each(Object.keys(nodes) as Array<keyof typeof nodes>)('%s: no trace of a secret, with or without Continue On Fail', async (name) => {
		for (const settings of [{}, { continueOnFail: true }]) {
			sandbox.reset();
			sandbox.failNext({ kind: 'echo', status: echoStatus, times: Infinity });
			const result = await nodes[name](settings);
			// The echo really carried the password: the test would otherwise pass for nothing.
			const echoed = sandbox.requests.map((request) => request.responseBody).join('\n');
			expect(findSecret(echoed, secretForms(PASSWORD)).length).toBeGreaterThan(0);
			const failed = result.nodeError('Node') ?? result.nodeError('TargetSMS');
			const output = JSON.stringify(result.run);
			if ('continueOnFail' in settings) {
				expect(output).toMatch(/"error":/);
			} else {
				expect(failed?.message).toBeTruthy();
			}
			expect(findSecret(output, forms)).toEqual([]);
			expect(findSecret(`${failed?.message ?? ''}\n${(failed as { description?: string })?.description ?? ''}`, forms)).toEqual([]);
		}
	});
});

it('the credential test shows no trace of the password when the reply echoes it', async () => {
	for (const echoStatus of [500, 200]) {
		sandbox.reset();
		sandbox.failNext({ kind: 'echo', status: echoStatus, times: Infinity });
		const result = await testCredential(targetSmsNodeType, 'targetSmsApiTest', 'targetSmsApi', {
			login: TargetSmsSandbox.DEFAULT_LOGIN,
			password: PASSWORD,
			smsBaseUrl: sandbox.url,
			apiBaseUrl: sandbox.url,
			otpSecret: OTP_SECRET,
		});
		expect(result.status).toBe('Error');
		expect(findSecret(sandbox.requests[0].responseBody, secretForms(PASSWORD)).length).toBeGreaterThan(0);
		expect(findSecret(result.message, forms)).toEqual([]);
	}
});
