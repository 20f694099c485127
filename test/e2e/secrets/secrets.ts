/**
 * The credential's secrets (the password, and the OTP node's `otpSecret`) never reach what a real n8n stores or logs,
 * whatever a reply echoes. A separate sandbox account with a nasty password; every node that sends HTTP fails
 * against replies that echo the request (an HTML error page with the request in every encoding, and the endpoint's
 * own refusal quoting the password), once failing the execution and once with continueOnFail; the credential test of
 * the editor is refused the same way. Then what n8n kept is read — the SQLite files byte for byte and their decoded
 * rows, n8n's log file (debug level) and the server's stdout/stderr — and none may hold either secret in any form of
 * ./encodings.ts. The test also proves it is not vacuous: the echoes carried the password, the executions failed
 * with the provider's words, and those failures are in the database it searched.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { XMLBuilder } from 'fast-xml-parser';

import { databaseFiles, dumpDatabase, n8nFlatted } from '../../../scripts/n8n/database';
import { type ExecutionDetail, nodeOutput, type N8nRunError } from '../../../scripts/n8n/instance';
import { SandboxTexts, TargetSmsSandbox } from '../../sandbox/server';
import { clearFaults, type NodeSpec, postWebhook, type ServedSuiteContext, webhookWorkflow } from '../served/context';
import { base64Core, familiesFound, findSecret, secretForms } from '../../support/secret-forms';

/**
 * Characters that XML, JSON, URL and base64 each write differently: quotes, `&<>`, `+%/=`, a space, Latin and
 * Cyrillic letters (two-byte UTF-8), `~*!`. 27 bytes: its base64 cores are 32–36 characters at every alignment.
 */
export const NASTY_PASSWORD = `Zx9!q&"<'> ü+%/=тест~*`;
export const NASTY_OTP_SECRET = `otp "Ключ" <&> 'q' +%/= ~*!`;
const LOGIN = 'secrets-demo';
const SECRETS = [
	{ name: 'password', value: NASTY_PASSWORD, forms: secretForms(NASTY_PASSWORD) },
	{ name: 'otpSecret', value: NASTY_OTP_SECRET, forms: secretForms(NASTY_OTP_SECRET) },
];
const PASSWORD_FORMS = SECRETS[0].forms;

/** Every form of either secret in a text, labelled, for a readable failure. */
function leaks(text: string): string[] {
	return SECRETS.flatMap(({ name, forms }) => findSecret(text, forms).map(({ kind, excerpt }) => `${name} ${kind}: ${excerpt}`));
}

interface FailingCase {
	label: string;
	/** The sandbox path the node's request goes to (the fault's target). */
	path: string;
	/** The endpoint's own wrong-login text, which the status-200 echo extends. */
	refusal: string;
	node: NodeSpec;
}

function caseNode(name: string, type: string, parameters: Record<string, unknown>, credentialId: string): NodeSpec {
	return {
		name,
		type: `n8n-nodes-targetsms.${type}`,
		typeVersion: 1,
		parameters,
		credentials: { targetSmsApi: { id: credentialId, name: 'TargetSMS secrets sandbox' } },
	};
}

