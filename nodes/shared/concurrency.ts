/** Runs `task` over `inputs` with at most `limit` in flight; results keep the inputs' order. */
export async function mapWithConcurrency<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	const workers = Math.min(Math.max(1, Math.floor(limit) || 1), inputs.length);
	await Promise.all(Array.from({ length: workers }, worker));
	return results;
}
