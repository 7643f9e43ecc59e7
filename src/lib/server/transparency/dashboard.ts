import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { dayOf, startOfYear } from '../calendar.ts';
import type { Ctx } from '../context.ts';
import { applications, calls, neighbourhoods } from '../db/schema/index.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { APPLICANT_KINDS } from '../../domain.ts';
import { readOffThread } from '../db/off-thread.ts';
import { Kept, revisionOf } from '../db/kept.ts';
import type { Reader } from '../db/client.ts';
import { exactStatistics, keptIn, periodOf, type StatsFilter } from './statistics.ts';

export interface FunnelRow {
	key: string;
	started: number;
	submitted: number;
	eligible: number;
	funded: number;
}

/**
 * The staff dashboard: the exact statistics (no small-number protection: staff may see them),
 * the application funnel — drafts started, sent, found eligible, funded — by neighbourhood and by
 * kind of applicant, so staff see where people give up, and the neighbourhoods with no
 * application this calendar year. Filters: fund, call, period. Refuses: forbidden.
 */
export async function staffDashboard(ctx: Ctx, asked: StatsFilter) {
	const filter = { ...asked, timeZone: ctx.config.TIME_ZONE };
	requireRoleIn(ctx, ['officer', 'admin', 'finance']);
	const db = ctx.database.db;
	const yearStart = startOfYear(ctx.now, ctx.config.TIME_ZONE);
	// Worked out once per filter after each change to the data it counts, then answered from memory.
	const key = JSON.stringify([filter, yearStart.getTime()]);
	return keptIn(dashboards, db).get(key, await revisionOf(db, 'statistics'), () => workOutDashboard(db, filter, yearStart));
}

const dashboards = new WeakMap<object, Kept<Awaited<ReturnType<typeof workOutDashboard>>>>();

async function workOutDashboard(db: Reader, filter: StatsFilter, yearStart: Date) {
	const where: SQL[] = [];
	if (filter.callId) where.push(eq(applications.callId, filter.callId));
	if (filter.fundId) where.push(eq(calls.fundId, filter.fundId));
	const range = periodOf(filter);
	if (range) where.push(gte(applications.createdAt, new Date(range[0])), lt(applications.createdAt, new Date(range[1])));
	const [stats, funnel, places, thisYear] = await Promise.all([
		exactStatistics(db, filter),
		// Scans of every application, on the read thread (db/off-thread.ts).
		readOffThread<{ neighbourhoodId: string | null; kind: string; started: number; submitted: number | null; eligible: number | null; funded: number | null }>(
			db,
			sql`select ${applications.neighbourhoodId} as neighbourhoodId, ${applications.applicantKind} as kind, count(*) as started,
				sum(${applications.submittedAt} is not null) as submitted, sum(${applications.status} in ('in_review', 'approved', 'rejected')) as eligible,
				sum(${applications.status} = 'approved') as funded
				from ${applications} inner join ${calls} on ${calls.id} = ${applications.callId}
				${where.length ? sql`where ${and(...where)}` : sql``}
				group by ${applications.neighbourhoodId}, ${applications.applicantKind}`
		),
		db.select({ id: neighbourhoods.id, name: neighbourhoods.name, priority: neighbourhoods.priority }).from(neighbourhoods).orderBy(neighbourhoods.name),
		readOffThread<{ id: string | null }>(db, sql`select distinct ${applications.neighbourhoodId} as id from ${applications} where ${applications.createdAt} >= ${yearStart.getTime()} and ${applications.submittedAt} is not null`)
	]);
	const sum = (rows: typeof funnel, key: string): FunnelRow => ({
		key,
		started: rows.reduce((n, r) => n + Number(r.started), 0),
		submitted: rows.reduce((n, r) => n + Number(r.submitted ?? 0), 0),
		eligible: rows.reduce((n, r) => n + Number(r.eligible ?? 0), 0),
		funded: rows.reduce((n, r) => n + Number(r.funded ?? 0), 0)
	});
	const active = new Set(thisYear.map((r) => r.id));
	return {
		stats,
		funnelByPlace: [...places.map((p) => ({ ...sum(funnel.filter((r) => r.neighbourhoodId === p.id), p.id), name: p.name, priority: p.priority })), { ...sum(funnel.filter((r) => !r.neighbourhoodId), 'none'), name: null, priority: false }].filter((r) => r.key !== 'none' || r.started > 0),
		funnelByKind: APPLICANT_KINDS.map((k) => sum(funnel.filter((r) => r.kind === k), k)),
		funnelTotal: sum(funnel, 'total'),
		quietThisYear: places.filter((p) => !active.has(p.id)).map((p) => p.name)
	};
}

/**
 * Whether the kept dashboard (all time, and this year) equals one worked out afresh: empty when
 * right, else what differs. The model-based sequences check it after every step, so a write the
 * read_revisions triggers miss is found.
 */
export async function dashboardDrift(ctx: Ctx) {
	const broken: string[] = [];
	const year = Number(dayOf(ctx.now, ctx.config.TIME_ZONE).slice(0, 4));
	for (const asked of [{}, { year }] as StatsFilter[]) {
		const kept = await staffDashboard(ctx, asked);
		const fresh = await workOutDashboard(ctx.database.db, { ...asked, timeZone: ctx.config.TIME_ZONE }, startOfYear(ctx.now, ctx.config.TIME_ZONE));
		if (JSON.stringify(kept) !== JSON.stringify(fresh)) broken.push(`kept dashboard (${JSON.stringify(asked)}) differs from one worked out afresh`);
	}
	return broken;
}
