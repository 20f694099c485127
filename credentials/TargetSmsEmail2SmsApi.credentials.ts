import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class TargetSmsEmail2SmsApi implements ICredentialType {
	name = 'targetSmsEmail2SmsApi';

	displayName = 'TargetSMS Email2SMS API';

	icon: Icon = { light: 'file:../icons/targetsms.svg', dark: 'file:../icons/targetsms.dark.svg' };

	documentationUrl = 'https://github.com/targetsms/n8n-nodes-targetsms#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'SMTP Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'smtp.example.ru',
			description: 'Outgoing mail server of the mailbox whose address is registered with TargetSMS',
		},
		{
			displayName: 'SMTP Port',
			name: 'port',
			type: 'number',
			default: 465,
			description: '465 for SSL/TLS; 587 (or 25) with SSL/TLS off, where the connection is upgraded with STARTTLS',
		},
		{
			displayName: 'SSL/TLS',
			name: 'secure',
			type: 'boolean',
			default: true,
			description:
				'Whether to use TLS from the start (port 465). Off, the connection must be upgraded with STARTTLS; only a server on this machine may do without.',
		},
		{
			displayName: 'SMTP User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'Login of the mailbox on the SMTP server (often the email address itself)',
		},
		{
			displayName: 'SMTP Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Password of the mailbox on the SMTP server (for some providers an app password)',
		},
		{
			displayName: 'From Address',
			name: 'from',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'sms@example.ru',
			description: 'The return address registered with TargetSMS; the gateway accepts emails only from it',
		},
		{
			displayName: 'SMS Login',
			name: 'smsLogin',
			type: 'string',
			default: '',
			required: true,
			description: 'Your TargetSMS login (the template line SmsUser)',
		},
		{
			displayName: 'SMS Password',
			name: 'smsPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your TargetSMS password (the template line Password); Email2SMS accepts at most 8 characters',
		},
		{
			displayName: 'Gateway Address',
			name: 'gatewayAddress',
			type: 'string',
			default: 'emailtosms@email2smsapi.ru',
			description: 'The Email2SMS address of TargetSMS. Change it only to use the local sandbox.',
		},
	];
}
