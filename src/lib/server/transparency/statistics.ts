import { addDays, startOfDay } from '../calendar.ts';
import { isIsoDate } from '../time.ts';

const DAY = 86_400_000;
import { publicGrant } from './register.ts';
import { and, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { applications, grants, ledgerEntries, neighbourhoods, reports } from '../db/schema/index.ts';
import { APPLICANT_KINDS } from '../../domain.ts';
import { protect } from './suppress.ts';
import { readOffThread } from '../db/off-thread.ts';
import { Kept, revisionOf } from '../db/kept.ts';

/**
 * The equity statistics, exact (for staff) and protected (for the public). Counted are grants
 * whose offer was accepted and that were not cancelled, in the main neighbourhood of their
 * application; money is the amount awarded. Definitions (stated on the page too):
 * - approval rate = approved ÷ (approved + not funded), of applications decided in the period;
 * - days to decision = from sending the application to the decision (median);
 * - days to first payment = from the decision to the first payment booked in the ledger (median);
 * - first-time = the grantee's (organisation's, or resident's) first funded grant; later ones are returning;
 * - participants = people reached by neighbourhood of origin, from accepted reports.
 */
export interface StatsFilter {
	year?: number;
	/** A period instead of a year (YYYY-MM-DD, both days included). */
	from?: string;
	to?: string;
	fundId?: string;
	callId?: string;
	/** The municipality's time zone: years and days begin at its midnight (UTC when not given). */
	timeZone?: string;
}

/** The filter's period as [start, end) in milliseconds, or null for all time, in the municipality's calendar. */
export function periodOf(f: StatsFilter): [number, number] | null {
	const tz = f.timeZone ?? 'UTC';
	const at = (day: string) => (isIsoDate(day) ? startOfDay(day, tz).getTime() : NaN);
	if (f.year && Number.isSafeInteger(f.year) && f.year > 0 && f.year < 10_000) return [at(`${String(f.year).padStart(4, '0')}-01-01`), at(`${String(f.year + 1).padStart(4, '0')}-01-01`)];
	if (!f.from && !f.to) return null;
	const start = f.from ? at(f.from) : 0;
	const end = f.to && isIsoDate(f.to) ? at(addDays(f.to, 1)) : 8.64e15;
	return [Number.isNaN(start) ? 0 : start, Number.isNaN(end) ? 8.64e15 : end];
}


function period(column: SQLiteTimestamp, f: StatsFilter): SQL[] {
	const p = periodOf(f);
	return p ? [gte(column, new Date(p[0])), lt(column, new Date(p[1]))] : [];
}
type SQLiteTimestamp = typeof grants.createdAt | typeof applications.decidedAt;

export async function exactStatistics(db: Reader, filter: StatsFilter = {}) {
	const grantWhere: SQL[] = [publicGrant!, ...period(grants.createdAt, filter)];
	if (filter.fundId) grantWhere.push(eq(grants.fundId, filter.fundId));
	if (filter.callId) grantWhere.push(eq(applications.callId, filter.callId));
	const gCond = and(...grantWhere);
	const range = periodOf(filter);
	const decidedWhere: SQL[] = [inArray(applications.status, ['approved', 'rejected']), isNotNull(applications.decidedAt), ...period(applications.decidedAt, filter)];
	if (filter.callId) decidedWhere.push(eq(applications.callId, filter.callId));
	if (filter.fundId) decidedWhere.push(sql`${applications.callId} in (select id from calls where fund_id = ${filter.fundId})`);

	// The scans below run on the read thread (db/off-thread.ts): the server keeps answering meanwhile.
	const [places, cells, ranks, [decided], [firstPayments], participants] = await Promise.all([
		db.select().from(neighbourhoods).orderBy(neighbourhoods.name),
		readOffThread<{ id: string | null; kind: string; grants: number; amount: number }>(
			db,
			sql`select ${applications.neighbourhoodId} as id, ${applications.applicantKind} as kind, count(*) as grants, sum(${grants.awardedAmount}) as amount
				from ${grants} inner join ${applications} on ${applications.id} = ${grants.applicationId}
				where ${gCond} group by ${applications.neighbourhoodId}, ${applications.applicantKind}`
		),
		// Each grantee's grants in order: the first is first-time, later ones returning.
		readOffThread<{ first: number; returning: number }>(db, sql`
			select coalesce(sum(r = 1), 0) as first, coalesce(sum(r > 1), 0) as "returning" from (
				select g.id, g.created_at, a.call_id, g.fund_id,
					row_number() over (partition by coalesce(a.organisation_id, a.applicant_id) order by g.created_at, g.id) as r
				from grants g join applications a on a.id = g.application_id
				where g.status in ('active', 'completed', 'closed') and g.accepted_at is not null
			) ranked
			where 1 = 1
			${range ? sql`and ranked.created_at >= ${range[0]} and ranked.created_at < ${range[1]}` : sql``}
			${filter.callId ? sql`and ranked.call_id = ${filter.callId}` : sql``}
			${filter.fundId ? sql`and ranked.fund_id = ${filter.fundId}` : sql``}`),
		// Medians are worked out in SQL: the middle one or two of the sorted durations.
		readOffThread<{ approved: number; decided: number; median: number | null }>(db, sql`
			with d as materialized (select ${applications.status} as status, ${applications.decidedAt} - ${applications.submittedAt} as v from ${applications} where ${and(...decidedWhere)})
			select (select count(*) from d where status = 'approved') as approved, (select count(*) from d) as decided,
				(select avg(v) from (select v from d where v is not null order by v limit 2 - (select count(v) from d) % 2 offset ((select count(v) from d) - 1) / 2)) as median`),
		readOffThread<{ n: number; median: number | null }>(db, sql`
			with f as materialized (
				select min(${ledgerEntries.at}) - ${grants.createdAt} as v from ${grants}
				join ${applications} on ${applications.id} = ${grants.applicationId}
				join ${ledgerEntries} on ${ledgerEntries.grantId} = ${grants.id} and ${ledgerEntries.kind} = 'disbursement'
				where ${gCond} group by ${grants.id})
			select (select count(*) from f) as n,
				(select avg(v) from (select v from f order by v limit 2 - (select count(*) from f) % 2 offset ((select count(*) from f) - 1) / 2)) as median`),
		readOffThread<{ id: string; people: number }>(db, sql`
			select je.key as id, sum(je.value) as people
			from ${reports} r join ${grants} g on g.id = r.grant_id join ${applications} a on a.id = g.application_id, json_each(r.participants_by_neighbourhood) je
			where r.status = 'accepted' and g.status in ('active', 'completed', 'closed')
			${range ? sql`and g.created_at >= ${range[0]} and g.created_at < ${range[1]}` : sql``}
			${filter.callId ? sql`and a.call_id = ${filter.callId}` : sql``}
			${filter.fundId ? sql`and g.fund_id = ${filter.fundId}` : sql``}
			group by je.key`)
	]);
	const sumOf = (rows: typeof cells) => ({ grants: rows.reduce((n, r) => n + Number(r.grants), 0), amount: rows.reduce((n, r) => n + Number(r.amount), 0) });
	const byKind = APPLICANT_KINDS.map((kind) => ({ kind, ...sumOf(cells.filter((c) => c.kind === kind)) }));
	const neighbourhoodRows = places.map((p) => {
		const g = sumOf(cells.filter((c) => c.id === p.id));
		const people = participants.find((x) => x.id === p.id);
		return { id: p.id, name: p.name, code: p.code, population: p.population, priority: p.priority, boundary: p.boundary, grants: g.grants, amount: g.amount, participants: Number(people?.people ?? 0) };
	});
	const total = { grants: neighbourhoodRows.reduce((n, r) => n + r.grants, 0), amount: byKind.reduce((n, r) => n + Number(r.amount), 0) };
	const population = places.reduce((n, p) => n + (p.population ?? 0), 0);
	const priorityPopulation = places.filter((p) => p.priority).reduce((n, p) => n + (p.population ?? 0), 0);
	const priorityAmount = neighbourhoodRows.filter((r) => r.priority).reduce((n, r) => n + r.amount, 0);
	const approved = Number(decided.approved);
	const rejected = Number(decided.decided) - approved;
	return {
		neighbourhoods: neighbourhoodRows,
		byKind,
		total: { ...total, participants: neighbourhoodRows.reduce((n, r) => n + r.participants, 0) },
		priority: { amount: priorityAmount, population: priorityPopulation, totalPopulation: population },
		firstTime: Number(ranks[0]?.first ?? 0),
		returning: Number(ranks[0]?.returning ?? 0),
		approved,
		rejected,
		daysToDecision: decided.median === null ? null : Number(decided.median) / DAY,
		decisionCount: Number(decided.decided),
		daysToFirstPayment: firstPayments.median === null ? null : Number(firstPayments.median) / DAY,
		paymentCount: Number(firstPayments.n)
	};
}
export type ExactStatistics = Awaited<ReturnType<typeof exactStatistics>>;

/** A value the public sees: the number, or hidden because it counts fewer than 5. */
export type Shown<T> = { value: T; hidden: false } | { value: null; hidden: true };
const show = <T>(value: T): Shown<T> => ({ value, hidden: false });
const HIDDEN = { value: null, hidden: true } as const;

/**
 * The public statistics: the same figures with small numbers protected (see suppress.ts). The
 * share going to priority areas is published only when neither group's subtotal would single
 * out a hidden cell; medians only when they rest on 5 or more cases. Worked out once per filter
 * after each change to the data they count (read_revisions), then answered from memory.
 */
export async function publicStatistics(db: Reader, filter: StatsFilter = {}) {
	return keptIn(publicKept, db).get(JSON.stringify(filter), await revisionOf(db, 'statistics'), () => protectedStatistics(db, filter));
}

/** Filters whose figures are kept, per database: the 64 most recently asked. */
const KEPT_FILTERS = 64;
const publicKept = new WeakMap<object, Kept<PublicStatistics>>();

/** The kept results of one kind for a database. */
export function keptIn<T>(all: WeakMap<object, Kept<T>>, db: Reader) {
	let kept = all.get(db);
	if (!kept) all.set(db, (kept = new Kept<T>(KEPT_FILTERS)));
	return kept;
}

async function protectedStatistics(db: Reader, filter: StatsFilter) {
	const s = await exactStatistics(db, filter);
	const places = protect(s.neighbourhoods.map((n) => ({ key: n.id, count: n.grants, group: n.priority ? 'priority' : 'other' })));
	const people = protect(s.neighbourhoods.map((n) => ({ key: n.id, count: n.participants })));
	const kinds = protect(s.byKind.map((k) => ({ key: k.kind, count: k.grants })));
	const returning = protect([{ key: 'first', count: s.firstTime }, { key: 'returning', count: s.returning }]);
	const decisions = protect([{ key: 'approved', count: s.approved }, { key: 'rejected', count: s.rejected }]);
	const sharesHidden = places.totalHidden || places.hiddenGroups.size > 0;
	return {
		neighbourhoods: s.neighbourhoods.map((n) => {
			const hidden = places.hidden.has(n.id);
			return {
				id: n.id,
				name: n.name,
				code: n.code,
				population: n.population,
				priority: n.priority,
				boundary: n.boundary,
				grants: hidden ? HIDDEN : show(n.grants),
				amount: hidden ? HIDDEN : show(n.amount),
				perInhabitant: hidden || !n.population ? (hidden ? HIDDEN : show(null)) : show(Math.round(n.amount / n.population)),
				participants: people.hidden.has(n.id) ? HIDDEN : show(n.participants)
			};
		}),
		byKind: s.byKind.map((k) => (kinds.hidden.has(k.kind) ? { kind: k.kind, grants: HIDDEN, amount: HIDDEN } : { kind: k.kind, grants: show(k.grants), amount: show(k.amount) })),
		total: {
			grants: places.totalHidden ? HIDDEN : show(s.total.grants),
			amount: places.totalHidden ? HIDDEN : show(s.total.amount),
			participants: people.totalHidden ? HIDDEN : show(s.total.participants)
		},
		priority: sharesHidden || s.total.amount === 0 ? HIDDEN : show({ moneyShare: s.priority.amount / s.total.amount, populationShare: s.priority.totalPopulation ? s.priority.population / s.priority.totalPopulation : 0 }),
		firstTime: returning.hidden.has('first') ? HIDDEN : show(s.firstTime),
		returning: returning.hidden.has('returning') ? HIDDEN : show(s.returning),
		approvalRate: decisions.hidden.size || s.approved + s.rejected === 0 ? HIDDEN : show(s.approved / (s.approved + s.rejected)),
		daysToDecision: s.decisionCount < 5 || s.daysToDecision === null ? HIDDEN : show(Math.round(s.daysToDecision)),
		daysToFirstPayment: s.paymentCount < 5 || s.daysToFirstPayment === null ? HIDDEN : show(Math.round(s.daysToFirstPayment))
	};
}
export type PublicStatistics = Awaited<ReturnType<typeof protectedStatistics>>;
