// `npm run test:model -- --runs N [--seed S --path P] [--shrink] [--trace]`: the model-based tests of money and
// fairness (src/lib/server/ledger/model.test.ts) with as many random sequences as you like, or
// one failing sequence replayed from the seed and path that a failure printed.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const value = (name) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
};
const env = { ...process.env };
if (value('runs')) env.MODEL_RUNS = value('runs');
env.MODEL_SEED = value('seed') ?? 'random';
if (value('path')) env.MODEL_PATH = value('path');
if (args.includes('--shrink')) env.MODEL_SHRINK = '1';
if (args.includes('--trace')) env.MODEL_TRACE = '1';
const started = Date.now();
const run = spawnSync('npx', ['vitest', 'run', 'src/lib/server/ledger/model.test.ts', 'src/lib/server/ledger/interleavings.test.ts'], { stdio: 'inherit', env });
console.log(`model tests: ${env.MODEL_RUNS ?? 300} sequences, ${((Date.now() - started) / 1000).toFixed(0)} s, exit code ${run.status}`);
process.exit(run.status ?? 1);
