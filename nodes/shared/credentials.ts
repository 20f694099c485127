import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const SMS_API_CREDENTIAL = 'targetSmsApi';

export interface TargetSmsApiCredentials {
	login: string;
	password: string;
	smsBaseUrl: string;
	apiBaseUrl: string;
}

export function readTargetSmsApiCredentials(data: ICredentialDataDecryptedObject): TargetSmsApiCredentials {
	return {
		login: String(data.login ?? ''),
		password: String(data.password ?? ''),
		smsBaseUrl: baseUrl(data.smsBaseUrl, 'https://sms.targetsms.ru'),
		apiBaseUrl: baseUrl(data.apiBaseUrl, 'https://apiagent.ru'),
	};
}

function baseUrl(value: unknown, fallback: string): string {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
	return text.replace(/\/+$/, '');
}
