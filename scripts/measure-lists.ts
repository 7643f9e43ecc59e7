// Times every list page's service at real size, on a database already seeded (`npm run bench`
// keeps one in the temporary folder): `DATABASE_URL=file:/tmp/kvarter-bench-100000-50000-m29/kvarter.db
// node --experimental-strip-types scripts/measure-lists.ts [part of a name]`. Each line: median
// and worst of five runs after one to warm up (docs/benchmarks.md).
import { eq, sql as sqlT } from 'drizzle-orm';
import { loadConfig } from '../src/lib/server/config.ts';
import type { Ctx } from '../src/lib/server/context.ts';
import { time } from './measure.ts';
import { openDatabase } from '../src/lib/server/db/client.ts';
import { userRoles, users, neighbourhoods } from '../src/lib/server/db/schema/index.ts';
import { listApplicationsForStaff } from '../src/lib/server/applications/service.ts';
import { listGrantsForStaff } from '../src/lib/server/grants/service.ts';
import { listPublicProjects, registerYears, publicCallOutcomes } from '../src/lib/server/transparency/register.ts';
import { todoFor } from '../src/lib/server/todo/service.ts';
import { allFundFigures, dueTranches, recentlyPaid, repaymentsOwed, overpaymentsToRefund } from '../src/lib/server/payments/service.ts';
import { listBatches } from '../src/lib/server/payments/batches.ts';
import { listCallsForStaff, listCallsForStaffOrFinance } from '../src/lib/server/calls/service.ts';
import { listNeighbourhoods } from '../src/lib/server/neighbourhoods/service.ts';
const url = process.env.DATABASE_URL;
if (!url) throw new Error('usage: DATABASE_URL=file:PATH node --experimental-strip-types scripts/measure-lists.ts [part of a name]');
const config = loadConfig({ DATABASE_URL: url });
const database = await openDatabase({ url, busyTimeoutMs: 5000 });
const db = database.db;
async function ctxFor(email: string) {
	const [u] = await db.select({ id: users.id, email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.email, email));
	const roles = (await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, u.id))).map((r) => r.role);
	return { database, config, actor: { ...u, roles }, now: new Date(), ip: null, locale: 'en' as const } as Ctx;
}
const officer = await ctxFor('officer@kvarter.demo');
const finance = await ctxFor('finance@kvarter.demo');
const [nb] = await db.select({ id: neighbourhoods.id }).from(neighbourhoods).limit(1);
const only = process.argv[2];
const T = (l: string, f: () => Promise<unknown>) => (!only || l.includes(only) ? time(l, f) : Promise.resolve());
await T('staff apps p1', () => listApplicationsForStaff(officer, {}));
await T('staff apps p2000', () => listApplicationsForStaff(officer, { page: 2000 }));
const big = (await db.all<{ id: string }>(sqlT`select call_id as id from applications group by call_id order by count(*) desc limit 1`))[0].id;
await T('staff apps call', () => listApplicationsForStaff(officer, { callId: big }));
await T('staff apps call p400', () => listApplicationsForStaff(officer, { callId: big, page: 400 }));
await T('staff apps nb', () => listApplicationsForStaff(officer, { neighbourhoodId: nb.id }));
await T('staff apps nb p400', () => listApplicationsForStaff(officer, { neighbourhoodId: nb.id, page: 400 }));
await T('staff apps amount p400', () => listApplicationsForStaff(officer, { sort: 'amount', page: 400 }));
await T('staff apps title p400', () => listApplicationsForStaff(officer, { sort: 'title', page: 400 }));
await T('staff apps q', () => listApplicationsForStaff(officer, { q: 'läxhjälp' }));
await T('staff apps q p400', () => listApplicationsForStaff(officer, { q: 'läxhjälp', page: 400 }));
await T('staff apps status', () => listApplicationsForStaff(officer, { status: 'in_review', kind: 'school' }));
await T('staff grants p1', () => listGrantsForStaff(officer, {}));
await T('staff grants p1000', () => listGrantsForStaff(officer, { page: 1000 }));
await T('staff grants call', () => listGrantsForStaff(officer, { callId: big }));
await T('staff grants active', () => listGrantsForStaff(officer, { status: 'active' }));
await T('staff grants overdue', () => listGrantsForStaff(officer, { overdue: true }));
await T('staff grants nb', () => listGrantsForStaff(officer, { neighbourhoodId: nb.id }));
await T('calls for staff', () => listCallsForStaff(officer));
await T('calls for staff/finance', () => listCallsForStaffOrFinance(finance));
await T('neighbourhoods', () => listNeighbourhoods(officer));
await T('projects p1', () => listPublicProjects(db, {}));
await T('projects p1000', () => listPublicProjects(db, { page: 1000 }));
await T('projects q', () => listPublicProjects(db, { q: 'läxhjälp' }));
await T('projects nb', () => listPublicProjects(db, { neighbourhoodId: nb.id }));
await T('register years', () => registerYears(db, 'Europe/Stockholm'));
await T('call outcomes', () => publicCallOutcomes(db));
await T('todo header officer', () => todoFor(officer, { shown: 0 }));
await T('todo officer', () => todoFor(officer));
await T('finance due', () => dueTranches(finance, {}));
await T('finance figures', () => allFundFigures(finance));
await T('finance recently paid', () => recentlyPaid(finance));
await T('finance batches', () => listBatches(finance));
await T('repayments owed', () => repaymentsOwed(finance));
await T('overpayments', () => overpaymentsToRefund(finance));
process.exit(0);
