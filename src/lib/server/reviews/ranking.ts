import { fundFigures } from '../ledger/figures.ts';
import { and, asc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Reader } from '../db/client.ts';
import { applications, calls, criteria, grants, neighbourhoods, organisations, reviews, reviewScores, users } from '../db/schema/index.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { may } from '../access/policy.ts';
import { relationsForList } from '../access/relations.ts';
import { notFound } from '../errors.ts';
import { DISAGREEMENT_THRESHOLD, type ApplicantKind } from '../../domain.ts';
import { normalisedScores, type ScoredReview } from './scoring.ts';

const RANKED = ['in_review', 'approved', 'rejected'] as const;

/** What the fund still has: its budget less what non-cancelled grants have committed. */
export async function fundAvailable(db: Reader, fundId: string) {
	// The ledger's definition: owed-back money stays committed until repaid or written off.
	const f = await fundFigures(db, fundId);
	return { budget: f.budget, committed: f.committed, available: f.available, currency: f.currency };
}

/**
 * Staff's ranking of a call: each application in review (or decided) with its mean weighted
 * score (0–100), reviews done / expected, spread and disagreement flag, reviewer-normalised
 * score, and the funding line: the running total of requests, in rank order, against what the
 * fund has left. A handful of queries whatever the size. Refuses: forbidden, not_found.
 */
export async function rankCall(ctx: Ctx, callId: string, by: 'raw' | 'normalised' = 'raw', view: RankingView = {}) {
	requireRoleIn(ctx, ['officer', 'admin']);
	const db = ctx.database.db;
	const [call] = await db.select().from(calls).where(eq(calls.id, callId));
	if (!call) throw notFound();
	const [crit, apps, revs, money] = await Promise.all([
		db.select().from(criteria).where(eq(criteria.callId, callId)).orderBy(asc(criteria.position)),
		db
			.select({
				id: applications.id,
				title: applications.title,
				language: applications.language,
				status: applications.status,
				requestedAmount: applications.requestedAmount,
				applicantKind: applications.applicantKind,
				submittedAt: applications.submittedAt,
				decidedAt: applications.decidedAt,
				neighbourhoodName: neighbourhoods.name,
				priority: neighbourhoods.priority,
				applicantName: sql<string>`coalesce(${organisations.name}, ${users.name})`,
				applicantId: applications.applicantId,
				organisationId: applications.organisationId,
				awarded: grants.awardedAmount
			})
			.from(applications)
			.innerJoin(users, eq(users.id, applications.applicantId))
			.leftJoin(organisations, eq(organisations.id, applications.organisationId))
			.leftJoin(neighbourhoods, eq(neighbourhoods.id, applications.neighbourhoodId))
			.leftJoin(grants, and(eq(grants.applicationId, applications.id), ne(grants.status, 'cancelled')))
			.where(and(eq(applications.callId, callId), inArray(applications.status, [...RANKED]))),
		// One weighted score per submitted review, computed in the database (the same formula as
		// weightedScore): sum of weight × (score − 1) / (max − 1), over the sum of weights, × 100.
		db
			.select({
				applicationId: reviews.applicationId,
				reviewerId: reviews.reviewerId,
				score: sql<number>`sum(${criteria.weight} * (${reviewScores.score} - 1) * 1.0 / (${criteria.scaleMax} - 1)) * 100.0 / sum(${criteria.weight})`,
				scored: sql<number>`count(${reviewScores.score})`
			})
			.from(reviews)
			.innerJoin(applications, eq(applications.id, reviews.applicationId))
			.innerJoin(reviewScores, eq(reviewScores.reviewId, reviews.id))
			.innerJoin(criteria, eq(criteria.id, reviewScores.criterionId))
			.where(and(eq(applications.callId, callId), isNotNull(reviews.submittedAt)))
			.groupBy(reviews.id),
		fundAvailable(db, call.fundId)
	]);
	// A review counts once every criterion has a score (submission guarantees it).
	const scored: ScoredReview[] = revs.filter((r) => r.scored === crit.length).map((r) => ({ applicationId: r.applicationId, reviewerId: r.reviewerId, score: Number(r.score) }));
	const normalised = normalisedScores(scored);
	const perApp = new Map<number, number[]>();
	for (const r of scored) {
		const xs = perApp.get(r.applicationId);
		if (xs) xs.push(r.score);
		else perApp.set(r.applicationId, [r.score]);
	}
	// Whether this officer may decide each row: the policy's answer (never where they have a stake).
	const relationsFor = await relationsForList(db, ctx.actor!.id, apps.map((a) => a.id));
	const rows = apps.map(({ applicantId, organisationId, ...a }) => {
		const xs = perApp.get(a.id) ?? [];
		const score = xs.length ? xs.reduce((p, q) => p + q, 0) / xs.length : null;
		const spread = xs.length > 1 ? Math.max(...xs) - Math.min(...xs) : 0;
		return {
			...a,
			reviewsDone: xs.length,
			reviewsExpected: call.reviewersPerApplication,
			score,
			normalisedScore: normalised.get(a.id) ?? null,
			spread,
			disagreement: spread > DISAGREEMENT_THRESHOLD,
			mayDecide: may(ctx.actor, 'application.decide', { relations: relationsFor({ id: a.id, applicantId, organisationId }), state: a.status }).ok,
			daysToDecision: a.decidedAt && a.submittedAt ? Math.round((a.decidedAt.getTime() - a.submittedAt.getTime()) / 86_400_000) : null
		};
	});
	const key = (r: (typeof rows)[number]) => (by === 'normalised' ? r.normalisedScore : r.score) ?? -1;
	rows.sort((a, b) => key(b) - key(a) || a.id - b.id);
	let running = 0;
	const ranked = rows.map((r, i) => {
		if (r.status === 'in_review') running += r.requestedAmount;
		return { ...r, rank: i + 1, runningTotal: running, withinBudget: r.status !== 'in_review' || running <= money.available };
	});
	const decided = rows.filter((r) => r.daysToDecision !== null);
	// One page of the ranking (ranks and the funding line stay those of the whole call), and the
	// selected rows wherever they are, for the decision form.
	const size = view.pageSize ?? Math.max(1, ranked.length);
	const pageCount = Math.max(1, Math.ceil(ranked.length / size));
	const page = Math.min(Math.max(1, view.page ?? 1), pageCount);
	const selectedIds = view.top ? ranked.slice(0, view.top).map((r) => r.id) : [...new Set(view.selected ?? [])];
	const chosen = new Set(selectedIds);
	return {
		call: { id: call.id, title: call.title, decisionDays: call.decisionDays, reviewersPerApplication: call.reviewersPerApplication },
		money,
		rows: ranked.slice((page - 1) * size, page * size),
		total: ranked.length,
		page,
		pageCount,
		selected: ranked.filter((r) => chosen.has(r.id)),
		by,
		averageDaysToDecision: decided.length ? decided.reduce((n, r) => n + r.daysToDecision!, 0) / decided.length : null
	};
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
