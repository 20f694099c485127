/**
 * What a real n8n stored, for tests that check it: the rows of its SQLite database (read with Node 24's built-in
 * `node:sqlite`, so no native module is loaded into the test process) and the database's raw files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nRuntime } from './install';
import { n8nFolder } from './paths';
import { cleanEnvironment, run } from './process';

/** Every table's rows; BLOBs as latin1 text (byte for byte), everything else as SQLite gave it. */
export type DatabaseDump = Record<string, Array<Record<string, unknown>>>;

const DUMP_SCRIPT = `
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1], { readOnly: true });
const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => row.name);
const dump = {};
for (const table of tables) {
	dump[table] = db.prepare('SELECT * FROM "' + table.replace(/"/g, '""') + '"').all().map((row) => {
		const out = {};
		for (const [key, value] of Object.entries(row)) {
			out[key] = value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : typeof value === 'bigint' ? String(value) : value;
		}
		return out;
	});
}
db.close();
process.stdout.write(JSON.stringify(dump));
`;

/**
 * Reads every row of an n8n SQLite database (`<userFolder>/.n8n/database.sqlite`), also while n8n runs: a reader
 * sees what the write-ahead log holds too.
 */
export async function dumpDatabase(runtime: N8nRuntime, file: string): Promise<DatabaseDump> {
	const result = await run(runtime.node, ['--no-warnings', '-e', DUMP_SCRIPT, file], {
		cwd: join(file, '..'),
		env: cleanEnvironment(),
		timeoutMs: 120_000,
	});
	if (result.code !== 0) throw new Error(`Reading ${file} failed (exit ${String(result.code)}): ${result.stderr.slice(-2000)}`);
	return JSON.parse(result.stdout) as DatabaseDump;
}

/** The database's files as they are on disk: `database.sqlite` and its `-wal`, `-shm` and `-journal`, where present. */
export function databaseFiles(dataFolder: string): Array<{ file: string; bytes: Buffer }> {
	return readdirSync(dataFolder)
		.filter((entry) => /^database\.sqlite(-wal|-shm|-journal)?$/.test(entry))
		.map((entry) => join(dataFolder, entry))
		.filter((file) => existsSync(file))
		.map((file) => ({ file, bytes: readFileSync(file) }));
}

/**
 * n8n's own `flatted` (the format of `execution_data.data` and of the REST API's execution `data`), loaded from the
 * n8n install so the test reads it with the same version that wrote it.
 */
export function n8nFlatted(): { parse(text: string): unknown; stringify(value: unknown): string } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(join(n8nFolder(), 'node_modules', 'flatted')) as { parse(text: string): unknown; stringify(value: unknown): string };
}
