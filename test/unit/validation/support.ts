import { InputError } from '../../../nodes/shared/validation/input-error';

/** The InputError `run` throws; fails the test if it throws nothing or something else. */
export function inputError(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError, nothing was thrown');
}
