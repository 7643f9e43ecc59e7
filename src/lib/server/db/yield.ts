/**
 * Lets other requests run before long work goes on. The embedded database answers synchronously
 * on the server's one thread, so work made of many queries (an export, a large read) calls this
 * between its parts; a promise's `then` alone would not let waiting sockets in, a macrotask does.
 */
export function yieldToOthers(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Sorts a large array without holding the thread for long: runs of 2 048 are sorted, then merged
 * pairwise, yielding to other requests every 16 384 items moved. Stable, like Array.prototype.sort.
 */
export async function sortYielding<T>(items: T[], compare: (a: T, b: T) => number): Promise<T[]> {
	const RUN = 2048;
	const STEP = 16_384;
	let runs: T[][] = [];
	for (let i = 0; i < items.length; i += RUN) {
		runs.push(items.slice(i, i + RUN).sort(compare));
		if (runs.length % 8 === 0) await yieldToOthers();
	}
	let moved = 0;
	while (runs.length > 1) {
		const next: T[][] = [];
		for (let r = 0; r < runs.length; r += 2) {
			const [a, b] = [runs[r], runs[r + 1]];
			if (!b) {
				next.push(a);
				continue;
			}
			const out: T[] = new Array(a.length + b.length);
			let i = 0;
			let j = 0;
			let k = 0;
			while (i < a.length || j < b.length) {
				out[k++] = j >= b.length || (i < a.length && compare(a[i], b[j]) <= 0) ? a[i++] : b[j++];
				if (++moved % STEP === 0) await yieldToOthers();
			}
			next.push(out);
		}
		runs = next;
	}
	return runs[0] ?? [];
}
