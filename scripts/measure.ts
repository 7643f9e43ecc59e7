/** Runs `fn` once to warm up, then five times, and prints the median and the worst time. */
export async function time(label: string, fn: () => Promise<unknown>) {
	await fn();
	const runs: number[] = [];
	for (let i = 0; i < 5; i++) {
		const s = performance.now();
		await fn();
		runs.push(performance.now() - s);
	}
	runs.sort((a, b) => a - b);
	console.log(`${label}: median ${runs[2].toFixed(1)} ms, worst ${runs[4].toFixed(1)} ms`);
}
