import { openDatabase } from '/work/main/src/lib/server/db/client.ts';
import { listPublicProjects, publicCallOutcomes } from '/work/main/src/lib/server/transparency/register.ts';
const url = 'file:/tmp/kvarter-bench-100000-50000-m21/kvarter.db';
const database = await openDatabase({ url, busyTimeoutMs: 5000 });
const client = database.client;
const orig = client.execute.bind(client);
const stmts = [];
client.execute = async (stmt) => { stmts.push(stmt); return orig(stmt); };
await listPublicProjects(database.db, { page: 1 });
await publicCallOutcomes(database.db);
client.execute = orig;
for (const s of stmts) {
  const t = performance.now(); for (let i = 0; i < 5; i++) await orig(s); const ms = (performance.now() - t) / 5;
  console.log(ms.toFixed(1), 'ms', (s.sql ?? s).slice(0, 200));
  if (ms > 3) for (const r of (await orig({ sql: 'explain query plan ' + s.sql, args: s.args })).rows) console.log('    ', r.detail);
}
