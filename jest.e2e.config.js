/**
 * `npm run test:e2e`: the example workflows in a real n8n (installed into a cache folder on first use; see
 * scripts/n8n/README.md). One worker: the run shares one n8n user folder and one pair of sandboxes.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	maxWorkers: 1,
	testTimeout: 10 * 60_000,
	verbose: true,
};
