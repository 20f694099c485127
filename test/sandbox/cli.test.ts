/** The sandbox's command line (run from build-test/, which `npm test` compiles before jest starts). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const CLI = resolve(__dirname, '../../build-test/test/sandbox/cli.js');

describe('node build-test/test/sandbox/cli.js', () => {
	beforeAll(() => {
		if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:test first (npm test does)`);
	});

	it.each(['--help', '-h'])('%s prints the options and exits without starting anything', (flag) => {
		const result = spawnSync(process.execPath, [CLI, flag], { encoding: 'utf8', timeout: 20_000 });
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/^Usage: /);
		for (const option of ['--port N', '--smtp-port N', '--help']) expect(result.stdout).toContain(option);
		expect(result.stdout).not.toContain('listening');
	});
});
