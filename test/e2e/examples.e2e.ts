/**
 * End to end in a real n8n. Headless: every workflow of `examples/` (and this folder's fixtures) is imported and run
 * with `n8n execute`, then checked by its expectation module against what the sandboxes recorded. Then one
 * `n8n start` on the same user folder: the owner logs in, the editor's node list holds the package's nodes, and the
 * workflows whose expectation has `viaServer` are driven through their real trigger (a webhook); then, on the same
 * server, n8n's Retry of failed executions (served/retry.ts), the trigger (served/trigger.ts), the editor's list of
 * sender names (served/senders.ts) and, last, the secrets in what n8n stores and logs
 * (secrets/secrets.ts: it stops the server to read the database). The server logs at debug level into a file for it.
 */
const PACKAGE_NODES = ['targetSms', 'targetSmsEmail', 'targetSmsOtp', 'targetSmsStatus', 'targetSmsEmail2Sms', 'targetSmsAccount', 'targetSmsTrigger'].map(
	(name) => `n8n-nodes-targetsms.${name}`,
);
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import { SANDBOX_API_CREDENTIAL, SANDBOX_EMAIL2SMS_CREDENTIAL } from '../../scripts/n8n/credentials';
import { DEFAULT_OWNER, derivedWorkflowId, type N8nServer, nodeOutput, runErrors } from '../../scripts/n8n/instance';
import { examplesFolder, listWorkflowFiles, readWorkflow } from '../../scripts/n8n/workflows';
import { E2eEnvironment } from './environment';
import type { ExampleContext, ExampleExpectation, ExampleRun } from './expectation';
import { describeSecrets } from './secrets/secrets';
import { describeRetry } from './served/retry';
import { describeSenders } from './served/senders';
import { describeTrigger } from './served/trigger';

const EXPECTATIONS = join(__dirname, 'examples');
const FIXTURES = join(__dirname, 'fixtures');

interface Case {
	label: string;
	file: string;
	expectationModule: string;
}

const examples = listWorkflowFiles(examplesFolder());
const cases: Case[] = [
	...listWorkflowFiles(FIXTURES).map(({ name, file }) => ({
		label: `fixture ${name}`,
		file,
		expectationModule: join(FIXTURES, `${name}.ts`),
	})),
	...examples.map(({ name, file }) => ({
		label: `example ${name}`,
		file,
		expectationModule: join(EXPECTATIONS, `${name}.ts`),
	})),
];

function expectationNames(): string[] {
	return existsSync(EXPECTATIONS)
		? readdirSync(EXPECTATIONS)
				.filter((entry) => entry.endsWith('.ts'))
				.map((entry) => basename(entry, '.ts'))
				.sort()
		: [];
}

