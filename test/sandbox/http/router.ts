import { htmlReply, type SandboxReply, type SandboxRequest } from './exchange';

export type RouteHandler = (request: SandboxRequest) => SandboxReply;

/** Maps exact URL paths to handlers; anything else is a 404 page, as a web server would answer. */
export class Router {
	private readonly routes = new Map<string, RouteHandler>();

	add(path: string, handler: RouteHandler): this {
		if (this.routes.has(path)) {
			throw new Error(`Route ${path} is already registered`);
		}
		this.routes.set(path, handler);
		return this;
	}

	dispatch(request: SandboxRequest): SandboxReply {
		const handler = this.routes.get(request.path);
		return handler === undefined ? htmlReply(404, '404 Not Found') : handler(request);
	}
}
