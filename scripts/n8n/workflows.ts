/** The workflow files the runtime imports: `examples/*.json` (and, for the end-to-end run, its own fixtures). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { WorkflowJson } from './instance';
import { repositoryRoot } from './paths';

export interface WorkflowFile {
	/** The file name without `.json`. */
	name: string;
	file: string;
}

export function examplesFolder(root = repositoryRoot()): string {
	return join(root, 'examples');
}

/** The `*.json` files of a folder, by name; none when the folder does not exist. */
export function listWorkflowFiles(folder: string): WorkflowFile[] {
	if (!existsSync(folder)) return [];
	return readdirSync(folder)
		.filter((entry) => entry.endsWith('.json'))
		.sort()
		.map((entry) => ({ name: basename(entry, '.json'), file: join(folder, entry) }));
}

/** Reads a workflow file: one workflow object, as the editor's "Download" writes it. */
export function readWorkflow(file: string): WorkflowJson {
	const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
	const workflow = Array.isArray(parsed) && parsed.length === 1 ? (parsed[0] as unknown) : parsed;
	if (
		workflow === null ||
		typeof workflow !== 'object' ||
		!Array.isArray((workflow as WorkflowJson).nodes) ||
		typeof (workflow as WorkflowJson).connections !== 'object'
	) {
		throw new Error(`${file} is not a workflow (an object with nodes and connections)`);
	}
	const named = workflow as WorkflowJson;
	return typeof named.name === 'string' && named.name !== '' ? named : { ...named, name: basename(file, '.json') };
}