function failingCases(credentialId: string, emailFrom: string): FailingCase[] {
	const email = (format: string): Record<string, unknown> => ({
		operation: 'send',
		format,
		from: emailFrom,
		to: 'client@example.com',
		subject: 'Заказ принят',
		body: '<p>Спасибо за заказ</p>',
		options: {},
	});
	const status = (resource: string, ids: string, format?: string): Record<string, unknown> => ({
		resource,
		operation: 'get',
		ids,
		...(format === undefined ? {} : { format }),
	});
	return [
		{
			label: 'TargetSMS send',
			path: '/xml/message.php',
			refusal: SandboxTexts.wrongLogin,
			node: caseNode('Send SMS', 'targetSms', {
				operation: 'send',
				channel: 'sms',
				phones: '79005550201',
				smsSender: 'MyShop',
				smsText: 'Ваш заказ принят',
				options: {},
			}, credentialId),
		},
		{ label: 'TargetSMS Email (JSON)', path: '/clients/api.php', refusal: SandboxTexts.wrongLogin, node: caseNode('Send email JSON', 'targetSmsEmail', email('json'), credentialId) },
		{ label: 'TargetSMS Email (XML)', path: '/clients/api.php', refusal: SandboxTexts.wrongLogin, node: caseNode('Send email XML', 'targetSmsEmail', email('xml'), credentialId) },
		{
			label: 'TargetSMS OTP send (Hide Code, the credential\'s OTP secret)',
			path: '/password_generation/api.php',
			refusal: SandboxTexts.otpWrongLogin,
			node: caseNode('Send code', 'targetSmsOtp', {
				operation: 'send',
				phone: '79005550202',
				sender: 'MyShop',
				codeLength: 6,
				text: 'Код: {код}',
				options: { hideCode: true },
			}, credentialId),
		},
		{ label: 'TargetSMS Status (message)', path: '/xml/state_message.php', refusal: SandboxTexts.wrongLogin, node: caseNode('Message status', 'targetSmsStatus', status('message', '101'), credentialId) },
		{ label: 'TargetSMS Status (sms)', path: '/xml/state.php', refusal: SandboxTexts.wrongLogin, node: caseNode('SMS status', 'targetSmsStatus', status('sms', '102'), credentialId) },
		{
			label: 'TargetSMS Status (email, JSON)',
			path: '/clients/api.php?func=status',
			refusal: SandboxTexts.wrongLogin,
			node: caseNode('Email status JSON', 'targetSmsStatus', status('email', '103', 'json'), credentialId),
		},
		{
			label: 'TargetSMS Status (email, XML)',
			path: '/clients/api.php?func=status',
			refusal: SandboxTexts.wrongLogin,
			node: caseNode('Email status XML', 'targetSmsStatus', status('email', '104', 'xml'), credentialId),
		},
	];
}

const slug = (label: string): string => label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function errorText(error: N8nRunError | undefined): string {
	return [error?.message, error?.description].filter((part) => typeof part === 'string').join(' — ');
}

/** Every file under a folder (skipping `skip` folders), with its bytes. */
function filesUnder(folder: string, skip: ReadonlySet<string>): Array<{ file: string; bytes: Buffer }> {
	const found: Array<{ file: string; bytes: Buffer }> = [];
	for (const entry of readdirSync(folder)) {
		const path = join(folder, entry);
		const stats = statSync(path);
		if (stats.isDirectory()) {
			if (!skip.has(path)) found.push(...filesUnder(path, skip));
		} else if (stats.isFile()) {
			found.push({ file: path, bytes: readFileSync(path) });
		}
	}
	return found;
}

/** Every string inside a value (object keys included), joined: one text to search. */
function allStrings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const entry of value) allStrings(entry, out);
	else if (value !== null && typeof value === 'object') {
		for (const [key, entry] of Object.entries(value)) {
			out.push(key);
			allStrings(entry, out);
		}
	}
	return out;
}

