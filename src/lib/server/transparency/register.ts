import { dayOf, startOfDay } from '../calendar.ts';
import { paidSoFarSql } from '../ledger/figures.ts';
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { applicationNeighbourhoods, applications, callFigures, calls, funds, grants, milestones, neighbourhoods, organisations, reports, users } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { boundedPage, pageOf, inIdOrder } from '../pagination.ts';
import { ftsQuery } from '../applications/service.ts';
import { keptUntilChange } from '../audit/service.ts';
import type { Ctx } from '../context.ts';

/**
 * The public register of funded projects: only what is meant to be public — the project's title
 * and summary, who (an organisation's name; a resident by name only if they agreed, otherwise
 * "a resident of <neighbourhood>"), money awarded and paid, neighbourhood, call, dates and
 * milestones reached. Never contact details, messages, reviews, reports' text or bank details.
 * A grant is public once its offer was accepted (offers, declined and cancelled grants are not).
 */
export const PUBLIC_GRANT_STATUSES = ['active', 'completed', 'closed'] as const;
export type PublicGrantStatus = (typeof PUBLIC_GRANT_STATUSES)[number];
export const REGISTER_PAGE_SIZE = 20;
/** How far the register is counted and paged in one order (50 pages): its filters and search reach the rest. */
export const REGISTER_DEPTH = 1000;

export interface RegisterFilter {
	callId?: string;
	neighbourhoodId?: string;
	year?: number;
	status?: PublicGrantStatus;
	q?: string;
	page?: number;
	/** The municipality's time zone: a year begins at its midnight (UTC when not given). */
	timeZone?: string;
}

/** The one definition of a public grant: accepted, and not cancelled (offers and declined ones are not public). */
export const publicGrant = and(inArray(grants.status, [...PUBLIC_GRANT_STATUSES]), isNotNull(grants.acceptedAt));

/** Paid so far on a grant (minor units), as a column. */
const paidSoFar = paidSoFarSql(grants.id);
const milestonesDone = sql<number>`(select count(*) from ${reports} inner join ${milestones} on ${milestones.id} = ${reports.milestoneId} where ${reports.grantId} = ${grants.id} and ${reports.status} = 'accepted')`;
const milestonesTotal = sql<number>`(select count(*) from ${milestones} where ${milestones.grantId} = ${grants.id})`;

/** Who the public reads as the grantee. */
function publicGrantee(r: { organisation: string | null; kind: string; publicName: boolean; person: string; neighbourhood: string | null }) {
	if (r.organisation) return { name: r.organisation, resident: false as const };
	if (r.publicName) return { name: r.person, resident: false as const };
	return { name: null, resident: true as const, neighbourhood: r.neighbourhood };
}

const columns = {
	id: grants.id,
	title: applications.title,
	summary: applications.summary,
	/** The language the applicant wrote title and summary in, and the call's (pages mark the texts with it). */
	language: applications.language,
	callLanguage: calls.language,
	awarded: grants.awardedAmount,
	status: grants.status,
	awardedAt: grants.createdAt,
	startDate: applications.startDate,
	endDate: applications.endDate,
	currency: funds.currency,
	callId: calls.id,
	callTitle: calls.title,
	neighbourhood: neighbourhoods.name,
	organisation: organisations.name,
	kind: applications.applicantKind,
	publicName: applications.publicName,
	person: users.name,
	paid: paidSoFar,
	done: milestonesDone,
	total: milestonesTotal
};

