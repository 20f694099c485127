import { NodeHelpers } from 'n8n-workflow';
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';

export type AnyNodeType = INodeType | IVersionedNodeType;

/** Thrown when a workflow refers to a node type the harness was not given. */
export class HarnessUnknownNodeTypeError extends Error {
	constructor(type: string) {
		super(`Unknown node type "${type}": pass it to the engine harness in \`nodeTypes\``);
		this.name = 'HarnessUnknownNodeTypeError';
	}
}

export function isVersionedNodeType(nodeType: AnyNodeType): nodeType is IVersionedNodeType {
	return (
		'nodeVersions' in nodeType && typeof (nodeType as IVersionedNodeType).getNodeType === 'function'
	);
}

/** The version the n8n editor gives a newly added node of this type. */
export function defaultTypeVersion(nodeType: AnyNodeType): number {
	if (isVersionedNodeType(nodeType)) {
		return nodeType.description.defaultVersion ?? nodeType.currentVersion;
	}
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** The node-types registry the engine resolves `node.type` / `node.typeVersion` through. */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types: Map<string, AnyNodeType>;

	constructor(types: Record<string, AnyNodeType>) {
		this.types = new Map(Object.entries(types));
	}

	has(type: string): boolean {
		return this.types.has(type);
	}

	getByName(type: string): AnyNodeType {
		const nodeType = this.types.get(type);
		if (nodeType === undefined) throw new HarnessUnknownNodeTypeError(type);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const [type, nodeType] of this.types) {
			known[type] = { className: nodeType.constructor.name, sourcePath: '' };
		}
		return known;
	}
}
