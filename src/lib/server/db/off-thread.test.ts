import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'kvarter-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a module in a fresh Node process (as the server runs), with a time limit; its exit code and output. */
function run(body: string) {
	const here = resolve('src/lib/server/db');
	const script = `import { sql } from 'drizzle-orm';\nimport { openDatabase } from '${here}/client.ts';\nimport { readOffThread } from '${here}/off-thread.ts';\n${body}`;
	const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script], { cwd: resolve('.'), timeout: 30_000, encoding: 'utf8' });
	return { status: r.status, out: r.stdout.trim(), err: r.stderr };
}

describe('reads off the main thread', () => {
	it('answer with rows keyed by column name, for a database file', () => {
		const r = run(`const d = await openDatabase({ url: 'file:${join(dir, 'a.db')}' });
await d.client.execute('create table t (n integer)');
await d.client.execute('insert into t values (1), (2), (3)');
const rows = await readOffThread(d.db, sql\`select sum(n) as total, count(*) as rows from t\`);
const { threadId } = await import('node:worker_threads');
console.log(JSON.stringify(rows), threadId);`);
		expect(r.err).toBe('');
		expect([r.status, r.out]).toEqual([0, '[{"total":6,"rows":3}] 0']);
	});

	it('never keep the process from ending (a server stopping on SIGTERM) once the work is done', () => {
		// Without closing the database: the thread must not hold the process open by itself.
		const started = Date.now();
		const r = run(`const d = await openDatabase({ url: 'file:${join(dir, 'b.db')}' });
console.log(JSON.stringify(await readOffThread(d.db, sql\`select 1 as one\`)));`);
		expect([r.status, r.out]).toEqual([0, '[{"one":1}]']);
		expect(Date.now() - started).toBeLessThan(25_000);
	});
});
