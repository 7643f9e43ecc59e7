// `npm run test:model -- --runs N [--jobs J] [--seed S --path P] [--shrink] [--trace]`: the
// model-based tests of money and fairness (src/lib/server/ledger/model.test.ts) with as many random
// sequences as you like, or one failing sequence replayed from the seed and path that a failure printed.
// Long runs go in rounds of at most 250 sequences, each in a fresh process with a fresh seed:
// embedded libSQL keeps a few file handles and some native memory of every closed test database
// until the process ends (about 1 GB per 100 sequences), so one process cannot run tens of
// thousands of them. `--jobs J` runs J rounds at a time (one per core you can spare; each round
// holds up to about 2.5 GB). The first failure stops the run; its seed and path are printed.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const value = (name) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
};
const ROUND = 250;
const runs = Number(value('runs') ?? 300);
const jobs = Math.max(1, Number(value('jobs') ?? 1));
const replay = value('path') !== undefined;
const started = Date.now();
let planned = 0;
let done = 0;
let round = 0;
let failed = false;

function runRound() {
	if (failed || planned >= runs) return Promise.resolve();
	round++;
	const n = replay ? runs : Math.min(ROUND, runs - planned);
	planned += n;
	const seed = value('seed') ?? String(Math.floor(Math.random() * 2 ** 31));
	const env = { ...process.env, MODEL_RUNS: String(n), MODEL_SEED: seed };
	if (value('path')) env.MODEL_PATH = value('path');
	if (args.includes('--shrink')) env.MODEL_SHRINK = '1';
	if (args.includes('--trace')) env.MODEL_TRACE = '1';
	console.log(`round ${round}: ${n} sequences, seed ${seed}`);
	const files = ['src/lib/server/ledger/model.test.ts', ...(round === 1 ? ['src/lib/server/ledger/interleavings.test.ts'] : [])];
	return new Promise((resolve) => {
		const child = spawn('npx', ['vitest', 'run', ...files], { stdio: 'inherit', env });
		child.on('exit', (code) => {
			if (code === 0) done += n;
			else {
				failed = true;
				console.log(`round with seed ${seed} FAILED`);
			}
			resolve(replay ? undefined : runRound());
		});
	});
}

await Promise.all(Array.from({ length: replay ? 1 : jobs }, () => runRound()));
console.log(`model tests: ${done} sequences passed, ${((Date.now() - started) / 1000).toFixed(0)} s, ${failed ? 'FAILED (seed and path above)' : 'no failure'}`);
process.exit(failed ? 1 : 0);
