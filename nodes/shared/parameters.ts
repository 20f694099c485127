import type { IExecuteFunctions, IGetNodeParameterOptions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/** Reads one node parameter for one item (`options` as n8n's `getNodeParameter` takes them, e.g. `extractValue`). */
export type ItemParameterReader = (name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions) => unknown;

/**
 * Reads node parameters item by item, but evaluates a parameter that holds no expression only once per run.
 *
 * n8n evaluates a parameter every time it is read, and that costs even when the value is fixed. A parameter whose
 * raw value holds no expression (no string starting with `=` anywhere inside it) has the same value for every item,
 * so its first read is kept and given back for every later item; a parameter with an expression (`={{ $json.phone }}`)
 * is read for each item. A read that failed is not kept: the next item reads it again, so each item still gets its
 * own error. Callers use one fallback and one set of options per parameter name and must not change a value they were
 * given.
 */
export function itemParameterReader(context: IExecuteFunctions): ItemParameterReader {
	const raw = context.getNode().parameters;
	const fixed = new Map<string, unknown>();
	const evaluated = new Set<string>();
	return (name, itemIndex, fallback = '', options) => {
		if (fixed.has(name)) return fixed.get(name);
		const value: unknown = context.getNodeParameter(name, itemIndex, fallback, options);
		if (evaluated.has(name)) return value;
		if (holdsExpression(rawParameter(raw, name))) evaluated.add(name);
		else fixed.set(name, value);
		return value;
	};
}

function rawParameter(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** Whether n8n would evaluate anything in this raw parameter value: a string starting with `=`, at any depth. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value as Record<string, NodeParameterValueType>).some(holdsExpression);
	return false;
}
