import { and, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { reviews } from '../db/schema/index.ts';

/**
 * A review's weighted score on 0–100, as SQL over its stored scores (the same formula as
 * scoring.ts's weightedScore): each criterion's score s on 1..max becomes (s − 1) / (max − 1),
 * weighted, averaged, times 100; null unless every criterion of the call is scored.
 */
const weightedScoreOf = (reviewId: SQLColumn, applicationId: SQLColumn) => sql<number | null>`(
	select case when count(s.score) = (select count(*) from criteria c2 join applications a on a.call_id = c2.call_id where a.id = ${applicationId})
		then sum(c.weight * (s.score - 1) * 1.0 / (c.scale_max - 1)) * 100.0 / sum(c.weight) end
	from review_scores s join criteria c on c.id = s.criterion_id where s.review_id = ${reviewId})`;
type SQLColumn = typeof reviews.id | typeof reviews.applicationId | ReturnType<typeof sql>;

/**
 * Stores the weighted score of submitted reviews (by id), once their scores are written: the
 * triggers of migration 0024 then bring the application's scores and the reviewer's figures in
 * the call up to date in the same write.
 */
export async function storeWeightedScores(tx: Reader, reviewIds: string[]) {
	for (let i = 0; i < reviewIds.length; i += 500) {
		await tx
			.update(reviews)
			.set({ weightedScore: weightedScoreOf(reviews.id, reviews.applicationId) })
			.where(and(inArray(reviews.id, reviewIds.slice(i, i + 500)), isNotNull(reviews.submittedAt)));
	}
}

const close = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a)));

/**
 * Where the kept scores differ from a recomputation from the reviews' own scores: a review's
 * stored weighted score, an application's scores (count, sum, lowest, highest, rank key) and a
 * reviewer's figures in a call. Empty when the read models are right. Used by tests after every
 * kind of write and by the model-based sequences after every step.
 */
export async function scoresDrift(db: Reader) {
	const broken: string[] = [];
	const stored = await db.all<{ id: string; kept: number | null; actual: number | null }>(sql`
		select r.id, r.weighted_score as kept, case when r.submitted_at is null then null else ${weightedScoreOf(sql`r.id`, sql`r.application_id`)} end as actual from reviews r`);
	for (const r of stored) if (!close(r.kept, r.actual)) broken.push(`review ${r.id}: weighted score kept ${r.kept}, actual ${r.actual}`);
	const apps = await db.all<{ id: number; kept: number | null; same: number | null; scored: number; total: number; lowest: number | null; highest: number | null; rankKey: number; n: number; sum: number; lo: number | null; hi: number | null; mean: number | null; live: number | null; liveNow: number }>(sql`
		select a.id, s.application_id as kept, a.call_id = s.call_id and a.status = s.status and a.requested_amount = s.requested_amount as same,
			s.scored, s.total, s.lowest, s.highest, s.rank_key as rankKey, s.live_reviewers as live,
			(select count(*) from review_assignments ra where ra.application_id = a.id and ra.released_at is null) as liveNow,
			count(r.weighted_score) as n, coalesce(sum(r.weighted_score), 0) as sum, min(r.weighted_score) as lo, max(r.weighted_score) as hi, avg(r.weighted_score) as mean
		from applications a left join application_scores s on s.application_id = a.id left join reviews r on r.application_id = a.id
		group by a.id`);
	for (const a of apps) {
		const right = a.kept !== null && a.same === 1 && a.scored === a.n && close(a.total, a.sum) && close(a.lowest, a.lo) && close(a.highest, a.hi) && close(a.rankKey, a.mean ?? -1) && a.live === a.liveNow;
		if (!right) broken.push(`application ${a.id}: kept scores differ from its reviews`);
	}
	const stats = await db.all<{ callId: string; reviewerId: string; n: number | null; total: number | null; squares: number | null; an: number; atotal: number; asquares: number }>(sql`
		with actual as (select a.call_id, r.reviewer_id, count(*) as an, sum(r.weighted_score) as atotal, sum(r.weighted_score * r.weighted_score) as asquares
			from reviews r join applications a on a.id = r.application_id where r.weighted_score is not null group by a.call_id, r.reviewer_id)
		select coalesce(k.call_id, x.call_id) as callId, coalesce(k.reviewer_id, x.reviewer_id) as reviewerId, k.n, k.total, k.squares,
			coalesce(x.an, 0) as an, coalesce(x.atotal, 0) as atotal, coalesce(x.asquares, 0) as asquares
		from call_reviewer_stats k full outer join actual x on x.call_id = k.call_id and x.reviewer_id = k.reviewer_id`);
	for (const s of stats) {
		if ((s.n ?? 0) !== s.an || !close(s.total ?? 0, s.atotal) || !close(s.squares ?? 0, s.asquares)) broken.push(`reviewer ${s.reviewerId} in call ${s.callId}: kept figures differ from their reviews`);
	}
	return broken;
}
