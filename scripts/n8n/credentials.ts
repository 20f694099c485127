/**
 * The two credentials every example workflow refers to (by these ids and names), pointing at the local
 * sandboxes: the TargetSMS HTTP sandbox and the Email2SMS SMTP sandbox.
 */
import { TargetSmsSandbox } from '../../test/sandbox/server';
import type { TargetSmsSmtpSandbox } from '../../test/sandbox/smtp/server';
import type { CredentialExport } from './instance';

export const SANDBOX_API_CREDENTIAL = { id: 'targetsmsSandbox01', name: 'TargetSMS sandbox', type: 'targetSmsApi' } as const;
export const SANDBOX_EMAIL2SMS_CREDENTIAL = {
	id: 'targetsmsSmtp0001',
	name: 'TargetSMS Email2SMS sandbox',
	type: 'targetSmsEmail2SmsApi',
} as const;

/**
 * The sandbox credential's OTP Secret (`otpSecret`): the key of the OTP node's code hashes, kept in the credential so
 * that no workflow (example 3) holds it.
 */
export const SANDBOX_OTP_SECRET = 'sandbox-otp-secret-3f9c1e7a5b2d4086';

type SmtpAccount = Pick<
	TargetSmsSmtpSandbox,
	'smtpUser' | 'smtpPassword' | 'returnAddress' | 'smsLogin' | 'smsPassword' | 'gatewayAddress'
>;

export function sandboxCredentials(
	httpUrl: string,
	smtp: { host: string; port: number; sandbox: SmtpAccount },
): CredentialExport[] {
	return [
		{
			...SANDBOX_API_CREDENTIAL,
			data: {
				login: TargetSmsSandbox.DEFAULT_LOGIN,
				password: TargetSmsSandbox.DEFAULT_PASSWORD,
				smsBaseUrl: httpUrl,
				apiBaseUrl: httpUrl,
				otpSecret: SANDBOX_OTP_SECRET,
			},
		},
		{
			...SANDBOX_EMAIL2SMS_CREDENTIAL,
			data: {
				host: smtp.host,
				port: smtp.port,
				secure: false,
				user: smtp.sandbox.smtpUser,
				password: smtp.sandbox.smtpPassword,
				from: smtp.sandbox.returnAddress,
				smsLogin: smtp.sandbox.smsLogin,
				smsPassword: smtp.sandbox.smsPassword,
				gatewayAddress: smtp.sandbox.gatewayAddress,
			},
		},
	];
}
