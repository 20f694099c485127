/**
 * `npm run test:queue`: the package in n8n's queue mode — Redis and PostgreSQL (Debian's, installed when missing), a
 * main and two workers from the cached n8n — with a worker killed mid-run (test/queue). One jest worker: the run
 * shares one set-up.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	maxWorkers: 1,
	testTimeout: 10 * 60_000,
	verbose: true,
};
