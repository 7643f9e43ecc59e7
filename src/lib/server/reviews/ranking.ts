import { fundFigures } from '../ledger/figures.ts';
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Reader } from '../db/client.ts';
import { applicationScores, applications, callFigures, callReviewerStats, calls, grants, neighbourhoods, organisations, reviews, users } from '../db/schema/index.ts';
import { sortYielding, yieldToOthers } from '../db/yield.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { may } from '../access/policy.ts';
import { relationsForList } from '../access/relations.ts';
import { notFound } from '../errors.ts';
import { keptUntilChange } from '../audit/service.ts';
import { Kept } from '../db/kept.ts';
import { DISAGREEMENT_THRESHOLD, type ApplicantKind } from '../../domain.ts';

const RANKED = ['in_review', 'approved', 'rejected'] as const;

/** What the fund still has: its budget less what non-cancelled grants have committed. */
export async function fundAvailable(db: Reader, fundId: string) {
	// The ledger's definition: owed-back money stays committed until repaid or written off.
	const f = await fundFigures(db, fundId);
	return { budget: f.budget, committed: f.committed, available: f.available, currency: f.currency };
}

/** An application's place in a ranking: what the funding line needs. */
interface Placed {
	id: number;
	status: string;
	requestedAmount: number;
	rank: number;
	/** The requests of applications in review, in rank order, up to and including this one. */
	runningTotal: number;
}

const inRanking = sql`${applicationScores.status} in ('in_review', 'approved', 'rejected')`;
const inReviewAmount = sql<number>`coalesce(sum(case when ${applicationScores.status} = 'in_review' then ${applicationScores.requestedAmount} end), 0)`;

/**
 * Staff's ranking of a call: each application in review (or decided) with its mean weighted
 * score (0–100), reviews done / expected, spread and disagreement flag, reviewer-normalised
 * score, and the funding line: the running total of requests, in rank order, against what the
 * fund has left. Ranked by the mean score, one page is read in rank order from the kept scores
 * (application_scores) and only its rows are detailed; ranked by normalised score, the order of
 * the whole call is worked out in parts (yielding to other requests) and kept until a score or
 * state in the call changes. A page (with its selection) is kept per person until the next change
 * (whether they may decide a row is theirs). Refuses: forbidden, not_found.
 */
export async function rankCall(ctx: Ctx, callId: string, by: 'raw' | 'normalised' = 'raw', view: RankingView = {}) {
	requireRoleIn(ctx, ['officer', 'admin']);
	// The whole call at once (no page size) is never kept: it can be a hundred thousand rows.
	if (!view.pageSize) return readRanking(ctx, callId, by, view);
	return keptPages(ctx, JSON.stringify([ctx.actor!.id, callId, by, view.page, view.pageSize, view.top, view.selected]), () => readRanking(ctx, callId, by, view));
}

const keptPages = keptUntilChange<Awaited<ReturnType<typeof readRanking>>>(100);

async function readRanking(ctx: Ctx, callId: string, by: 'raw' | 'normalised', view: RankingView) {
	const db = ctx.database.db;
	const [call] = await db
		.select({ id: calls.id, title: calls.title, fundId: calls.fundId, decisionDays: calls.decisionDays, reviewersPerApplication: calls.reviewersPerApplication, figures: callFigures })
		.from(calls)
		.leftJoin(callFigures, eq(callFigures.callId, calls.id))
		.where(eq(calls.id, callId));
	if (!call) throw notFound();
	// How many are ranked, the revision and the days to decision are kept in call_figures by triggers.
	const total = call.figures?.ranked ?? 0;
	const [money, stats] = await Promise.all([fundAvailable(db, call.fundId), reviewerStats(db, callId)]);
	const size = view.pageSize ?? Math.max(1, total);
	const pageCount = Math.max(1, Math.ceil(total / size));
	const page = Math.min(Math.max(1, view.page ?? 1), pageCount);
	// Each part below reads an index for some milliseconds: other requests get in between them.
	await yieldToOthers();
	const revision = call.figures?.scoreRevision ?? 0;
	const order = by === 'normalised' ? await normalisedOrder(db, callId, revision, stats) : null;
	const placed = order ? order.slice((page - 1) * size, page * size) : await rawPage(db, callId, revision, (page - 1) * size, size);
	await yieldToOthers();
	const selected = view.top
		? order
			? order.slice(0, view.top)
			: await rawPage(db, callId, revision, 0, view.top)
		: order
			? order.find(view.selected ?? [])
			: await rawPlaces(db, callId, revision, view.selected ?? []);
	await yieldToOthers();
	const rows = await detailRows(ctx, [...placed, ...selected], money.available, stats, call.reviewersPerApplication);
	const byId = new Map(rows.map((r) => [r.id, r]));
	return {
		call: { id: call.id, title: call.title, decisionDays: call.decisionDays, reviewersPerApplication: call.reviewersPerApplication },
		money,
		rows: placed.map((p) => byId.get(p.id)!),
		total,
		page,
		pageCount,
		selected: [...new Map(selected.map((p) => [p.id, byId.get(p.id)!])).values()].sort((a, b) => a.rank - b.rank),
		by,
		averageDaysToDecision: call.figures?.decided ? call.figures.decisionDays / call.figures.decided : null
	};
}

