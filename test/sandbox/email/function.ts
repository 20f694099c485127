import type { JsonObject } from '../apiagent/json-request';
import type { SandboxRequest } from '../http/exchange';
import type { BuildObject } from '../xml/document';
import type { XmlElement } from '../xml/element';

/**
 * One function of `/clients/api.php` (send, or `?func=status`), after the checks both share. Each
 * method answers an authenticated request whose members are known, or throws RequestRefusal.
 */
export interface EmailFunction {
	/** Members the request may have besides `security` (XML elements or JSON keys), each at most once. */
	members: readonly string[];
	/** What follows `<error/>` inside the reply's `<request>`. */
	xml(request: XmlElement, origin: SandboxRequest): BuildObject;
	/** What follows `"error": ""` in the reply object. */
	json(request: JsonObject, origin: SandboxRequest): JsonObject;
}
