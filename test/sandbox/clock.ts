/** Real time shifted by a controllable offset; everything time-dependent in the sandbox reads this. */
export class SandboxClock {
	private offsetMs = 0;

	now(): Date {
		return new Date(Date.now() + this.offsetMs);
	}

	advance(ms: number): void {
		if (!Number.isFinite(ms) || ms < 0) {
			throw new RangeError(`The sandbox clock only moves forward (got ${ms} ms)`);
		}
		this.offsetMs += ms;
	}

	reset(): void {
		this.offsetMs = 0;
	}
}