/** A place in the ranking by mean score, in the index's order (rank key descending, then id). */
interface Key {
	rankKey: number;
	id: number;
}
const ranked = (callId: string) => and(eq(applicationScores.callId, callId), inRanking);
const RK = applicationScores.rankKey;
const ID = applicationScores.applicationId;

/**
 * Up to `n` rows of the ranking from `k` on (`k` itself too unless `strictly`), in rank order. Two
 * reads, each a range of the index: the rest of `k`'s tie, then the keys below (one OR would sort).
 */
async function readFrom(db: Reader, callId: string, k: Key | null, n: number, strictly = false) {
	const read = (where: SQL | undefined, limit: number) =>
		db
			.select({ rankKey: RK, id: ID, status: applicationScores.status, requestedAmount: applicationScores.requestedAmount })
			.from(applicationScores)
			.where(and(ranked(callId), where))
			.orderBy(desc(RK), asc(ID))
			.limit(limit);
	if (!k) return read(undefined, n);
	const tie = await read(and(eq(RK, k.rankKey), strictly ? gt(ID, k.id) : gte(ID, k.id)), n);
	return tie.length < n ? [...tie, ...(await read(lt(RK, k.rankKey), n - tie.length))] : tie;
}

/**
 * Places `from`..`from + count` of the ranking by mean score, read in rank order from the index.
 * Deep in a large call the read starts at the nearest mark (marksOf) instead of counting every
 * row before the page: at most MARK_EVERY rows more than the page itself.
 */
async function rawPage(db: Reader, callId: string, revision: number, from: number, count: number): Promise<Placed[]> {
	const at = Math.floor(from / MARK_EVERY);
	const mark = at === 0 ? null : (await marksOf(db, callId, revision))[at];
	if (mark === undefined) return [];
	const start = at * MARK_EVERY;
	const rows = await readFrom(db, callId, mark, from - start + count);
	let running = mark?.amount ?? 0;
	return rows.flatMap((r, i) => {
		if (r.status === 'in_review') running += r.requestedAmount;
		return start + i < from ? [] : [{ id: r.id, status: r.status, requestedAmount: r.requestedAmount, rank: start + i + 1, runningTotal: running }];
	});
}

/** Every MARK_EVERY-th place of a call's ranking by mean score, with what those in review before it request. */
interface Mark extends Key {
	amount: number;
}
const MARK_EVERY = 1000;
/** How many calls' orders and marks are kept (a few: the ones being decided now). */
const ORDERS_KEPT = 8;
/** Calls whose marks are kept, per revision of their scores and states. */
const marksKept = new Kept<Mark[]>(ORDERS_KEPT);

/** The call's marks, worked out in one pass over the index in parts (yielding between them) once per revision. */
function marksOf(db: Reader, callId: string, revision: number): Promise<Mark[]> {
	return marksKept.get(callId, revision, async () => {
		const marks: Mark[] = [];
		let amount = 0;
		for (let after: Key | null = null; ; ) {
			const part = await readFrom(db, callId, after, MARK_EVERY, true);
			if (part.length === 0) break;
			marks.push({ rankKey: part[0].rankKey, id: part[0].id, amount });
			for (const r of part) if (r.status === 'in_review') amount += r.requestedAmount;
			after = part[part.length - 1];
			await yieldToOthers();
		}
		return marks;
	});
}

