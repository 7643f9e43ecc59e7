// `npm run test:model -- --runs N [--seed S --path P] [--shrink] [--trace]`: the model-based tests
// of money and fairness (src/lib/server/ledger/model.test.ts) with as many random sequences as
// you like, or one failing sequence replayed from the seed and path that a failure printed.
// Long runs go in rounds of at most 250 sequences, each in a fresh process with a fresh seed:
// embedded libSQL keeps a few file handles and some native memory of every closed test database
// until the process ends (about 1 GB per 100 sequences), so one process cannot run tens of
// thousands of them, and two long runs side by side must each stay well below the machine's memory.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const value = (name) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
};
const ROUND = 250;
const runs = Number(value('runs') ?? 300);
const replay = value('path') !== undefined;
const started = Date.now();
let done = 0;
let status = 0;
for (let round = 1; done < runs && status === 0; round++) {
	const n = replay ? runs : Math.min(ROUND, runs - done);
	const seed = value('seed') ?? String(Math.floor(Math.random() * 2 ** 31));
	const env = { ...process.env, MODEL_RUNS: String(n), MODEL_SEED: seed };
	if (value('path')) env.MODEL_PATH = value('path');
	if (args.includes('--shrink')) env.MODEL_SHRINK = '1';
	if (args.includes('--trace')) env.MODEL_TRACE = '1';
	console.log(`round ${round}: ${n} sequences, seed ${seed}`);
	const files = ['src/lib/server/ledger/model.test.ts', ...(round === 1 ? ['src/lib/server/ledger/interleavings.test.ts'] : [])];
	status = spawnSync('npx', ['vitest', 'run', ...files], { stdio: 'inherit', env }).status ?? 1;
	done += n;
	if (replay) break;
}
console.log(`model tests: ${done} sequences, ${((Date.now() - started) / 1000).toFixed(0)} s, ${status === 0 ? 'no failure' : 'FAILED (seed and path above)'}`);
process.exit(status);
