import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { TargetSmsApiCredentials } from './credentials';
import { readTargetSmsApiCredentials, targetSmsApiSecrets } from './credentials';
import { XML_CONTENT_TYPE } from './protocol/xml';
import { buildMessageStateRequest, parseMessageStateResponse, STATE_MESSAGE_PATH } from './protocol/sms/state';
import { transportForCredentialTest } from './transport';

/** Asks for the status of no message at all: only the login is checked, nothing is sent or charged. */
export async function testTargetSmsApiCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let credentials: TargetSmsApiCredentials;
	try {
		credentials = readTargetSmsApiCredentials(credential.data ?? {});
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	const result = await transportForCredentialTest(this).call({
		url: credentials.smsBaseUrl + STATE_MESSAGE_PATH,
		body: buildMessageStateRequest(credentials, []),
		contentType: XML_CONTENT_TYPE,
		parse: parseMessageStateResponse,
		secrets: targetSmsApiSecrets(credentials),
		retry: 'deduplicated',
	});
	if (!result.ok) return { status: 'Error', message: result.failure.message };
	return { status: 'OK', message: 'Connection successful' };
}
