// Measures finance's queue and fund figures at real size: `node --experimental-strip-types
// scripts/measure-finance.ts [grants]` seeds a fresh database under /tmp with the demo data and
// N generated grants (default 50 000), then times each query the finance page makes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { loadConfig } from '../src/lib/server/config.ts';
import { time } from './measure.ts';
import { migrateDatabase, openDatabase } from '../src/lib/server/db/client.ts';
import { ledgerEntries, grants, userRoles, users } from '../src/lib/server/db/schema/index.ts';
import { seedDemo } from '../src/lib/server/seed/demo.ts';
import { seedGrants } from '../src/lib/server/seed/grants.ts';
import { seedGrantsAtScale } from '../src/lib/server/seed/scale.ts';
import { allFundFigures, dueTranches, recentlyPaid } from '../src/lib/server/payments/service.ts';
import { listBatches } from '../src/lib/server/payments/batches.ts';
import { reconcile } from '../src/lib/server/ledger/index.ts';
import { eq } from 'drizzle-orm';

const n = Number(process.argv[2] ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'kvarter-measure-'));
const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'kvarter.db')}` });
const database = await openDatabase({ url: config.DATABASE_URL, busyTimeoutMs: 5000 });
await migrateDatabase(database);
let t = Date.now();
await seedDemo(database);
await seedGrants(database, config);
await seedGrantsAtScale(database, n);
console.log(`seeded ${n} grants in ${((Date.now() - t) / 1000).toFixed(1)} s`);
const [{ g }] = await database.db.select({ g: count() }).from(grants);
const [{ l }] = await database.db.select({ l: count() }).from(ledgerEntries);
console.log(`grants: ${g}, ledger rows: ${l}`);
const [f] = await database.db.select({ id: users.id, email: users.email, name: users.name, locale: users.locale }).from(users).innerJoin(userRoles, eq(userRoles.userId, users.id)).where(eq(userRoles.role, 'finance')).limit(1);
const ctx = { database, config, actor: { ...f, roles: ['finance' as const] }, now: new Date(), ip: null, locale: 'en' as const };
await time('queue, page 1', () => dueTranches(ctx, {}));
await time('queue, page 100', () => dueTranches(ctx, { page: 100 }));
await time('queue, filter iban + due by', () => dueTranches(ctx, { method: 'iban', dueBy: '2026-06-30' }));
await time('fund figures (all funds)', () => allFundFigures(ctx));
await time('recently paid', () => recentlyPaid(ctx));
await time('payment files', () => listBatches(ctx));
await time('whole finance page (in parallel)', () => Promise.all([dueTranches(ctx, {}), allFundFigures(ctx), recentlyPaid(ctx), listBatches(ctx)]));
t = Date.now();
const differences = await reconcile(database.db);
console.log(`reconcile: ${differences.length} differences in ${Date.now() - t} ms`);
database.close();
