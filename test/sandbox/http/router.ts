import { htmlReply, type ReplyStyle, type SandboxReply, type SandboxRequest } from './exchange';

export type RouteHandler = (request: SandboxRequest) => SandboxReply;

/** The style a route answers a given request in (the email API's depends on the request's Content-Type). */
export type ReplyStyleOf = (request: SandboxRequest) => ReplyStyle;

interface Route {
	handler: RouteHandler;
	styleOf: ReplyStyleOf;
}

const SMS_XML_STYLE: ReplyStyleOf = () => 'smsXml';

/** Maps exact URL paths to handlers; anything else is a 404 page, as a web server would answer. */
export class Router {
	private readonly routes = new Map<string, Route>();

	add(path: string, handler: RouteHandler, styleOf: ReplyStyleOf = SMS_XML_STYLE): this {
		if (this.routes.has(path)) {
			throw new Error(`Route ${path} is already registered`);
		}
		this.routes.set(path, { handler, styleOf });
		return this;
	}

	dispatch(request: SandboxRequest): SandboxReply {
		const route = this.routes.get(request.path);
		return route === undefined ? htmlReply(404, '404 Not Found') : route.handler(request);
	}

	/** The style the route of this request answers in; the SMS style for unknown paths. */
	replyStyleOf(request: SandboxRequest): ReplyStyle {
		return (this.routes.get(request.path)?.styleOf ?? SMS_XML_STYLE)(request);
	}
}
