/**
 * `npm run test:queue`: the package in n8n's queue mode — Redis and PostgreSQL (Debian's, installed when missing), a
 * main and two workers from the cached n8n — with a worker killed mid-run (test/queue). The end-to-end settings
 * (one jest worker: the run shares one set-up), on its own folder.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.e2e.config.js'),
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.ts'],
};
