import type { SandboxMessage } from '../sandbox/store';

/** The TargetSMS node's output for a recipient the sandbox accepted as a new one-part SMS (the output contract). */
export function acceptedSmsJson(message: SandboxMessage): Record<string, unknown> {
	return {
		phone: message.phone,
		messageId: message.idMessage,
		clientMessageId: message.clientIdMessage,
		smsId: message.idSms,
		viberId: null,
		parts: 1,
		status: 'send',
		alreadySent: false,
	};
}