function loadExpectation(module: string): ExampleExpectation {
	if (!existsSync(module)) throw new Error(`No expectation module: write ${module} (see test/e2e/expectation.ts)`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const loaded = require(module) as { expectation?: ExampleExpectation };
	if (!loaded.expectation || typeof loaded.expectation.check !== 'function') {
		throw new Error(`${module} must export \`expectation\` with a check() function`);
	}
	return loaded.expectation;
}

/** Whether a (loadable) expectation module drives its workflow's real trigger; a broken one fails its own test. */
function drivesTrigger(module: string): boolean {
	try {
		return typeof loadExpectation(module).viaServer === 'function';
	} catch {
		return false;
	}
}

describe('every example is covered', () => {
	test('each examples/*.json has an expectation module in test/e2e/examples/', () => {
		const missing = examples.map(({ name }) => name).filter((name) => !existsSync(join(EXPECTATIONS, `${name}.ts`)));
		expect(missing).toEqual([]);
	});

	test('each expectation module has its example', () => {
		const names = new Set(examples.map(({ name }) => name));
		expect(expectationNames().filter((name) => !names.has(name))).toEqual([]);
	});
});

describe('workflows in a real n8n', () => {
	let environment: E2eEnvironment | undefined;

	beforeAll(async () => {
		environment = await E2eEnvironment.start();
	}, 60 * 60_000);

	afterAll(async () => {
		await environment?.stop();
	});

	test.each(cases)('$label', async ({ file, expectationModule }) => {
		if (!environment) throw new Error('The n8n environment did not start');
		const expectation = loadExpectation(expectationModule);
		const { instance, sandbox, smtp, sandboxUrl } = environment;
		sandbox.reset();
		smtp.reset();
		const workflow = readWorkflow(file);
		const id = await instance.importWorkflow(workflow);
		const context: ExampleContext = { workflow: { ...workflow, id }, sandbox, smtp, sandboxUrl };
		await expectation.before?.(context);

		const runHeadless = async (): Promise<ExampleRun> => {
			const result = await instance.execute(id);
			const log = `n8n execute --id=${id} (${result.durationMs} ms, exit ${String(result.code)}):\n${result.stdout.slice(-6000)}\n${result.stderr.slice(-4000)}`;
			if (!result.run) throw new Error(`No run data printed. ${log}`);
			const run = result.run;
			const errors = runErrors(run);
			if (errors.length > 0) {
				throw new Error(`Node errors: ${errors.map(({ node, message }) => `${node}: ${message}`).join('; ')}\n${log}`);
			}
			if (result.code !== 0) throw new Error(`Exit code ${String(result.code)}. ${log}`);
			return { ...context, result, run, output: (node, outputIndex) => nodeOutput(run, node, outputIndex), runAgain: runHeadless };
		};

		await expectation.check(await runHeadless());
	}, 10 * 60_000);

	describe('served by `n8n start`', () => {
		let server: N8nServer | undefined;
		let cookie = '';
		let logFile = '';

		beforeAll(async () => {
			if (!environment) throw new Error('The n8n environment did not start');
			logFile = join(environment.instance.userFolder, 'logs', 'n8n.log');
			server = await environment.instance.start({
				port: 0,
				env: { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: logFile },
			});
			cookie = await server.setUpOwner(DEFAULT_OWNER);
		}, 5 * 60_000);

		afterAll(async () => {
			await server?.stop();
		}, 60_000);

		test('the owner logs in with the password from owner setup', async () => {
			if (!server) throw new Error('n8n did not start');
			expect(await server.login(DEFAULT_OWNER.email, DEFAULT_OWNER.password)).toMatch(/^n8n-auth=.+/);
		});

		test('the editor lists the package\'s six nodes and the two sandbox credentials', async () => {
			if (!server) throw new Error('n8n did not start');
			const types = await server.rest<Array<{ name: string }>>(cookie, 'GET', '/types/nodes.json');
			expect(types.map(({ name }) => name)).toEqual(expect.arrayContaining(PACKAGE_NODES));
			const credentials = await server.rest<Array<{ id: string; name: string; type: string }>>(
				cookie,
				'GET',
				'/rest/credentials',
			);
			expect(credentials.map(({ id, name, type }) => ({ id, name, type }))).toEqual(
				expect.arrayContaining([{ ...SANDBOX_API_CREDENTIAL }, { ...SANDBOX_EMAIL2SMS_CREDENTIAL }]),
			);
		});

		for (const served of cases.filter(({ expectationModule }) => drivesTrigger(expectationModule))) {
			test(`${served.label} through its real trigger`, async () => {
				if (!environment || !server) throw new Error('n8n did not start');
				const { sandbox, smtp, sandboxUrl } = environment;
				const workflow = readWorkflow(served.file);
				sandbox.reset();
				smtp.reset();
				await loadExpectation(served.expectationModule).viaServer?.({
					// Imported by the headless run above, under this id.
					workflow: { ...workflow, id: workflow.id ?? derivedWorkflowId(workflow.name) },
					sandbox,
					smtp,
					sandboxUrl,
					server,
					cookie,
				});
			}, 5 * 60_000);
		}

		const served = {
			environment: (): E2eEnvironment => {
				if (!environment) throw new Error('The n8n environment did not start');
				return environment;
			},
			server: (): N8nServer => {
				if (!server) throw new Error('n8n did not start');
				return server;
			},
			cookie: (): string => cookie,
			logFile: (): string => logFile,
		};
		describeRetry(served);
		describeTrigger(served);
		describeSenders(served);
		// Last: it stops the server.
		describeSecrets(served);
	});
});
