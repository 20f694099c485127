/** The provider understood the request and refused it, in its own words. */
export class ProviderRefusalError extends Error {
	constructor(readonly providerText: string) {
		super(providerText);
		this.name = 'ProviderRefusalError';
	}
}

/** The reply is not the document the API promises (an HTML error page, another root element, …). */
export class UnexpectedResponseError extends Error {
	constructor(
		message: string,
		readonly body: string,
	) {
		super(message);
		this.name = 'UnexpectedResponseError';
	}
}
