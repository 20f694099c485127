import type { ServerResponse } from 'node:http';

/** A reply body being written bit by bit; `done` settles when it is written or the client went away. */
export interface StreamedBody {
	readonly done: Promise<void>;
	/** Stops writing (clearing any timer) and destroys the response if it is not finished. */
	cancel(): void;
}

const NOTHING = (): void => undefined;

/** Shared end-of-stream bookkeeping: one `finish`, run on completion, on 'close' and on cancel. */
function streamControl(response: ServerResponse, onFinish: () => void): { done: Promise<void>; finish: () => void; finished: () => boolean } {
	let resolveDone: () => void = NOTHING;
	const done = new Promise<void>((resolve) => {
		resolveDone = resolve;
	});
	let isFinished = false;
	const finish = (): void => {
		if (isFinished) {
			return;
		}
		isFinished = true;
		response.off('close', finish);
		onFinish();
		resolveDone();
	};
	response.on('close', finish);
	return { done, finish, finished: () => isFinished };
}

/** The handle of a body being streamed: cancelling it stops the writing and destroys an unfinished response. */
function streamedBody(response: ServerResponse, control: { done: Promise<void>; finish: () => void }): StreamedBody {
	return {
		done: control.done,
		cancel: () => {
			const unfinished = !response.writableEnded;
			control.finish();
			if (unfinished) {
				response.destroy();
			}
		},
	};
}

/**
 * Writes `body` `chunkBytes` at a time, one chunk every `intervalMs` (the first after `intervalMs`),
 * waiting for 'drain' when the connection is full; the status and headers must already be sent.
 * `onWritten` is told every chunk handed to the connection.
 */
export function trickleBody(
	response: ServerResponse,
	body: Buffer,
	intervalMs: number,
	chunkBytes: number,
	onWritten: (bytes: number) => void,
): StreamedBody {
	let timer: NodeJS.Timeout | undefined;
	const control = streamControl(response, () => {
		clearTimeout(timer);
		timer = undefined;
		response.off('drain', schedule);
	});
	let offset = 0;
	function schedule(): void {
		timer = setTimeout(tick, intervalMs);
	}
	function tick(): void {
		timer = undefined;
		if (control.finished()) {
			return;
		}
		if (response.destroyed) {
			control.finish();
			return;
		}
		const chunk = body.subarray(offset, offset + chunkBytes);
		offset += chunk.length;
		const flowing = response.write(chunk, NOTHING);
		onWritten(chunk.length);
		if (offset >= body.length) {
			response.end();
			control.finish();
		} else if (flowing) {
			schedule();
		} else {
			response.once('drain', schedule);
		}
	}
	if (body.length === 0) {
		response.end();
		control.finish();
	} else {
		schedule();
	}
	return streamedBody(response, control);
}

const FILLER_CHUNK = Buffer.alloc(64 * 1024, 'x');

/** `head`, then `fillerBytes` of `x`, then `tail`, in chunks of at most 64 KiB. */
function* sizedChunks(head: Buffer, fillerBytes: number, tail: Buffer): Generator<Buffer> {
	yield head;
	let left = fillerBytes;
	while (left > 0) {
		const size = Math.min(left, FILLER_CHUNK.length);
		yield FILLER_CHUNK.subarray(0, size);
		left -= size;
	}
	yield tail;
}

/**
 * Writes a body of exactly `bytes`: `head` + filler + `tail` (only the first `bytes` of `head` + `tail`
 * when they are longer), never building it whole, waiting for 'drain' whenever the connection is full.
 * The status and headers must already be sent. `onWritten` is told every chunk handed to the connection.
 */
export function streamSizedBody(
	response: ServerResponse,
	bytes: number,
	head: Buffer,
	tail: Buffer,
	onWritten: (bytes: number) => void,
): StreamedBody {
	const frame = head.length + tail.length;
	const chunks =
		bytes < frame
			? [Buffer.concat([head, tail]).subarray(0, bytes)][Symbol.iterator]()
			: sizedChunks(head, bytes - frame, tail);
	const control = streamControl(response, () => response.off('drain', pump));
	function pump(): void {
		while (!control.finished()) {
			if (response.destroyed) {
				control.finish();
				return;
			}
			const next = chunks.next();
			if (next.done === true) {
				response.end();
				control.finish();
				return;
			}
			if (next.value.length === 0) {
				continue;
			}
			const flowing = response.write(next.value, NOTHING);
			onWritten(next.value.length);
			if (!flowing) {
				response.once('drain', pump);
				return;
			}
		}
	}
	pump();
	return streamedBody(response, control);
}
