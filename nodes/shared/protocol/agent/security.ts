import type { SmsApiLogin } from '../sms/types';
import { protocolText } from '../text';

/** `<security>` / `security` as the agent API (email, OTP) reads it: credentials as element text or JSON strings. */
export function agentSecurity({ login, password }: SmsApiLogin): { login: string; password: string } {
	return { login: protocolText('login', login, true), password: protocolText('password', password, true) };
}
