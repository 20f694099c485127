import type { IHookFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import { loadTargetSmsApiCredentials, targetSmsApiSecrets } from '../../shared/credentials';
import type { TargetSmsApiCredentials } from '../../shared/credentials';
import { XML_CONTENT_TYPE } from '../../shared/protocol/xml';
import { toNodeApiError, transportOutsideExecution } from '../../shared/transport';

export type TriggerContext = IHookFunctions | IPollFunctions | IWebhookFunctions;

/**
 * One read or setting of the SMS API from a trigger (`get_state.php`, `incoming.php`): the credential, the shared
 * transport (retried: reading and setting the URL are repeatable), n8n's error on failure, secrets removed.
 */
export async function callSmsApi<T>(
	context: TriggerContext,
	path: string,
	build: (credentials: TargetSmsApiCredentials) => string,
	parse: (body: string) => T,
): Promise<T> {
	const credentials = await loadTargetSmsApiCredentials(context);
	const secrets = targetSmsApiSecrets(credentials);
	const result = await transportOutsideExecution(context).call({
		url: credentials.smsBaseUrl + path,
		body: build(credentials),
		contentType: XML_CONTENT_TYPE,
		parse,
		secrets,
		retry: 'deduplicated',
	});
	if (!result.ok) throw toNodeApiError(context.getNode(), result.failure, { secrets });
	return result.value;
}
