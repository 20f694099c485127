import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { verifySmtpLogin } from '../shared/smtp';
import { readEmail2SmsCredentials } from '../shared/validation/email2sms-credentials';

/**
 * Checks the credential's values (the SMS password's 8-character limit included), then connects to the SMTP
 * server, sets up TLS and logs in (nodemailer's verify). Nothing is sent; the server's own refusal is shown.
 */
export async function testTargetSmsEmail2SmsCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let credentials;
	try {
		credentials = readEmail2SmsCredentials(credential.data ?? {});
	} catch (error) {
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	}
	const result = await verifySmtpLogin(credentials, [credentials.password, credentials.smsPassword]);
	if (!result.ok) {
		const { message, description } = result.failure;
		return { status: 'Error', message: description ? `${message}. ${description}` : message };
	}
	return { status: 'OK', message: 'Connection successful: the SMTP server accepted the login' };
}
