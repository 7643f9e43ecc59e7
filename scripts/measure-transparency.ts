// Measures the public pages and the open data at real size:
//   node --experimental-strip-types scripts/measure-transparency.ts [grants]
// seeds a scratch database under /tmp with the demo data and N generated grants (default
// 50 000), times the register and the statistics, then streams the 360Giving export (JSON and
// CSV) in a fresh process (`--export DIR`) and reports its time and peak memory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/lib/server/config.ts';
import { time } from './measure.ts';
import { migrateDatabase, openDatabase } from '../src/lib/server/db/client.ts';
import { seedDemo } from '../src/lib/server/seed/demo.ts';
import { seedGrants } from '../src/lib/server/seed/grants.ts';
import { seedGrantsAtScale } from '../src/lib/server/seed/scale.ts';
import { listPublicProjects, publicCallOutcomes } from '../src/lib/server/transparency/register.ts';
import { exactStatistics, publicStatistics } from '../src/lib/server/transparency/statistics.ts';
import { openDataContext, package360Csv, package360Json } from '../src/lib/server/transparency/opendata.ts';

const exportOnly = process.argv.indexOf('--export');
if (exportOnly >= 0) {
	const dir = process.argv[exportOnly + 1];
	const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'kvarter.db')}` });
	const database = await openDatabase({ url: config.DATABASE_URL, busyTimeoutMs: 5000 });
	for (const [label, gen] of [['360Giving JSON', package360Json], ['360Giving CSV', package360Csv]] as const) {
		const before = process.memoryUsage().rss;
		let peak = before;
		const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
		const t = Date.now();
		let bytes = 0;
		for await (const chunk of gen(database.db, openDataContext(config))) bytes += Buffer.byteLength(chunk);
		clearInterval(watch);
		peak = Math.max(peak, process.memoryUsage().rss);
		console.log(`${label}: ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - t) / 1000).toFixed(1)} s; RSS at start ${(before / 1e6).toFixed(0)} MB, peak ${(peak / 1e6).toFixed(0)} MB`);
	}
	database.close();
	process.exit(0);
}

const n = Number(process.argv[2] ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'kvarter-measure-'));
const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'kvarter.db')}` });
const database = await openDatabase({ url: config.DATABASE_URL, busyTimeoutMs: 5000 });
await migrateDatabase(database);
const t = Date.now();
await seedDemo(database);
await seedGrants(database, config);
await seedGrantsAtScale(database, n);
console.log(`seeded ${n} grants in ${((Date.now() - t) / 1000).toFixed(1)} s (${dir})`);
const db = database.db;
await time('register, page 1', () => listPublicProjects(db, {}));
await time('register, page 500', () => listPublicProjects(db, { page: 500 }));
await time('register, search "läxhjälp"', () => listPublicProjects(db, { q: 'läxhjälp' }));
await time('register, year + status', () => listPublicProjects(db, { year: new Date().getUTCFullYear(), status: 'active' }));
await time('call outcomes', () => publicCallOutcomes(db));
await time('statistics, computed (staff dashboard, or public once a minute)', () => exactStatistics(db, {}));
await time('public statistics within the minute', () => publicStatistics(db, {}));
database.close();
console.log(execFileSync(process.execPath, ['--experimental-strip-types', '--no-warnings', process.argv[1], '--export', dir], { encoding: 'utf8' }).trim());
