import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { startOfYear } from '../calendar.ts';
import type { Ctx } from '../context.ts';
import { applications, calls, neighbourhoods } from '../db/schema/index.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { APPLICANT_KINDS } from '../../domain.ts';
import { exactStatistics, periodOf, type StatsFilter } from './statistics.ts';

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
	const where: SQL[] = [];
	if (filter.callId) where.push(eq(applications.callId, filter.callId));
	if (filter.fundId) where.push(eq(calls.fundId, filter.fundId));
	const range = periodOf(filter);
	if (range) where.push(gte(applications.createdAt, new Date(range[0])), lt(applications.createdAt, new Date(range[1])));
	const yearStart = startOfYear(ctx.now, ctx.config.TIME_ZONE);
	const [stats, funnel, places, thisYear] = await Promise.all([
		exactStatistics(db, filter),
		db
			.select({
				neighbourhoodId: applications.neighbourhoodId,
				kind: applications.applicantKind,
				started: sql<number>`count(*)`,
				submitted: sql<number>`sum(${applications.submittedAt} is not null)`,
				eligible: sql<number>`sum(${applications.status} in ('in_review', 'approved', 'rejected'))`,
				funded: sql<number>`sum(${applications.status} = 'approved')`
			})
			.from(applications)
			.innerJoin(calls, eq(calls.id, applications.callId))
			.where(and(...where))
			.groupBy(applications.neighbourhoodId, applications.applicantKind),
		db.select({ id: neighbourhoods.id, name: neighbourhoods.name, priority: neighbourhoods.priority }).from(neighbourhoods).orderBy(neighbourhoods.name),
		db
			.selectDistinct({ id: applications.neighbourhoodId })
			.from(applications)
			.where(and(gte(applications.createdAt, yearStart), sql`${applications.submittedAt} is not null`))
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
