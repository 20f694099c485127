#!/usr/bin/env node
/**
 * The package as users get it, checked (part of `npm test`; the release workflow runs it on the tarball it publishes):
 *
 *   node scripts/check-package.mjs [tarball]     (without a tarball: `npm pack` of the current dist/ into a temp folder)
 *
 * 1. The tarball against package.json's `n8n` block: every listed node and credential file is in it, every built node
 *    and credential in it is listed, every `file:` icon they name is in it, no source maps, no sources, and the
 *    manifest keeps DESIGN.md's "Contract: package" (no `main`, public links, peer n8n-workflow, the three runtime
 *    dependencies, no made-up contact).
 * 2. n8n's own package scanner (@n8n/scan-community-package, the gate n8n applies to community packages) on the
 *    source checkout and on the unpacked tarball. Allowed: only the findings about the design's runtime dependencies
 *    (fast-xml-parser, nodemailer, iconv-lite, node:net, and the "dependencies" field itself). Anything else fails.
 * 3. Every GitHub workflow in .github/workflows/ through a real validator (@action-validator/cli).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const PUBLIC_HOME = 'https://github.com/targetsms/n8n-nodes-targetsms';
export const AUTHOR_EMAIL = 'info@targetsms.ru';
export const RUNTIME_DEPENDENCIES = ['fast-xml-parser', 'iconv-lite', 'nodemailer'];
/** Modules the design lets the nodes import, which n8n's scanner reports (it wants packages without dependencies). */
const ALLOWED_IMPORTS = new Set(['fast-xml-parser', 'iconv-lite', 'nodemailer', 'node:net']);

const failures = [];
const fail = (message) => failures.push(message);
const started = Date.now();
const say = (line) => process.stdout.write(`${line}\n`);

function listFiles(folder, base = folder) {
	return readdirSync(folder).flatMap((entry) => {
		const path = join(folder, entry);
		return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)];
	});
}

function packCurrentBuild(destination) {
	if (!existsSync(join(root, 'dist'))) throw new Error('No dist/: run `npm run build` (or `npm run pack`) first');
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [packed] = JSON.parse(output.slice(output.indexOf('[')));
	return join(destination, packed.filename);
}

// ── 1. The tarball ──────────────────────────────────────────────────────────────────────────────────────────────

function checkManifest(manifest, where) {
	const expect = (condition, message) => condition || fail(`${where}: ${message}`);
	expect(manifest.name === 'n8n-nodes-targetsms', `name is ${manifest.name}`);
	expect(manifest.license === 'MIT', `license is ${manifest.license}`);
	expect(manifest.keywords?.includes('n8n-community-node-package'), 'keyword n8n-community-node-package missing');
	expect(!('main' in manifest), `"main" names ${manifest.main}: a community package has none (n8n reads the "n8n" block)`);
	expect(JSON.stringify(manifest.files) === '["dist"]', `files is ${JSON.stringify(manifest.files)}, not ["dist"]`);
	expect(manifest.homepage === `${PUBLIC_HOME}#readme`, `homepage is ${manifest.homepage}`);
	expect(
		manifest.repository?.url === `git+${PUBLIC_HOME}.git` && manifest.repository?.type === 'git',
		`repository is ${JSON.stringify(manifest.repository)}`,
	);
	expect(manifest.bugs?.url === `${PUBLIC_HOME}/issues`, `bugs is ${JSON.stringify(manifest.bugs)}`);
	// n8n's scanner wants an author e-mail (rule valid-author); the only one that is real is the provider's own contact,
	// printed on every page of its SMS document (../shared/targetsms-docs/001_36f0a782db1903af.txt). No invented one.
	expect(
		manifest.author?.name === 'TargetSMS' && manifest.author?.email === AUTHOR_EMAIL,
		`author ${JSON.stringify(manifest.author)}: the contact is the provider's documented ${AUTHOR_EMAIL}`,
	);
	expect(JSON.stringify(manifest.peerDependencies) === '{"n8n-workflow":"*"}', `peerDependencies ${JSON.stringify(manifest.peerDependencies)}`);
	expect(
		JSON.stringify(Object.keys(manifest.dependencies ?? {}).sort()) === JSON.stringify(RUNTIME_DEPENDENCIES),
		`dependencies ${Object.keys(manifest.dependencies ?? {}).join(', ')}, not ${RUNTIME_DEPENDENCIES.join(', ')}`,
	);
	expect(manifest.n8n?.n8nNodesApiVersion === 1, 'n8n.n8nNodesApiVersion is not 1');
	expect((manifest.n8n?.nodes ?? []).length > 0, 'n8n.nodes is empty');
	expect((manifest.n8n?.credentials ?? []).length > 0, 'n8n.credentials is empty');
}

