import { randomInt } from 'node:crypto';

/** `length` random decimal digits; a code may start with 0. */
export function generateCode(length: number): string {
	let code = '';
	for (let index = 0; index < length; index += 1) {
		code += String(randomInt(10));
	}
	return code;
}
