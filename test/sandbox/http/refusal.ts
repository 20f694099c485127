/** The whole request is refused with the endpoint's error reply carrying this message. */
export class RequestRefusal extends Error {
	constructor(
		message: string,
		readonly status = 200,
		readonly headers?: Record<string, string>,
	) {
		super(message);
	}
}