function checkTarball(unpacked) {
	const files = new Set(listFiles(unpacked));
	const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
	checkManifest(manifest, 'tarball package.json');
	for (const required of ['package.json', 'README.md', 'LICENSE']) {
		if (!files.has(required)) fail(`tarball: ${required} missing`);
	}
	const listed = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	for (const path of listed) if (!files.has(path)) fail(`tarball: ${path} is listed in the n8n block but not packed`);
	const built = [...files].filter((path) => /^dist\/(nodes\/.+\.node|credentials\/.+\.credentials)\.js$/.test(path));
	for (const path of built) if (!listed.includes(path)) fail(`tarball: ${path} is built but not listed in the n8n block`);
	const outside = [...files].filter((path) => !['package.json', 'README.md', 'LICENSE'].includes(path) && !path.startsWith('dist/'));
	if (outside.length > 0) fail(`tarball: files outside dist/: ${outside.join(', ')}`);
	const maps = [...files].filter((path) => path.endsWith('.map'));
	if (maps.length > 0) fail(`tarball: ${maps.length} source maps (their .ts sources are not packed), e.g. ${maps[0]}`);
	const sources = [...files].filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'));
	if (sources.length > 0) fail(`tarball: TypeScript sources packed, e.g. ${sources[0]}`);
	// Icons: `file:<path>` in a built node or credential is resolved next to that file.
	for (const path of listed.filter((file) => files.has(file))) {
		const code = readFileSync(join(unpacked, path), 'utf8');
		for (const [, icon] of code.matchAll(/['"]file:([^'"]+)['"]/g)) {
			const target = relative(unpacked, resolve(unpacked, dirname(path), icon));
			if (!files.has(target)) fail(`tarball: ${path} names the icon file:${icon}, and ${target} is not packed`);
		}
	}
	// Codex files beside each node (categories and the "Docs" link n8n's node creator shows).
	for (const path of manifest.n8n?.nodes ?? []) {
		const codex = path.replace(/\.js$/, '.json');
		if (!files.has(codex)) fail(`tarball: ${codex} (the node's codex) missing`);
	}
	return { count: files.size, listed: listed.length };
}

// ── 2. n8n's scanner ────────────────────────────────────────────────────────────────────────────────────────────

async function scan(folder, patterns) {
	const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
	const scanner = await import(pathToFileURL(scannerPath).href);
	// The scanner's own ESLint and configuration (`analyzePackage` only returns formatted text; this is its body with
	// the results kept structured).
	const { ESLint } = await import(pathToFileURL(createRequire(scannerPath).resolve('eslint')).href);
	const fastGlob = createRequire(scannerPath)('fast-glob');
	const eslint = new ESLint({ cwd: folder, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
	const targets = fastGlob.sync(patterns, { cwd: folder, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	if (targets.length === 0) throw new Error(`The scanner found no files in ${folder}`);
	const results = await eslint.lintFiles(targets);
	const findings = results.flatMap((result) =>
		result.messages.map((message) => ({ file: relative(folder, result.filePath), ...message })),
	);
	return { files: targets.length, findings, patterns };
}

function allowed(finding) {
	if (finding.severity !== 2) return true; // warnings do not block a community package
	if (finding.ruleId === '@n8n/community-nodes/no-runtime-dependencies') return finding.file === 'package.json';
	if (finding.ruleId === '@n8n/community-nodes/no-restricted-imports') {
		const module = /(?:Import|Require) of '([^']+)'/.exec(finding.message)?.[1] ?? '';
		return ALLOWED_IMPORTS.has(module) || ALLOWED_IMPORTS.has(module.split('/')[0]);
	}
	return false;
}

function report(label, { files, findings }) {
	const blocking = findings.filter((finding) => !allowed(finding));
	const accepted = findings.filter(allowed);
	say(`  ${label}: ${files} files, ${accepted.length} accepted finding(s) (the design's runtime dependencies), ${blocking.length} blocking`);
	for (const finding of blocking) {
		fail(`scanner on ${label}: ${finding.file}:${finding.line}:${finding.column} ${finding.ruleId ?? '(parse)'}: ${finding.message}`);
	}
	return accepted;
}

// ── 3. GitHub workflows ─────────────────────────────────────────────────────────────────────────────────────────

function validateWorkflows() {
	const folder = join(root, '.github', 'workflows');
	const workflows = existsSync(folder) ? readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)) : [];
	if (workflows.length === 0) fail('.github/workflows/ holds no workflow');
	const validator = require.resolve('@action-validator/cli/cli.mjs');
	for (const name of workflows) {
		try {
			execFileSync(process.execPath, [validator, join(folder, name)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
			say(`  .github/workflows/${name}: valid`);
		} catch (error) {
			fail(`.github/workflows/${name} is not a valid workflow:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
		}
	}
	const release = workflows.map((name) => readFileSync(join(folder, name), 'utf8')).join('\n');
	for (const needed of ['npm test', 'npm run pack', '--provenance', 'id-token: write', "tags: ['v*']"]) {
		if (!release.includes(needed)) fail(`.github/workflows/: no workflow has \`${needed}\``);
	}
}

async function main() {
	const work = mkdtempSync(join(tmpdir(), 'targetsms-package-'));
	try {
		checkManifest(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')), 'package.json');
		const tarball = process.argv[2] ? resolve(process.argv[2]) : packCurrentBuild(work);
		const unpacked = join(work, 'unpacked');
		execFileSync('mkdir', ['-p', unpacked]);
		execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
		const { count, listed } = checkTarball(unpacked);
		say(`Tarball ${relative(process.cwd(), tarball) || tarball}: ${count} files, ${listed} listed in the n8n block`);

		say("n8n's package scanner (@n8n/scan-community-package):");
		const { SOURCE_FILE_PATTERNS } = await import(pathToFileURL(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs')).href);
		const source = await scan(root, SOURCE_FILE_PATTERNS);
		const packed = await scan(unpacked, ['**/*.js', 'package.json']);
		report('the source', source);
		report('the tarball', packed);

		say('GitHub workflows (@action-validator/cli):');
		validateWorkflows();
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	if (failures.length > 0) {
		process.stderr.write(`\nThe package check failed (${failures.length}):\n${failures.map((line) => `  ✖ ${line}`).join('\n')}\n`);
		process.exit(1);
	}
	say(`The package check passed (${((Date.now() - started) / 1000).toFixed(1)} s).`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
