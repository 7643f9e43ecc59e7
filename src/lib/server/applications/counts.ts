import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { applicationCounts, applications } from '../db/schema/index.ts';
import { LIST_DEPTH } from '../pagination.ts';
import { APPLICATION_STATUSES, type ApplicantKind, type ApplicationStatus } from '../../domain.ts';

type StatusCounts = Record<ApplicationStatus, number>;
const countsOf = (rows: { status: string; n: number }[]) => Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, Number(rows.find((r) => r.status === s)?.n ?? 0)])) as StatusCounts;

/** Submitted applications by state for a filter of call, kind and neighbourhood: a few rows of application_counts. */
export async function keptCounts(db: Reader, filter: { callId?: string; neighbourhoodId?: string; kind?: ApplicantKind }) {
	const where = [eq(applicationCounts.neighbourhoodId, filter.neighbourhoodId ?? '')];
	if (filter.callId) where.push(eq(applicationCounts.callId, filter.callId));
	if (filter.kind) where.push(eq(applicationCounts.applicantKind, filter.kind));
	const rows = await db.select({ status: applicationCounts.status, n: sql<number>`sum(${applicationCounts.n})` }).from(applicationCounts).where(and(...where)).groupBy(applicationCounts.status);
	return { counts: countsOf(rows), atLeast: 0 };
}

/**
 * A search's matches by state, counted up to LIST_DEPTH + 1 of them: for a search that matches
 * more, atLeast is LIST_DEPTH (the page says "more than") and the counts by state are partial.
 */
export async function searchCounts(db: Reader, where: SQL[]) {
	const found = db.select({ status: applications.status }).from(applications).where(and(...where)).limit(LIST_DEPTH + 1).as('found');
	const rows = await db.select({ status: found.status, n: sql<number>`count(*)` }).from(found).groupBy(found.status);
	return { counts: countsOf(rows), atLeast: rows.reduce((n, r) => n + Number(r.n), 0) > LIST_DEPTH ? LIST_DEPTH : 0 };
}

/**
 * Where application_counts differs from a count of the submitted applications (by call, kind and
 * state; and by neighbourhood reached): one line each. Empty when the kept counts are right.
 */
export async function applicationCountsDrift(db: Reader) {
	const rows = await db.all<{ callId: string; kind: string; place: string; status: string; kept: number | null; actual: number | null }>(sql`
		with actual as (
			select call_id, applicant_kind, '' as neighbourhood_id, status, count(*) as n from applications where submitted_at is not null group by call_id, applicant_kind, status
			union all
			select a.call_id, a.applicant_kind, an.neighbourhood_id, a.status, count(*) from applications a join application_neighbourhoods an on an.application_id = a.id
			where a.submitted_at is not null group by a.call_id, a.applicant_kind, an.neighbourhood_id, a.status),
		kept as (select * from application_counts where n <> 0)
		select coalesce(k.call_id, x.call_id) as callId, coalesce(k.applicant_kind, x.applicant_kind) as kind, coalesce(k.neighbourhood_id, x.neighbourhood_id) as place,
			coalesce(k.status, x.status) as status, k.n as kept, x.n as actual
		from kept k full outer join actual x on x.call_id = k.call_id and x.applicant_kind = k.applicant_kind and x.neighbourhood_id = k.neighbourhood_id and x.status = k.status
		where k.n is not x.n`);
	return rows.map((r) => `applications of call ${r.callId}, ${r.kind}, ${r.place || 'any neighbourhood'}, ${r.status}: kept ${r.kept ?? 0}, actual ${r.actual ?? 0}`);
}
