import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class TargetSmsApi implements ICredentialType {
	name = 'targetSmsApi';

	displayName = 'TargetSMS API';

	icon: Icon = { light: 'file:../icons/targetsms.svg', dark: 'file:../icons/targetsms.dark.svg' };

	documentationUrl = 'https://github.com/targetsms/n8n-nodes-targetsms#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Login',
			name: 'login',
			type: 'string',
			default: '',
			required: true,
			description: 'Your TargetSMS account login (the one you sign in to the personal account with)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your TargetSMS account password',
		},
		{
			displayName: 'SMS API Base URL',
			name: 'smsBaseUrl',
			type: 'string',
			default: 'https://sms.targetsms.ru',
			description:
				'Base of the SMS and Viber API (xml/message.php, xml/state_message.php). Change it only to use the local sandbox.',
		},
		{
			displayName: 'Agent API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'https://apiagent.ru',
			description:
				'Base of the email and one-time-password API. Change it only to use the local sandbox.',
		},
		{
			displayName: 'OTP Secret',
			name: 'otpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Key of the code hashes of the TargetSMS OTP node (Hide Code, and Verify of a codeHash): any long random text. Kept here, it is stored encrypted and never sits in a workflow. The node\'s Secret option, where set, overrides it.',
		},
	];
}
