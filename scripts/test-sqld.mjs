// `npm run test:sqld [-- vitest arguments]`: the server tests as Kvarter runs on more than one
// machine — against a libSQL server (sqld) instead of an embedded file, with files in an
// S3-compatible bucket instead of a folder. Starts sqld on loopback with namespaces
// (scripts/sqld.mjs brings the binary the first time) and s3rver, and runs Vitest with
// KVARTER_TEST_SQLD and KVARTER_TEST_S3 set: each test database is then a namespace of that
// server and its files a prefix of the bucket (src/lib/server/testing/db.ts). Tests of the
// embedded file alone (its read thread, its query plans) run in `npm run test:unit` only. The
// model-based tests of money run 60 random sequences here (MODEL_RUNS for more; `npm run
// test:unit` runs 300 on the file): each statement crosses the network, and 60 already reach
// every state of a grant.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startSqld } from './sqld.mjs';
import { startS3 } from '../src/lib/server/testing/s3.ts';

const EMBEDDED_ONLY = ['src/lib/server/db/off-thread.test.ts', 'src/lib/server/db/query-plans.test.ts'];

const dir = mkdtempSync(join(tmpdir(), 'kvarter-sqld-'));
let sqld;
let s3;
let code = 1;
try {
	sqld = await startSqld({ dir, adminPort: await freePort() });
	console.log(`sqld at ${sqld.url} (namespaces managed at ${sqld.adminUrl})`);
	s3 = await startS3();
	console.log(`S3-compatible server at ${s3.endpoint}`);
	const args = ['vitest', 'run', ...EMBEDDED_ONLY.flatMap((f) => ['--exclude', f]), ...process.argv.slice(2)];
	const env = { MODEL_RUNS: '60', ...process.env, KVARTER_TEST_SQLD: sqld.url, KVARTER_TEST_SQLD_ADMIN: sqld.adminUrl, KVARTER_TEST_S3: s3.endpoint };
	code = await new Promise((resolve) => spawn('npx', args, { stdio: 'inherit', env }).on('exit', (c) => resolve(c ?? 1)));
	if (code !== 0 && sqld.log()) console.error(`sqld's last words:\n${sqld.log()}`);
} catch (e) {
	console.error(String(e));
} finally {
	await sqld?.stop();
	await s3?.stop();
	rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