export function describeSecrets(context: ServedSuiteContext & { logFile(): string }): void {
	describe('secrets in what n8n stores and logs', () => {
		const sandbox = new TargetSmsSandbox({ login: LOGIN, password: NASTY_PASSWORD });
		let credentialId = '';
		let cases: FailingCase[] = [];
		let continueOnFailPath = '';
		let otpPath = '';
		const workflowIds: string[] = [];
		/** Every failed execution the suite caused, with the case, for the checks of the database. */
		const failedExecutions: Array<{ id: string; label: string; message: string }> = [];

		beforeAll(async () => {
			const url = await sandbox.start();
			const server = context.server();
			const cookie = context.cookie();
			credentialId = await server.createCredential(cookie, {
				name: 'TargetSMS secrets sandbox',
				type: 'targetSmsApi',
				data: { login: LOGIN, password: NASTY_PASSWORD, smsBaseUrl: url, apiBaseUrl: url, otpSecret: NASTY_OTP_SECRET },
			});
			cases = failingCases(credentialId, sandbox.emailFrom);
			const workflows = cases.map((failing) =>
				webhookWorkflow(`TargetSMS e2e secrets: ${failing.label}`, `e2e-secrets-${slug(failing.label)}`, [failing.node]),
			);
			continueOnFailPath = 'e2e-secrets-continue-on-fail';
			workflows.push(
				webhookWorkflow(
					'TargetSMS e2e secrets: every node, continueOnFail',
					continueOnFailPath,
					cases.map(({ node }) => ({ ...node, onError: 'continueRegularOutput' })),
				),
			);
			otpPath = `e2e-secrets-${slug(cases[3].label)}`;
			for (const workflow of workflows) {
				const { id } = await server.createWorkflow(cookie, workflow);
				workflowIds.push(id);
				await server.activateWorkflow(cookie, id);
			}
		}, 5 * 60_000);

		afterAll(async () => {
			await sandbox.stop();
		});

		test('the search finds each secret in every encoding (a control for the checks below)', () => {
			for (const { value, forms } of SECRETS) {
				for (const alignment of [0, 1, 2] as const) expect(base64Core(value, alignment).length).toBeGreaterThanOrEqual(8);
				const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });
				const samples: Array<[string, string]> = [
					['plain', `x ${value} y`],
					['XML attribute (fast-xml-parser)', builder.build({ password: { '@_value': value } }) as string],
					['XML text (fast-xml-parser)', builder.build({ password: value }) as string],
					['JSON.stringify', JSON.stringify({ password: value })],
					['JSON inside JSON', JSON.stringify({ log: JSON.stringify({ password: value }) })],
					['\\uXXXX', JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)],
					['URLSearchParams', new URLSearchParams({ password: value }).toString()],
					[
						'PHP json_encode inside a JSON document',
						JSON.stringify({ error: `json=${JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/')}` }),
					],
					['encodeURIComponent, lower case', encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (run) => run.toLowerCase())],
					['base64url alone', Buffer.from(value).toString('base64url')],
				];
				for (let prefix = 0; prefix < 6; prefix += 1) {
					const wrapped = (Buffer.from(`${'p'.repeat(prefix)}password=${value}&more=1`).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
					samples.push([`base64 at offset ${prefix}, wrapped`, `data: ${wrapped}`], [`the same in JSON`, JSON.stringify({ wrapped })]);
				}
				const xmlRequest = builder.build({ request: { security: { password: { '@_value': value } } } }) as string;
				samples.push(['base64 of an XML request', Buffer.from(xmlRequest).toString('base64')]);
				samples.push(['XML-escaped XML request', xmlRequest.replace(/&/g, '&amp;').replace(/</g, '&lt;')]);
				for (const [label, sample] of samples) expect({ label, found: findSecret(sample, forms).length > 0 }).toEqual({ label, found: true });
			}
			expect(leaks('nothing secret here: Zx9 q тест')).toEqual([]);
		});

		for (const status of [500, 200] as const) {
			test(`every HTTP node fails against a reply that echoes the request (HTTP ${status}); nothing of the secrets in the errors`, async () => {
				const server = context.server();
				const cookie = context.cookie();
				// Each case reported, then all asserted at once: one case's finding does not hide the others'.
				const reports: Array<Record<string, unknown>> = [];
				for (const [index, failing] of cases.entries()) {
					sandbox.reset();
					sandbox.failNext({ kind: 'echo', status, path: failing.path, times: Infinity });
					const workflowId = workflowIds[index];
					const known = new Set((await server.listExecutions(cookie, workflowId)).map(({ id }) => id));
					const answer = await postWebhook(server, `e2e-secrets-${slug(failing.label)}`, {});
					const summary = await server.nextExecution(cookie, workflowId, known);
					const detail: ExecutionDetail = await server.execution(cookie, summary.id);
					const error = detail.run.data.resultData.runData[failing.node.name]?.at(-1)?.error ?? detail.run.data.resultData.error;
					const text = errorText(error);
					failedExecutions.push({ id: summary.id, label: `${failing.label}, HTTP ${status}`, message: String(error?.message ?? '') });

					// The failure really happened, against replies that really carried the password: the HTML error page
					// shows the request (the password XML- or JSON-escaped) raw, escaped, URL-encoded and in base64; the
					// endpoint's refusal quotes the password form-encoded, JSON-encoded and in base64.
					const echoed = sandbox.requests.filter(({ path, query }) => (query === '' ? path : `${path}?${query}`).startsWith(failing.path));
					const expectedFamilies = status === 200 ? ['JSON-escaped', 'URL-encoded', 'base64'] : ['base64'];
					const echoesMissing = echoed.flatMap((request, at) => {
						const families = familiesFound(request.responseBody, PASSWORD_FORMS);
						const missing = expectedFamilies.filter((family) => !families.has(family));
						if (!families.has('XML-escaped') && !families.has('JSON-escaped')) missing.push('XML- or JSON-escaped');
						return request.status === status && missing.length === 0 ? [] : [`echo ${at}: HTTP ${request.status}, missing ${missing.join(', ')}`];
					});
					const restText = await (await fetch(`${server.url}/rest/executions/${summary.id}`, { headers: { Cookie: cookie } })).text();
					reports.push({
						case: failing.label,
						webhookAnswer: answer.status,
						execution: summary.status,
						requestsEchoed: echoed.length > 0,
						echoesMissing,
						errorText: status === 200 ? text.includes(failing.refusal) : /\b500\b/.test(text),
						// None of it holds a secret: the webhook's answer, the execution as the REST API gives it (as sent, and
						// its run data decoded).
						leaks: [...leaks(JSON.stringify(answer.body)), ...leaks(restText), ...leaks(allStrings(detail.run.data).join('\u0000'))],
					});
				}
				expect(reports).toEqual(
					cases.map(({ label }) => ({
						case: label,
						webhookAnswer: 500,
						execution: 'error',
						requestsEchoed: true,
						echoesMissing: [],
						// HTTP 200: the endpoint's refusal words are passed on (with the password removed); else the status.
						errorText: true,
						leaks: [],
					})),
				);
				clearFaults(sandbox);
			}, 10 * 60_000);
		}

		for (const status of [500, 200] as const) {
			test(`with continueOnFail, each node's error item (echo, HTTP ${status}) holds nothing of the secrets`, async () => {
				const server = context.server();
				const cookie = context.cookie();
				const workflowId = workflowIds[cases.length];
				sandbox.reset();
				sandbox.failNext({ kind: 'echo', status, times: Infinity });
				const known = new Set((await server.listExecutions(cookie, workflowId)).map(({ id }) => id));
				const answer = await postWebhook(server, continueOnFailPath, {});
				const summary = await server.nextExecution(cookie, workflowId, known);
				const detail = await server.execution(cookie, summary.id);
				const restText = await (await fetch(`${server.url}/rest/executions/${summary.id}`, { headers: { Cookie: cookie } })).text();
				const nodes = cases.map(({ node, path }) => {
					const items = nodeOutput(detail.run, node.name);
					return {
						node: node.name,
						// One error item (its `error` a text), after a request the echo answered.
						errorItems: items.length > 0 && items.every(({ error }) => typeof error === 'string'),
						echoed: sandbox.requests.some(
							({ path: requested, query, status: answered }) =>
								(query === '' ? requested : `${requested}?${query}`).startsWith(path) && answered === status,
						),
						...(items.every(({ error }) => typeof error === 'string') ? {} : { output: items }),
					};
				});
				expect({
					answer: answer.status,
					execution: summary.status,
					nodes,
					leaks: [...leaks(JSON.stringify(answer.body)), ...leaks(restText), ...leaks(allStrings(detail.run.data).join('\u0000'))],
				}).toEqual({
					answer: 200,
					execution: 'success',
					nodes: cases.map(({ node }) => ({ node: node.name, errorItems: true, echoed: true })),
					leaks: [],
				});
				clearFaults(sandbox);
			}, 10 * 60_000);
		}

		test("the editor's credential test, refused by an echoing reply, says so without the secrets", async () => {
			const server = context.server();
			const cookie = context.cookie();
			const reports: Array<Record<string, unknown>> = [];
			for (const status of [200, 500] as const) {
				sandbox.reset();
				sandbox.failNext({ kind: 'echo', status, path: '/xml/state_message.php', times: Infinity });
				const result = await server.testCredential(cookie, credentialId);
				reports.push({
					echo: status,
					status: result.status,
					// HTTP 200: the endpoint's refusal words are passed on.
					message: status === 200 ? result.message.includes(SandboxTexts.wrongLogin) : /\S/.test(result.message),
					// n8n filled in the stored password (the editor sends it blanked): each request carried it, each echo too.
					requests: sandbox.requests.length > 0,
					requestsCarriedPassword: sandbox.requests.every(({ body }) => findSecret(body, PASSWORD_FORMS).length > 0),
					echoesCarriedPassword: sandbox.requests.every(({ responseBody }) => familiesFound(responseBody, PASSWORD_FORMS).has('base64')),
					leaks: leaks(JSON.stringify(result)),
				});
			}
			expect(reports).toEqual(
				[200, 500].map((echo) => ({
					echo,
					status: 'Error',
					message: true,
					requests: true,
					requestsCarriedPassword: true,
					echoesCarriedPassword: true,
					leaks: [],
				})),
			);
			clearFaults(sandbox);
			sandbox.reset();
			expect(await server.testCredential(cookie, credentialId)).toMatchObject({ status: 'OK' });
		}, 5 * 60_000);

		test("the OTP node keys its code hash with the credential's OTP secret (nothing in the workflow)", async () => {
			const server = context.server();
			sandbox.reset();
			const answer = await postWebhook(server, otpPath, {});
			expect(answer.status).toBe(200);
			const [item] = answer.body as Array<Record<string, unknown>>;
			expect(item).toMatchObject({ phone: '79005550202', codeHash: expect.stringMatching(/^hmac-sha256:.+:[0-9a-f]{64}$/), status: 'send' });
			expect(item).not.toHaveProperty('code');
			expect(sandbox.otps).toHaveLength(1);
			expect(JSON.stringify(item)).not.toContain(sandbox.otps[0].code);
		}, 2 * 60_000);

		test("n8n's database files, their rows, its log file and its output hold neither secret in any form", async () => {
			const environment = context.environment();
			const server = context.server();
			const { instance } = environment;
			// The raw files are read while n8n runs (the write-ahead log holds the newest pages) and again after it stopped
			// (where stopping changed them); the rows once n8n has stopped, so every write is in.
			const whileRunning = databaseFiles(instance.dataFolder);
			await server.stop();
			const stopped = databaseFiles(instance.dataFolder).filter(
				({ file, bytes }) => !whileRunning.some((before) => before.file === file && before.bytes.equals(bytes)),
			);
			const rows = await dumpDatabase(instance.runtime, join(instance.dataFolder, 'database.sqlite'));

			// Not vacuous: the failures are in what is searched.
			expect(failedExecutions.length).toBe(cases.length * 2);
			const executions = rows.execution_entity ?? [];
			for (const { id, label } of failedExecutions) {
				expect({ label, status: executions.find((row) => String(row.id) === id)?.status }).toEqual({ label, status: 'error' });
			}
			const executionData = rows.execution_data ?? [];
			const flatted = n8nFlatted();
			const decoded = executionData.map((row) => ({ id: String(row.executionId), data: flatted.parse(String(row.data)) }));
			for (const { id, label, message } of failedExecutions) {
				const stored = decoded.find((row) => row.id === id);
				expect({ label, stored: stored !== undefined, message: /\S/.test(message) }).toEqual({ label, stored: true, message: true });
				expect({ label, holdsError: allStrings(stored?.data).some((value) => value.includes(message)) }).toEqual({ label, holdsError: true });
			}
			const logFile = context.logFile();
			const logText = readFileSync(logFile, 'utf8');
			expect(logText).toMatch(/debug/i);
			expect(server.output.length).toBeGreaterThan(0);

			const findings: string[] = [];
			const search = (where: string, text: string): void => {
				for (const leak of leaks(text)) findings.push(`${where}: ${leak}`);
			};
			for (const { file, bytes } of [...whileRunning, ...stopped]) search(`${file} (raw bytes)`, bytes.toString('utf8'));
			for (const [table, tableRows] of Object.entries(rows)) search(`table ${table}`, allStrings(tableRows).join('\u0000'));
			search('execution_data.data, decoded', decoded.map(({ data }) => allStrings(data).join('\u0000')).join('\u0000'));
			// Everything else n8n wrote into its folder (the event log, settings, …), and the log file itself.
			const searchedRaw = new Set([...whileRunning, ...stopped].map(({ file }) => file));
			for (const { file, bytes } of filesUnder(instance.dataFolder, new Set([join(instance.dataFolder, 'nodes')]))) {
				if (!searchedRaw.has(file)) search(file, bytes.toString('utf8'));
			}
			for (const { file, bytes } of filesUnder(join(logFile, '..'), new Set())) search(file, bytes.toString('utf8'));
			search('n8n start stdout/stderr', server.output);
			expect(findings).toEqual([]);
		}, 5 * 60_000);
	});
}
