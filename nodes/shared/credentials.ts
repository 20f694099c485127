import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeForbiddenCharacter, findControlCharacter } from './protocol/text';
import { InputError } from './validation/input-error';

export const SMS_API_CREDENTIAL = 'targetSmsApi';

export interface TargetSmsApiCredentials {
	login: string;
	password: string;
	smsBaseUrl: string;
	apiBaseUrl: string;
	/** Key of the OTP node's code hashes; '' when not set. */
	otpSecret: string;
}

/** The credential's values; a login or password the protocol cannot carry is refused (never quoting it). */
export function readTargetSmsApiCredentials(data: ICredentialDataDecryptedObject): TargetSmsApiCredentials {
	return {
		login: singleLine(data.login, 'Login'),
		password: singleLine(data.password, 'Password'),
		smsBaseUrl: baseUrl(data.smsBaseUrl, 'https://sms.targetsms.ru'),
		apiBaseUrl: baseUrl(data.apiBaseUrl, 'https://apiagent.ru'),
		otpSecret: typeof data.otpSecret === 'string' ? data.otpSecret : '',
	};
}

/** Loads the TargetSMS API credential for an execution, as n8n's error if it cannot be used. */
/** Every secret of the credential: none may reach an error, an output or a log. */
export function targetSmsApiSecrets(credentials: TargetSmsApiCredentials): string[] {
	return [credentials.password, credentials.otpSecret].filter((secret) => secret !== '');
}

/** What loading a credential needs of a context: an execution's, or a trigger's hook, webhook or poll. */
export interface CredentialContext {
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
	getNode(): INode;
}

export function loadTargetSmsApiCredentials(context: CredentialContext): Promise<TargetSmsApiCredentials> {
	return loadCredentials(context, SMS_API_CREDENTIAL, 'TargetSMS API', readTargetSmsApiCredentials);
}

/**
 * Loads a credential and reads it; a value the node cannot use stops the node before anything is sent, naming the
 * field (never quoting its value).
 */
export async function loadCredentials<T>(
	context: CredentialContext,
	type: string,
	displayName: string,
	read: (data: ICredentialDataDecryptedObject) => T,
): Promise<T> {
	const data = await context.getCredentials(type);
	try {
		return read(data);
	} catch (error) {
		const field = error instanceof InputError ? error.field : undefined;
		throw new NodeOperationError(
			context.getNode(),
			`Credential "${displayName}": ${error instanceof Error ? error.message : String(error)}`,
			{ description: `Nothing was sent. Fix the ${field ? `"${field}" field` : 'values'} of the credential.` },
		);
	}
}

function singleLine(value: unknown, field: string): string {
	const text = String(value ?? '');
	const forbidden = findControlCharacter(text);
	if (forbidden) throw new InputError(field, `has a ${describeForbiddenCharacter(forbidden)} that cannot be sent`);
	return text;
}

function baseUrl(value: unknown, fallback: string): string {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
	return text.replace(/\/+$/, '');
}
