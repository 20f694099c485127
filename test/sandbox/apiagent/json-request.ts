import { decodeUtf8Body } from '../http/body';
import { RequestRefusal } from '../http/refusal';
import type { SandboxStore } from '../store';
import { SandboxTexts } from '../texts';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
	[key: string]: JsonValue;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the body of an email JSON request: UTF-8 (a byte order mark allowed), JSON, an object at the top. */
export function parseJsonRequest(body: Buffer): JsonObject {
	const text = decodeUtf8Body(body);
	if (text === undefined) {
		throw new RequestRefusal(SandboxTexts.notUtf8);
	}
	let parsed: JsonValue;
	try {
		parsed = JSON.parse(text) as JsonValue;
	} catch (error) {
		throw new RequestRefusal(SandboxTexts.malformedJson(error instanceof Error ? error.message : String(error)));
	}
	if (!isJsonObject(parsed)) {
		throw new RequestRefusal(SandboxTexts.jsonNotObject);
	}
	return parsed;
}

/**
 * `"security": { "login": "L", "password": "P" }`, both strings compared exactly; any other shape
 * (other members, other types, missing) fails authentication.
 */
export function assertJsonAuthenticated(request: JsonObject, store: SandboxStore): void {
	const security = request.security;
	const valid =
		isJsonObject(security) && Object.keys(security).every((key) => key === 'login' || key === 'password');
	const login = valid ? security.login : undefined;
	const password = valid ? security.password : undefined;
	if (typeof login !== 'string' || typeof password !== 'string' || !store.authenticate(login, password)) {
		throw new RequestRefusal(SandboxTexts.wrongLogin);
	}
}

/** Refuses members other than the allowed ones; `prefix` names the enclosing member in the error ('email.'). */
export function assertJsonKeys(object: JsonObject, allowed: readonly string[], prefix = ''): void {
	const unknown = Object.keys(object).find((key) => !allowed.includes(key));
	if (unknown !== undefined) {
		throw new RequestRefusal(SandboxTexts.unknownJsonField(`${prefix}${unknown}`));
	}
}

/** A string member; undefined when absent or null; anything else is refused as the wrong type. */
export function stringMember(object: JsonObject, key: string, name = key): string | undefined {
	const value = object[key];
	if (value === undefined || value === null) {
		return undefined;
	}
	if (typeof value !== 'string') {
		throw new RequestRefusal(SandboxTexts.wrongFieldType(name, 'строкой'));
	}
	return value;
}

/**
 * An id member, given as a string (the document's examples) or a JSON number: returned as decimal
 * text, undefined when absent or null. A number that is not a whole number from 0 to 2^53 − 1 is
 * refused with `wrongId`; other types are refused as the wrong type. Strings are checked by the caller.
 */
export function idMember(
	object: JsonObject,
	key: string,
	wrongId: (value: string) => string,
	name = key,
): string | undefined {
	const value = object[key];
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value) || value < 0) {
			throw new RequestRefusal(wrongId(String(value)));
		}
		return String(value);
	}
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw new RequestRefusal(SandboxTexts.wrongFieldType(name, 'строкой или числом'));
	}
	return value ?? undefined;
}
