/**
 * The README's manual install, exactly as written (its shell blocks are read from README.md and run with bash), on the
 * repository's Node.js 20 and on n8n's Node.js 24: by name from a registry (a local Verdaccio holding the packed
 * tarball, its other packages proxied from the npm registry) and from the packed tarball. Each must install the
 * package and its three runtime dependencies and no n8n-workflow (the peer n8n provides). That n8n then loads and runs
 * the nodes so installed is what every other end-to-end test shows: their shared n8n got the package with the tarball
 * block (environment.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { runtimePaths } from '../../scripts/n8n/install';
import { packPackage } from '../../scripts/n8n/instance';
import { type ManualInstallKind, readmeInstallCommands, runManualInstall } from '../../scripts/n8n/manual-install';
import { formatDuration } from '../../scripts/n8n/process';
import { LocalRegistry } from '../../scripts/n8n/registry';

const RUNTIME_DEPENDENCIES = ['fast-xml-parser', 'iconv-lite', 'nodemailer'];

describe("the README's manual install (npm install --omit=peer in ~/.n8n/nodes)", () => {
	let folder: string;
	let registry: LocalRegistry | undefined;
	let tarball: string;
	let version: string;

	beforeAll(async () => {
		folder = mkdtempSync(join(tmpdir(), 'targetsms-install-'));
		const started = Date.now();
		tarball = await packPackage(join(folder, 'pack'));
		version = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
		registry = await LocalRegistry.start(join(folder, 'registry'));
		await registry.publish(tarball);
		process.stderr.write(`Local registry ${registry.url} with ${(await registry.versions()).join(', ')} (${formatDuration(Date.now() - started)})\n`);
	}, 10 * 60_000);

	afterAll(async () => {
		await registry?.stop();
		if (folder) rmSync(folder, { recursive: true, force: true });
	});

	test('the English and Russian sections give the same two commands, with --omit=peer', () => {
		const commands = readmeInstallCommands();
		expect(commands.registry).toContain('npm install --omit=peer n8n-nodes-targetsms');
		expect(commands.tarball).toContain(`npm install --omit=peer /path/to/n8n-nodes-targetsms-${version}.tgz`);
	});

	const nodes: Array<[string, () => string]> = [
		[`Node.js ${process.versions.node} (the repository's)`, () => dirname(process.execPath)],
		['Node.js 24 (n8n’s, from the cache)', () => runtimePaths().nodeBinFolder],
	];
	const kinds: ManualInstallKind[] = ['registry', 'tarball'];

	describe.each(nodes)('on %s', (_label, binFolder) => {
		test.each(kinds)('the %s command installs the package, its dependencies and no n8n-workflow', async (kind) => {
			const home = join(folder, `home-${kind}-${Math.random().toString(36).slice(2)}`);
			mkdirSync(home, { recursive: true });
			const started = Date.now();
			const result = await runManualInstall(kind, { home, nodeBinFolder: binFolder(), registry: registry!.url, tarball });
			process.stderr.write(`${kind} install: ${result.packages.length} packages in ${formatDuration(Date.now() - started)}\n`);
			const installed = JSON.parse(readFileSync(join(result.nodesFolder, 'node_modules/n8n-nodes-targetsms/package.json'), 'utf8')) as {
				version: string;
			};
			expect(installed.version).toBe(version);
			for (const dependency of RUNTIME_DEPENDENCIES) expect(result.packages).toContain(dependency);
			expect(result.packages).not.toContain('n8n-workflow');
			expect(result.packages.length).toBeLessThan(30);
			expect(existsSync(join(result.nodesFolder, 'node_modules/n8n-nodes-targetsms/dist/nodes/TargetSms/TargetSms.node.js'))).toBe(true);
		});
	});
});