/** The places of chosen applications (by id) in the ranking by mean score: each counted from the nearest mark before it. */
async function rawPlaces(db: Reader, callId: string, revision: number, ids: number[]): Promise<Placed[]> {
	if (ids.length === 0) return [];
	const rows = await db
		.select({ id: applicationScores.applicationId, status: applicationScores.status, requestedAmount: applicationScores.requestedAmount, rankKey: applicationScores.rankKey })
		.from(applicationScores)
		.where(and(ranked(callId), inArray(applicationScores.applicationId, ids)));
	const marks = rows.length ? await marksOf(db, callId, revision) : [];
	const out: Placed[] = [];
	for (const r of rows) {
		// Each lookup reads the index from a mark to the row: let other requests in between them.
		if (out.length) await yieldToOthers();
		const at = lastMarkAtOrBefore(marks, r);
		const mark = marks[at];
		const b = await between(db, callId, mark ?? null, r);
		const rank = Math.max(0, at) * MARK_EVERY + b.count + 1;
		out.push({ id: r.id, status: r.status, requestedAmount: r.requestedAmount, rank, runningTotal: (mark?.amount ?? 0) + b.amount + (r.status === 'in_review' ? r.requestedAmount : 0) });
	}
	return out;
}

/**
 * How many ranked rows lie from `a` (inclusive; the start when null) up to `b` (exclusive), and
 * what those in review request. From a mark, each part is a range of the index of at most MARK_EVERY rows.
 */
async function between(db: Reader, callId: string, a: Key | null, b: Key) {
	const parts = !a
		? [gt(RK, b.rankKey), and(eq(RK, b.rankKey), lt(ID, b.id))]
		: a.rankKey === b.rankKey
			? [and(eq(RK, a.rankKey), gte(ID, a.id), lt(ID, b.id))]
			: [and(eq(RK, a.rankKey), gte(ID, a.id)), and(lt(RK, a.rankKey), gt(RK, b.rankKey)), and(eq(RK, b.rankKey), lt(ID, b.id))];
	// One read per part: the database would not use the index for the parts of an OR here.
	const sums = await Promise.all(parts.map((part) => db.select({ count: sql<number>`count(*)`, amount: inReviewAmount }).from(applicationScores).where(and(ranked(callId), part))));
	return sums.reduce((t, [r]) => ({ count: t.count + Number(r.count), amount: t.amount + Number(r.amount) }), { count: 0, amount: 0 });
}

