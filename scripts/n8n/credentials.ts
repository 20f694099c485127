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
