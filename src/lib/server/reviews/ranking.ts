import { fundFigures } from '../ledger/figures.ts';
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Reader } from '../db/client.ts';
import { applicationScores, applications, callFigures, callReviewerStats, calls, grants, neighbourhoods, organisations, reviews, users } from '../db/schema/index.ts';
import { sortYielding, yieldToOthers } from '../db/yield.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { may } from '../access/policy.ts';
import { relationsForList } from '../access/relations.ts';
import { notFound } from '../errors.ts';
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
 * state in the call changes. Refuses: forbidden, not_found.
 */
export async function rankCall(ctx: Ctx, callId: string, by: 'raw' | 'normalised' = 'raw', view: RankingView = {}) {
	requireRoleIn(ctx, ['officer', 'admin']);
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
	const order = by === 'normalised' ? await normalisedOrder(db, callId, call.figures?.scoreRevision ?? 0, stats) : null;
	const placed = order ? order.slice((page - 1) * size, page * size) : await rawPage(db, callId, (page - 1) * size, size);
	await yieldToOthers();
	const selected = view.top
		? order
			? order.slice(0, view.top)
			: await rawPage(db, callId, 0, view.top)
		: order
			? order.find(view.selected ?? [])
			: await rawPlaces(db, callId, view.selected ?? []);
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

/** Places `from`..`from + count` of the ranking by mean score, read in rank order from the index. */
async function rawPage(db: Reader, callId: string, from: number, count: number): Promise<Placed[]> {
	const rows = await db
		.select({ id: applicationScores.applicationId, status: applicationScores.status, requestedAmount: applicationScores.requestedAmount, rankKey: applicationScores.rankKey })
		.from(applicationScores)
		.where(and(eq(applicationScores.callId, callId), inRanking))
		.orderBy(desc(applicationScores.rankKey), asc(applicationScores.applicationId))
		.limit(count)
		.offset(from);
	if (rows.length === 0) return [];
	await yieldToOthers();
	let running = from === 0 ? 0 : (await before(db, callId, rows[0])).amount;
	return rows.map((r, i) => {
		if (r.status === 'in_review') running += r.requestedAmount;
		return { id: r.id, status: r.status, requestedAmount: r.requestedAmount, rank: from + i + 1, runningTotal: running };
	});
}

/** How many ranked applications come before one, and what those in review request. */
async function before(db: Reader, callId: string, row: { id: number; rankKey: number }) {
	const [r] = await db
		.select({ count: sql<number>`count(*)`, amount: inReviewAmount })
		.from(applicationScores)
		.where(and(eq(applicationScores.callId, callId), inRanking, or(gt(applicationScores.rankKey, row.rankKey), and(eq(applicationScores.rankKey, row.rankKey), lt(applicationScores.applicationId, row.id)))));
	return { count: Number(r.count), amount: Number(r.amount) };
}

/** The places of chosen applications (by id) in the ranking by mean score. */
async function rawPlaces(db: Reader, callId: string, ids: number[]): Promise<Placed[]> {
	if (ids.length === 0) return [];
	const rows = await db
		.select({ id: applicationScores.applicationId, status: applicationScores.status, requestedAmount: applicationScores.requestedAmount, rankKey: applicationScores.rankKey })
		.from(applicationScores)
		.where(and(eq(applicationScores.callId, callId), inRanking, inArray(applicationScores.applicationId, ids)));
	const out: Placed[] = [];
	for (const r of rows) {
		// Each lookup reads the index up to the row: let other requests in between them.
		if (out.length) await yieldToOthers();
		const b = await before(db, callId, r);
		out.push({ id: r.id, status: r.status, requestedAmount: r.requestedAmount, rank: b.count + 1, runningTotal: b.amount + (r.status === 'in_review' ? r.requestedAmount : 0) });
	}
	return out;
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
	readonly revision: number;
	private readonly placed: Placed[];
	constructor(revision: number, placed: Placed[]) {
		this.revision = revision;
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

/** Calls whose normalised order is kept (a few: the ones being decided now), and orders being worked out. */
const ORDERS_KEPT = 8;
const orders = new Map<string, Promise<NormalisedOrder>>();

async function normalisedOrder(db: Reader, callId: string, revision: number, stats: ReviewerStats) {
	const key = callId;
	const kept = orders.get(key);
	if (kept && (await kept).revision === revision) return kept;
	const working = workOutNormalisedOrder(db, callId, revision, stats);
	orders.delete(key);
	orders.set(key, working);
	if (orders.size > ORDERS_KEPT) orders.delete(orders.keys().next().value!);
	working.catch(() => orders.delete(key));
	return working;
}

/** Reads the call's ranked applications and their reviews in parts of 500, yielding between parts, then orders them (yielding too). */
async function workOutNormalisedOrder(db: Reader, callId: string, revision: number, stats: ReviewerStats) {
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
	return new NormalisedOrder(revision, placed);
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
