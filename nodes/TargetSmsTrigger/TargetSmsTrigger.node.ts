import type {
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { fromFunction, NodeConnectionTypes, webhookDescriptionFields } from 'n8n-workflow';

import { testTargetSmsApiCredential } from '../shared/credential-test';
import { DELIVERY_REPORT, deliveryReportHooks, receiveDeliveryReport } from './actions/delivery-report';
import { INCOMING_SMS, pollIncomingSms } from './actions/incoming-sms';

/** The webhook's method: POST for delivery reports, none (so no webhook) for incoming SMS. Self-contained: see below. */
const webhookMethod = (parameters: INodeParameters) => (parameters.event === 'incomingSms' ? '' : 'POST');

/**
 * The method as the webhook description carries it. Where n8n offers fromFunction (2.41), the editor gets the template
 * and the backend the function itself, so n8n reads it from the node's parameters without its expression engine, which
 * n8n 2.41.1 has not acquired while it tears down a webhook whose activation was refused (a plain template there failed
 * the publication with "No bridge acquired for this context" instead of the refusal). An older n8n gets the same
 * template alone. Either way the function's source is the template, so it must close over nothing.
 */
export const WEBHOOK_METHOD_FIELDS: { httpMethod: string } =
	typeof fromFunction === 'function' && typeof webhookDescriptionFields === 'function'
		? (webhookDescriptionFields({ httpMethod: fromFunction(webhookMethod) }) as { httpMethod: string })
		: { httpMethod: `={{(${String(webhookMethod)})($parameter)}}` };

export class TargetSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TargetSMS Trigger',
		name: 'targetSmsTrigger',
		icon: { light: 'file:../../icons/targetsms.svg', dark: 'file:../../icons/targetsms.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] === "incomingSms" ? "Incoming SMS" : "Delivery report" }}',
		description: 'Starts a workflow on each TargetSMS delivery report or incoming SMS',
		defaults: { name: 'TargetSMS Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'targetSmsApi', required: true, testedBy: 'targetSmsApiTest' }],
		// One node, two kinds of trigger: n8n sees a webhook only for delivery reports (an empty method adds none), so an
		// incoming-SMS workflow has no URL and the editor's test of it polls instead of waiting for a call. The poll does
		// nothing for delivery reports.
		webhooks: [
			{
				name: 'default',
				...WEBHOOK_METHOD_FIELDS,
				responseMode: 'onReceived',
				path: 'delivery-report',
			},
		],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Delivery Report',
						value: DELIVERY_REPORT,
						description: 'TargetSMS pushes each status change of your SMS to this workflow (one URL per account)',
					},
					{ name: 'Incoming SMS', value: INCOMING_SMS, description: 'Checks for SMS your customers sent to you' },
				],
				default: DELIVERY_REPORT,
			},
			{
				displayName: 'Replace Existing URL',
				name: 'replaceExistingUrl',
				type: 'boolean',
				default: false,
				displayOptions: { show: { event: [DELIVERY_REPORT] } },
				description:
					'Whether to take over the account\'s delivery-report URL when another one is set. TargetSMS keeps one URL per account: the other receiver then gets no more reports.',
			},
			{
				displayName:
					'TargetSMS keeps one delivery-report URL per account: publishing this workflow registers its URL, and it refuses to start while another URL is set (unless Replace Existing URL is on).',
				name: 'oneUrlNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: [DELIVERY_REPORT] } },
			},
		],
	};

	methods = {
		credentialTest: { targetSmsApiTest: testTargetSmsApiCredential },
	};

	webhookMethods = { default: deliveryReportHooks };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDeliveryReport.call(this);
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIncomingSms.call(this);
	}
}
