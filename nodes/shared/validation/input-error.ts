/** A user value the node refuses before anything is sent; the node adds the item index. */
export class InputError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {
		super(`${field}: ${reason}`);
		this.name = 'InputError';
	}
}
