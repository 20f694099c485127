import { protocolText } from '../text';
import type { XmlNode } from '../xml';
import { ATTRIBUTE_PREFIX } from '../xml';
import type { SmsApiLogin } from './types';

/** `<security>` as the SMS/Viber API reads it: credentials in `value` attributes. */
export function securityElement({ login, password }: SmsApiLogin): XmlNode {
	return {
		login: { [ATTRIBUTE_PREFIX + 'value']: protocolText('login', login, true) },
		password: { [ATTRIBUTE_PREFIX + 'value']: protocolText('password', password, true) },
	};
}