function fromPublic(db: Reader) {
	return db
		.select(columns)
		.from(grants)
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(calls, eq(calls.id, applications.callId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		.innerJoin(users, eq(users.id, applications.applicantId))
		.leftJoin(organisations, eq(organisations.id, applications.organisationId))
		.leftJoin(neighbourhoods, eq(neighbourhoods.id, applications.neighbourhoodId));
}

type Row = Awaited<ReturnType<ReturnType<typeof fromPublic>['execute']>>[number];

function toPublic(r: Row) {
	const { organisation: _o, person: _p, publicName: _n, kind, ...rest } = r;
	return { ...rest, kind, paid: Number(r.paid), done: Number(r.done), total: Number(r.total), grantee: publicGrantee(r) };
}
export type PublicProject = ReturnType<typeof toPublic>;

/** The register, filtered, searched and paged; newest awards first. Anyone may read it. */
export async function listPublicProjects(db: Reader, filter: RegisterFilter = {}) {
	const where: SQL[] = [];
	if (filter.callId) where.push(eq(grants.callId, filter.callId));
	// The neighbourhood and the search are checked on each grant walked (the unary + keeps the
	// database from starting at every application they match and sorting those): the newest
	// grants are read first, and reading stops after the page.
	if (filter.neighbourhoodId) where.push(sql`+${grants.applicationId} in (select application_id from ${applicationNeighbourhoods} where neighbourhood_id = ${filter.neighbourhoodId})`);
	if (filter.year) {
		const tz = filter.timeZone ?? 'UTC';
		where.push(gte(grants.createdAt, startOfDay(`${filter.year}-01-01`, tz)), lt(grants.createdAt, startOfDay(`${filter.year + 1}-01-01`, tz)));
	}
	if (filter.status) where.push(eq(grants.status, filter.status));
	const match = filter.q ? ftsQuery(filter.q) : null;
	if (match) where.push(sql`+${grants.applicationId} in (select rowid from applications_fts where applications_fts match ${match})`);
	// Which grants are public is checked on the grants found when walking them newest first (most
	// grants are public); counting uses the state index.
	const cond = and(publicGrant, ...where);
	const narrowed = and(sql`+(${publicGrant})`, ...where);
	const page = boundedPage(filter.page, REGISTER_PAGE_SIZE, REGISTER_DEPTH);
	// Counted up to REGISTER_DEPTH + 1 ("more than" past that); the page's grants, then their details for 20 rows only.
	const counted = db.select({ id: grants.id }).from(grants).where(cond).limit(REGISTER_DEPTH + 1).as('counted');
	const [[{ n }], ids] = await Promise.all([
		db.select({ n: sql<number>`count(*)` }).from(counted),
		db
			.select({ id: grants.id })
			.from(grants)
			.where(narrowed)
			.orderBy(desc(grants.createdAt), desc(grants.id))
			.limit(REGISTER_PAGE_SIZE)
			.offset((page - 1) * REGISTER_PAGE_SIZE)
			.then((rows) => rows.map((r) => r.id))
	]);
	const rows = ids.length ? await fromPublic(db).where(inArray(grants.id, ids)) : [];
	inIdOrder(rows, ids);
	return pageOf(rows.map(toPublic), Number(n), page, REGISTER_PAGE_SIZE, REGISTER_DEPTH);
}

const keptRegister = keptUntilChange<Awaited<ReturnType<typeof readRegister>>>(500);
const readRegister = async (db: Reader, filter: RegisterFilter) => {
	const [projects, years, calls] = await Promise.all([listPublicProjects(db, filter), registerYears(db, filter.timeZone), publicCallOutcomes(db)]);
	return { projects, years, calls };
};

/**
 * The register's page for a filter — its projects, the years and the calls to filter by — the
 * same for everyone who asks, so kept in memory per filter until the next change (changeMarker).
 */
export async function registerPage(ctx: Pick<Ctx, 'database' | 'now'>, filter: RegisterFilter) {
	return keptRegister(ctx, JSON.stringify(filter), () => readRegister(ctx.database.db, filter));
}

/** One funded project with its milestones (titles, due dates, whether reached). Refuses: not_found. */
export async function getPublicProject(db: Reader, grantId: string) {
	const [row] = await fromPublic(db).where(and(eq(grants.id, grantId), publicGrant));
	if (!row) throw notFound();
	const [ms, places] = await Promise.all([
		db
			.select({ title: milestones.title, language: milestones.language, dueDate: milestones.dueDate, status: reports.status })
			.from(milestones)
			.leftJoin(reports, eq(reports.milestoneId, milestones.id))
			.where(eq(milestones.grantId, grantId))
			.orderBy(asc(milestones.position)),
		db
			.select({ name: neighbourhoods.name })
			.from(applicationNeighbourhoods)
			.innerJoin(neighbourhoods, eq(neighbourhoods.id, applicationNeighbourhoods.neighbourhoodId))
			.innerJoin(grants, eq(grants.applicationId, applicationNeighbourhoods.applicationId))
			.where(eq(grants.id, grantId))
			.orderBy(asc(neighbourhoods.name))
	]);
	return { ...toPublic(row), milestones: ms.map((m) => ({ title: m.title, language: m.language, dueDate: m.dueDate, done: m.status === 'accepted' })), neighbourhoods: places.map((p) => p.name) };
}

/** The years in which grants were awarded, newest first, for the register's filter. */
export async function registerYears(db: Reader, timeZone = 'UTC') {
	// The year in the municipality's calendar (it turns at local midnight on 1 January). From the
	// first and last grant (the ends of the created index), each year between is probed for one
	// public grant: a handful of index lookups, however many grants there are.
	// Two queries: the database answers a lone min() or max() from the index's end, not both at once.
	const [[{ first }], [{ last }]] = await Promise.all([
		db.select({ first: sql<number | null>`min(${grants.createdAt})` }).from(grants),
		db.select({ last: sql<number | null>`max(${grants.createdAt})` }).from(grants)
	]);
	if (first === null || last === null) return [];
	const yearOf = (ms: number) => Number(dayOf(new Date(Number(ms)), timeZone).slice(0, 4));
	const years: number[] = [];
	for (let y = yearOf(last); y >= yearOf(first); y--) {
		const [hit] = await db
			.select({ id: grants.id })
			.from(grants)
			.where(and(gte(grants.createdAt, startOfDay(`${y}-01-01`, timeZone)), lt(grants.createdAt, startOfDay(`${y + 1}-01-01`, timeZone)), sql`+(${publicGrant})`))
			.limit(1);
		if (hit) years.push(y);
	}
	return years;
}

/**
 * Open and past calls with their outcomes: how many applied (sent an application), how many were
 * funded, and the total awarded (grants not cancelled). Draft calls are not public.
 */
export async function publicCallOutcomes(db: Reader) {
	// From the call_figures read model (kept by triggers in the same write as the change), so the
	// work does not grow with the applications and grants of a call.
	const rows = await db
		.select({ id: calls.id, title: calls.title, language: calls.language, opensAt: calls.opensAt, closesAt: calls.closesAt, currency: funds.currency, applied: callFigures.applied, funded: callFigures.funded, awarded: callFigures.awarded })
		.from(calls)
		.innerJoin(funds, eq(funds.id, calls.fundId))
		.innerJoin(callFigures, eq(callFigures.callId, calls.id))
		.where(ne(calls.status, 'draft'))
		.orderBy(desc(calls.opensAt));
	return rows;
}
