// `npm start`: the production server (`build/`, adapter-node) as WORKERS processes sharing one
// port (Node's cluster) and one database. WORKERS=1 (the default) runs the server in this process.
//
// The first worker starts alone — it applies the migrations and, where asked, seeds the demo — and
// the others start once it listens, so no two processes migrate at once. Every worker is a whole
// Kvarter: writes are serialised per process and across processes by the database's write lock
// (BEGIN IMMEDIATE with a busy timeout), background jobs run in whichever process holds their
// lease, sessions and throttling live in the database. A worker that dies is replaced; SIGTERM
// and SIGINT are passed on, and each worker finishes the requests it has before it ends.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';

const server = new URL('../build/index.js', import.meta.url).href;
const asked = process.env.WORKERS ?? '1';
const workers = asked === 'auto' ? availableParallelism() : Number(asked);
if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
	console.error(`WORKERS must be a whole number from 1 to 64, or "auto" (it is "${asked}")`);
	process.exit(1);
}

if (workers === 1 || cluster.isWorker) {
	// Once the server has closed (SIGTERM: adapter-node finishes the requests it has), a worker lets
	// go of its channel to the first process, which would otherwise keep it running.
	if (cluster.isWorker) process.once('sveltekit:shutdown', () => setImmediate(() => process.disconnect()));
	await import(server);
} else {
	let stopping = false;
	const listening = new Set();
	const fork = () => cluster.fork();
	fork().once('listening', () => {
		for (let i = 1; i < workers; i++) fork();
	});
	cluster.on('exit', (worker, code, signal) => {
		if (stopping) {
			if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
			return;
		}
		console.error(`[serve] worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
		// A worker that cannot start (a bad configuration) ends the whole server rather than looping.
		if (!listening.delete(worker.id)) process.exit(typeof code === 'number' && code !== 0 ? code : 1);
		fork();
	});
	cluster.on('listening', (worker) => listening.add(worker.id));
	for (const sig of ['SIGTERM', 'SIGINT']) {
		process.on(sig, () => {
			stopping = true;
			for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(sig);
		});
	}
}
