import './environment';

import { Credentials } from 'n8n-core';
import { ICredentialsHelper, isExpression, NodeHelpers } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

/** Credentials handed to a run, by credential type name. */
export interface HarnessCredential {
	id?: string;
	name?: string;
	data: ICredentialDataDecryptedObject;
}

export type HarnessCredentials = Record<string, HarnessCredential>;

/** Thrown when a node asks for a credential type the run was not given. */
export class HarnessCredentialNotFoundError extends Error {
	constructor(type: string) {
		super(`No credentials of type "${type}" were given to the engine harness`);
		this.name = 'HarnessCredentialNotFoundError';
	}
}

/**
 * An `ICredentialsHelper` that serves plain (already decrypted) credential data by type name.
 *
 * Without credential type definitions it returns request options unchanged from `authenticate`,
 * which is what n8n does for a credential type that defines no `authenticate`. When credential
 * type definitions are given it also applies their `authenticate` (a function or a generic
 * definition whose values may be `={{$credentials.x}}` expressions), `preAuthentication`,
 * `extends` and property defaults, the way n8n's own CredentialsHelper does.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly store: Map<string, HarnessCredential>;

	/** Data written back by the engine (e.g. refreshed tokens), by credential type name. */
	readonly updates: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(
		credentials: HarnessCredentials = {},
		private readonly credentialTypes: Record<string, ICredentialType> = {},
	) {
		super();
		this.store = new Map(
			Object.entries(credentials).map(([type, credential]) => [
				type,
				{ ...credential, data: structuredClone(credential.data) },
			]),
		);
	}

	/** Whether credentials of this type were given. */
	has(type: string): boolean {
		return this.store.has(type);
	}

	/** The `{ id, name }` a node refers to these credentials by. */
	detailsFor(type: string): INodeCredentialsDetails {
		const credential = this.store.get(type);
		return {
			id: credential?.id ?? `${type}-id`,
			name: credential?.name ?? `${type} (engine harness)`,
		};
	}

	getParentTypes(name: string): string[] {
		const parents: string[] = [];
		for (const parent of this.credentialTypes[name]?.extends ?? []) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}

	isCredentialUsableByNode(_credentialType: string, _nodeType: string): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.credentialTypes[typeName]?.authenticate;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			const target = requestOptions as unknown as Record<
				string,
				Record<string, unknown> | undefined
			>;
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				const values = (target[section] ??= {});
				for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
					const resolvedKey = this.resolveValue(key, credentials, workflow, node);
					values[resolvedKey] = this.resolveValue(value, credentials, workflow, node);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes[typeName];
		if (typeof credentialType?.preAuthentication !== 'function') return undefined;
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = (await credentialType.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		const updated = { ...credentials, ...output };
		await this.updateCredentials(this.detailsFor(typeName), typeName, updated);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes[typeName];
		if (typeof credentialType?.preAuthentication !== 'function') return undefined;
		return (await credentialType.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<Credentials> {
		const credentials = new Credentials(nodeCredentials, type);
		await credentials.setData(this.dataFor(type));
		return credentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		return this.dataFor(type);
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const current = this.store.get(type);
		this.store.set(type, { ...current, data: structuredClone(data) });
		this.updates.push({ type, data: structuredClone(data) });
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes[type];
		if (credentialType === undefined) return [];
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	private dataFor(type: string): ICredentialDataDecryptedObject {
		const credential = this.store.get(type);
		if (credential === undefined) throw new HarnessCredentialNotFoundError(type);
		const data: ICredentialDataDecryptedObject = {};
		for (const property of this.getCredentialsProperties(type)) {
			if (property.default !== undefined && property.type !== 'notice') {
				data[property.name] = structuredClone(
					property.default,
				) as ICredentialDataDecryptedObject[string];
			}
		}
		return { ...data, ...structuredClone(credential.data) };
	}

	private resolveValue(
		value: unknown,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow | undefined,
		node: INode | undefined,
	): string {
		if (typeof value !== 'string') return String(value);
		if (!isExpression(value)) return value;
		if (workflow === undefined || node === undefined) {
			throw new Error('Resolving a generic credential authentication needs the workflow and node');
		}
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved === undefined || resolved === null ? '' : String(resolved);
	}
}
