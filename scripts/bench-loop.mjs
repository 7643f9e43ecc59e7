// Preloaded into the server by `npm run bench` (node --import): measures how long the event loop
// is held up (perf_hooks.monitorEventLoopDelay). On SIGUSR2 it writes the delays since the last
// signal (p50, p99, max in ms) to BENCH_LOOP_FILE-<pid> and starts again (one file per process,
// so that each worker of `WORKERS=N` reports its own).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_LOOP_FILE;
if (file) {
	const h = monitorEventLoopDelay({ resolution: 5 });
	h.enable();
	process.on('SIGUSR2', () => {
		const ms = (ns) => Math.round(ns / 1e5) / 10;
		const mine = `${file}-${process.pid}`;
		writeFileSync(`${mine}.tmp`, JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }));
		renameSync(`${mine}.tmp`, mine);
		h.reset();
	});
}