/** The index of the last mark at or before `k` in rank order (0 when `k` comes first; -1 without marks). */
function lastMarkAtOrBefore(marks: Key[], k: Key) {
	let lo = 0;
	let hi = marks.length - 1;
	let found = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const m = marks[mid];
		if (m.rankKey > k.rankKey || (m.rankKey === k.rankKey && m.id <= k.id)) {
			found = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return found;
}

interface ReviewerStats {
	/** Each reviewer's mean and standard deviation of their scores in the call. */
	byReviewer: Map<string, { m: number; s: number }>;
	/** Mean and standard deviation of all scores in the call. */
	M: number;
	S: number;
}

/** The figures normalised scores need, from the kept sums per reviewer (call_reviewer_stats). */
async function reviewerStats(db: Reader, callId: string): Promise<ReviewerStats> {
	const rows = await db.select().from(callReviewerStats).where(eq(callReviewerStats.callId, callId));
	const sd = (n: number, total: number, squares: number) => {
		const variance = squares / n - (total / n) ** 2;
		return variance > 1e-9 ? Math.sqrt(variance) : 0;
	};
	const live = rows.filter((r) => r.n > 0);
	const n = live.reduce((a, r) => a + r.n, 0);
	const total = live.reduce((a, r) => a + r.total, 0);
	const squares = live.reduce((a, r) => a + r.squares, 0);
	return {
		byReviewer: new Map(live.map((r) => [r.reviewerId, { m: r.total / r.n, s: sd(r.n, r.total, r.squares) }])),
		M: n ? total / n : 0,
		S: n ? sd(n, total, squares) : 0
	};
}

/** An application's reviewer-normalised score from its reviews' scores (see scoring.ts). */
function normalise(stats: ReviewerStats, scores: { reviewerId: string; score: number }[]) {
	if (scores.length === 0) return null;
	let z = 0;
	for (const r of scores) {
		const st = stats.byReviewer.get(r.reviewerId);
		z += st && st.s > 0 ? (r.score - st.m) / st.s : 0;
	}
	return Math.min(100, Math.max(0, stats.M + (z / scores.length) * stats.S));
}

/** The scored reviews of some applications, by application. */
async function scoresOf(db: Reader, where: SQL | undefined) {
	const rows = await db
		.select({ applicationId: reviews.applicationId, reviewerId: reviews.reviewerId, score: reviews.weightedScore })
		.from(reviews)
		.where(and(where, isNotNull(reviews.weightedScore)));
	const out = new Map<number, { reviewerId: string; score: number }[]>();
	for (const r of rows) {
		const list = out.get(r.applicationId) ?? [];
		list.push({ reviewerId: r.reviewerId, score: r.score! });
		out.set(r.applicationId, list);
	}
	return out;
}

/** The whole call in normalised order, with the funding line, kept per call until its revision changes. */
class NormalisedOrder {
	private readonly placed: Placed[];
	constructor(placed: Placed[]) {
		this.placed = placed;
	}
	slice(from: number, to: number) {
		return this.placed.slice(from, to);
	}
	/** The places of chosen applications (one pass over the order: a few milliseconds at 100 000). */
	find(ids: number[]) {
		if (ids.length === 0) return [];
		const wanted = new Set(ids);
		return this.placed.filter((p) => wanted.has(p.id));
	}
}

/** Calls whose normalised order is kept, per revision of their scores and states. */
const orders = new Kept<NormalisedOrder>(ORDERS_KEPT);

function normalisedOrder(db: Reader, callId: string, revision: number, stats: ReviewerStats) {
	return orders.get(callId, revision, () => workOutNormalisedOrder(db, callId, stats));
}

/** Reads the call's ranked applications and their reviews in parts of 500, yielding between parts, then orders them (yielding too). */
async function workOutNormalisedOrder(db: Reader, callId: string, stats: ReviewerStats) {
	const all: { id: number; status: string; requestedAmount: number; key: number }[] = [];
	for (let cursor = 0; ; ) {
		const part = await db
			.select({ id: applicationScores.applicationId, status: applicationScores.status, requestedAmount: applicationScores.requestedAmount })
			.from(applicationScores)
			.where(and(eq(applicationScores.callId, callId), gt(applicationScores.applicationId, cursor), inRanking))
			.orderBy(asc(applicationScores.applicationId))
			.limit(500);
		if (part.length === 0) break;
		cursor = part[part.length - 1].id;
		const scores = await scoresOf(db, and(gte(reviews.applicationId, part[0].id), lte(reviews.applicationId, cursor)));
		for (const a of part) all.push({ ...a, key: normalise(stats, scores.get(a.id) ?? []) ?? -1 });
		await yieldToOthers();
	}
	const ordered = await sortYielding(all, (a, b) => b.key - a.key || a.id - b.id);
	const placed: Placed[] = new Array(ordered.length);
	let running = 0;
	for (const [i, a] of ordered.entries()) {
		if (a.status === 'in_review') running += a.requestedAmount;
		placed[i] = { id: a.id, status: a.status, requestedAmount: a.requestedAmount, rank: i + 1, runningTotal: running };
		if (i % 16_384 === 16_383) await yieldToOthers();
	}
	return new NormalisedOrder(placed);
}

/** The rows shown (a page and the selection): their details, scores, spread and whether this officer may decide them. */
async function detailRows(ctx: Ctx, placed: Placed[], available: number, stats: ReviewerStats, reviewsExpected: number) {
	if (placed.length === 0) return [];
	const db = ctx.database.db;
	const ids = [...new Set(placed.map((p) => p.id))];
	const [apps, scores] = await Promise.all([
		db
			.select({
				id: applications.id,
				title: applications.title,
				language: applications.language,
				applicantKind: applications.applicantKind,
				submittedAt: applications.submittedAt,
				decidedAt: applications.decidedAt,
				neighbourhoodName: neighbourhoods.name,
				priority: neighbourhoods.priority,
				applicantName: sql<string>`coalesce(${organisations.name}, ${users.name})`,
				applicantId: applications.applicantId,
				organisationId: applications.organisationId,
				awarded: grants.awardedAmount,
				scored: applicationScores.scored,
				lowest: applicationScores.lowest,
				highest: applicationScores.highest,
				rankKey: applicationScores.rankKey
			})
			.from(applications)
			.innerJoin(applicationScores, eq(applicationScores.applicationId, applications.id))
			.innerJoin(users, eq(users.id, applications.applicantId))
			.leftJoin(organisations, eq(organisations.id, applications.organisationId))
			.leftJoin(neighbourhoods, eq(neighbourhoods.id, applications.neighbourhoodId))
			.leftJoin(grants, and(eq(grants.applicationId, applications.id), ne(grants.status, 'cancelled')))
			// By id (the rows are the call's: they come from its ranking).
			.where(inArray(applications.id, ids)),
		scoresOf(db, inArray(reviews.applicationId, ids))
	]);
	// Whether this officer may decide each row: the policy's answer (never where they have a stake).
	const relationsFor = await relationsForList(db, ctx.actor!.id, ids);
	const detail = new Map(apps.map((a) => [a.id, a]));
	return placed.flatMap((p) => {
		const d = detail.get(p.id);
		if (!d) return [];
		const { applicantId, organisationId, scored, lowest, highest, rankKey, ...a } = d;
		const spread = scored > 1 ? highest! - lowest! : 0;
		return [
			{
				...a,
				id: p.id,
				status: p.status as (typeof RANKED)[number],
				requestedAmount: p.requestedAmount,
				reviewsDone: scored,
				reviewsExpected,
				score: scored ? rankKey : null,
				normalisedScore: normalise(stats, scores.get(p.id) ?? []),
				spread,
				disagreement: spread > DISAGREEMENT_THRESHOLD,
				mayDecide: may(ctx.actor, 'application.decide', { relations: relationsFor({ id: p.id, applicantId, organisationId }), state: p.status }).ok,
				daysToDecision: a.decidedAt && a.submittedAt ? Math.round((a.decidedAt.getTime() - a.submittedAt.getTime()) / 86_400_000) : null,
				rank: p.rank,
				runningTotal: p.runningTotal,
				withinBudget: p.status !== 'in_review' || p.runningTotal <= available
			}
		];
	});
}

/** Which part of a ranking to return: a page of it, and the rows selected (by id, or the top N). */
export interface RankingView {
	page?: number;
	/** Rows per page; all of them when not given. */
	pageSize?: number;
	selected?: number[];
	top?: number;
}

/** Rows per page of the ranking page. */
export const RANKING_PAGE_SIZE = 50;

export interface EquitySplit {
	label: string;
	count: number;
	amount: number;
	perInhabitant?: number | null;
}

/**
 * How a selection of applications would split, before anything is decided: by neighbourhood
 * (money and count, and money per inhabitant), priority versus other neighbourhoods, applicant
 * kind, and first-time versus returning applicants (an applicant — the organisation, or the
 * resident applying alone — is returning when they submitted to an earlier call). Refuses: forbidden.
 */
export async function equityPreview(ctx: Ctx, applicationIds: number[]) {
	requireRoleIn(ctx, ['officer', 'admin']);
	const ids = applicationIds.filter((n) => Number.isSafeInteger(n)).slice(0, 500);
	if (ids.length === 0) return null;
	const db = ctx.database.db;
	const rows = await db
		.select({
			id: applications.id,
			amount: applications.requestedAmount,
			kind: applications.applicantKind,
			neighbourhood: neighbourhoods.name,
			population: neighbourhoods.population,
			priority: neighbourhoods.priority,
			returning: sql<number>`exists (select 1 from ${applications} p join ${calls} pc on pc.id = p.call_id join ${calls} c on c.id = ${applications.callId}
				where p.id <> ${applications.id} and p.submitted_at is not null and pc.opens_at < c.opens_at
				and ((${applications.organisationId} is not null and p.organisation_id = ${applications.organisationId})
				  or (${applications.organisationId} is null and p.organisation_id is null and p.applicant_id = ${applications.applicantId})))`
		})
		.from(applications)
		.leftJoin(neighbourhoods, eq(neighbourhoods.id, applications.neighbourhoodId))
		.where(inArray(applications.id, ids));
	const group = (keyOf: (r: (typeof rows)[number]) => string, population?: (r: (typeof rows)[number]) => number | null) => {
		const groups = new Map<string, EquitySplit>();
		for (const r of rows) {
			const k = keyOf(r);
			const g = groups.get(k) ?? { label: k, count: 0, amount: 0, perInhabitant: null };
			g.count++;
			g.amount += r.amount;
			const pop = population?.(r);
			g.perInhabitant = pop ? g.amount / pop : null;
			groups.set(k, g);
		}
		return [...groups.values()].sort((a, b) => b.amount - a.amount);
	};
	return {
		count: rows.length,
		amount: rows.reduce((n, r) => n + r.amount, 0),
		byNeighbourhood: group((r) => r.neighbourhood ?? '', (r) => r.population),
		byPriority: group((r) => (r.priority ? 'priority' : 'other')),
		byKind: group((r) => r.kind as ApplicantKind),
		byHistory: group((r) => (r.returning ? 'returning' : 'first_time'))
	};
}
