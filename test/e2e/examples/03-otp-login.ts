import { hashOtpCode } from '../../../nodes/shared/protocol/agent/otp-hash';
import { SANDBOX_OTP_SECRET } from '../../../scripts/n8n/credentials';
import type { ExampleExpectation } from '../expectation';
import { parameter } from '../expectation';

const TEXT = (code: string): string => `Код для входа: ${code}. Никому его не сообщайте.`;

/**
 * Two OTP SMS: one with Hide Code (only the hash keyed by the credential's OTP Secret leaves the node; a wrong entry
 * fails verification with "mismatch") and one with the visible code (typed correctly, verified). The If routes each
 * to its branch. No secret sits in the workflow.
 */
export const expectation: ExampleExpectation = {
	check({ sandbox, output, workflow }) {
		expect(parameter(workflow, 'Send code (Hide Code)', 'options.secret')).toBeUndefined();
		expect(parameter(workflow, 'Verify code (hash)', 'options.secret')).toBeUndefined();
		expect(JSON.stringify(workflow)).not.toMatch(/"secret"/);

		expect(sandbox.requests.map(({ path }) => path)).toEqual(['/password_generation/api.php', '/password_generation/api.php']);
		expect(sandbox.otps).toHaveLength(2);
		for (const otp of sandbox.otps) {
			expect(otp).toMatchObject({ phone: '79001234561', sender: 'MyShop', text: TEXT(otp.code) });
			expect(otp.code).toMatch(/^[0-9]{6}$/);
		}

		const [hidden] = output('Send code (Hide Code)');
		const hiddenOtp = sandbox.otps.find((otp) => otp.idSms === hidden.smsId);
		expect(hiddenOtp).toBeDefined();
		expect(hidden).toEqual({
			phone: '79001234561',
			codeHash: `hmac-sha256:${String(hidden.sentAt)}:${String(hidden.codeHash).slice(-64)}`,
			sentAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
			smsId: hiddenOtp?.idSms,
			status: 'send',
		});
		expect(String(hidden.codeHash)).toMatch(/:[0-9a-f]{64}$/);
		// Keyed by the credential's OTP Secret.
		expect(hidden.codeHash).toBe(
			hashOtpCode({ phone: '79001234561', sentAt: String(hidden.sentAt), code: String(hiddenOtp?.code), secret: SANDBOX_OTP_SECRET }),
		);
		expect(JSON.stringify(hidden)).not.toContain(String(hiddenOtp?.code));
		expect(output('Verify code (hash)')).toMatchObject([{ typedCode: '12345', valid: false, reason: 'mismatch' }]);

		const [visible] = output('Send code (visible, demo)');
		const visibleOtp = sandbox.otps.find((otp) => otp.idSms === visible.smsId);
		expect(visible).toEqual({ phone: '79001234561', code: visibleOtp?.code, smsId: visibleOtp?.idSms, status: 'send' });
		expect(output('Verify code (plain)')).toMatchObject([{ typedCode: visibleOtp?.code, valid: true }]);
		expect(output('Verify code (plain)')[0]).not.toHaveProperty('reason');

		expect(output('Log in')).toMatchObject([{ valid: true, result: 'Вход выполнен' }]);
		expect(output('Refuse login')).toMatchObject([{ valid: false, result: 'Вход запрещён: mismatch' }]);
	},
};
