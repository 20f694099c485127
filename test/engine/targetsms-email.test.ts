import { XMLParser } from 'fast-xml-parser';

import { TargetSmsSandbox } from '../sandbox/server';
import { requestsTo, runNode, startSandbox } from './targetsms-fixture';

const EMAIL = '/clients/api.php';
const context = startSandbox();
const from = TargetSmsSandbox.DEFAULT_EMAIL_FROM;
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: false });

const letter = {
	operation: 'send',
	from,
	to: '={{ $json.to }}',
	subject: '={{ $json.subject }}',
	body: '={{ $json.body }}',
};

function decodeLetter(base64: string): string {
	return Buffer.from(base64, 'base64').toString('utf8');
}

describe('TargetSMS Email node in n8n’s engine against the sandbox', () => {
	const items = [
		{ to: 'anna@example.ru', subject: 'Заказ №1 — «готов»', body: '<p>Здравствуйте, Анна!</p>\n<b>&amp; спасибо</b> 😀' },
		{ to: 'boris@example.com', subject: 'Order <2> & "more"', body: 'plain text\r\nline 2' },
	];

	it('sends one JSON request per letter, exactly as the document shows', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsEmail', { items, parameters: { ...letter, format: 'json' } });
		expect(result.error).toBeUndefined();
		const requests = requestsTo(sandbox, EMAIL);
		expect(requests).toHaveLength(2);
		const bodies = requests.map((request) => JSON.parse(request.body));
		for (const request of requests) expect(request.headers['content-type']).toBe('application/json');
		const sentTo = bodies.map((body) => body.email.to).sort();
		expect(sentTo).toEqual(['anna@example.ru', 'boris@example.com']);
		for (const body of bodies) {
			const item = items.find((candidate) => candidate.to === body.email.to)!;
			expect(body).toEqual({
				security: { login: TargetSmsSandbox.DEFAULT_LOGIN, password: TargetSmsSandbox.DEFAULT_PASSWORD },
				from,
				email: { letter: expect.any(String), id_message: expect.stringMatching(/^\d+$/), to: item.to, subject: item.subject },
			});
			expect(decodeLetter(body.email.letter)).toBe(item.body);
		}
		const output = result.output('Node');
		expect(output).toHaveLength(2);
		output.forEach((outputItem, index) => {
			expect(outputItem.pairedItem).toEqual({ item: index });
			const stored = sandbox.emails.find((email) => email.to === items[index].to)!;
			expect(outputItem.json).toEqual({
				to: items[index].to,
				messageId: stored.messageId,
				externalMessageId: stored.externalMessageId,
			});
			expect(stored).toMatchObject({ subject: items[index].subject, body: items[index].body, format: 'json', from });
		});
	});

	it('sends the XML form with element-text login and the letter in base64', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items: [items[0]],
			parameters: { ...letter, format: 'xml', options: { messageId: '777' } },
		});
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(sandbox, EMAIL);
		expect(request.headers['content-type']).toBe('text/xml; charset=utf-8');
		const document = xml.parse(request.body).request;
		expect(document.security).toEqual({ login: TargetSmsSandbox.DEFAULT_LOGIN, password: TargetSmsSandbox.DEFAULT_PASSWORD });
		expect(document.from).toBe(from);
		expect(document.email).toEqual({ to: items[0].to, subject: items[0].subject, id_message: '777', letter: expect.any(String) });
		expect(decodeLetter(document.email.letter)).toBe(items[0].body);
		expect(result.output('Node')[0].json).toEqual({
			to: items[0].to,
			messageId: '777',
			externalMessageId: sandbox.emails[0].externalMessageId,
		});
	});

	it('keeps output order and pairing with several letters in flight', async () => {
		const { sandbox } = context;
		const many = Array.from({ length: 12 }, (_, index) => ({ to: `user${index}@example.ru`, subject: `S${index}`, body: `B${index}` }));
		sandbox.failNext({ kind: 'slow', path: EMAIL, delayMs: 150 });
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items: many,
			parameters: { ...letter, options: { concurrency: 4 } },
		});
		const output = result.output('Node');
		expect(output.map((item) => item.json.to)).toEqual(many.map((item) => item.to));
		expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual(many.map((_, index) => index));
		expect(new Set(output.map((item) => item.json.externalMessageId)).size).toBe(12);
	});

	it('derives id_message deterministically, so the same execution reuses it', async () => {
		const { sandbox } = context;
		const run = { items: [items[0]], parameters: letter, executionId: 'exec-email' };
		const first = await runNode(sandbox, 'targetSmsEmail', run);
		const second = await runNode(sandbox, 'targetSmsEmail', run);
		expect(first.output('Node')[0].json.messageId).toBe(second.output('Node')[0].json.messageId);
	});

	it('shows the provider’s refusal (an unregistered return address) per item with continueOnFail', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items: [items[0], { ...items[1], from: 'other@example.ru' }],
			parameters: { ...letter, from: `={{ $json.from || "${from}" }}` },
			settings: { continueOnFail: true },
		});
		const output = result.output('Node');
		expect(output[0].json.externalMessageId).toBe(sandbox.emails[0].externalMessageId);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(String(output[1].json.error)).toMatch(/^TargetSMS refused the request: /);
		expect(sandbox.emails).toHaveLength(1);
	});

	it('fails with the provider’s words and lists the letters already accepted, never the password', async () => {
		const { sandbox } = context;
		sandbox.failNext({ kind: 'http500', path: EMAIL, after: 1 });
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items,
			parameters: { ...letter, options: { concurrency: 1 } },
		});
		const error = result.nodeError('Node') as Error & { description?: string };
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe('TargetSMS answered HTTP 500');
		expect(error.description).toContain(`anna@example.ru: id_message`);
		expect(JSON.stringify(result.run)).not.toContain(TargetSmsSandbox.DEFAULT_PASSWORD);
	});

	it.each([
		['an invalid recipient', { to: 'not-an-address' }, /^Item 0: To: "not-an-address" is not a valid email address/],
		['an empty subject', { subject: '' }, /^Item 0: Subject: is required/],
		['a line break in the subject', { subject: 'a\nBcc: x' }, /^Item 0: Subject: has a character U\+000A at position 2/],
		['an empty body', { body: ' ' }, /^Item 0: Body: must not be blank/],
	])('refuses %s before any request', async (_label, override, message) => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items: [{ ...items[0], ...override }],
			parameters: letter,
		});
		expect(result.nodeError('Node')?.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('refuses a non-numeric Message ID, naming the field', async () => {
		const { sandbox } = context;
		const result = await runNode(sandbox, 'targetSmsEmail', {
			items: [items[0]],
			parameters: { ...letter, options: { messageId: 'abc' } },
		});
		expect(result.nodeError('Node')?.message).toMatch(/^Item 0: Message ID: must be a number/);
		expect(sandbox.requests).toHaveLength(0);
	});
});
