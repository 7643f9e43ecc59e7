/**
 * A review's weighted score on 0–100: each criterion's score s on 1..max becomes
 * (s − 1) / (max − 1), weighted by the criterion's weight, averaged, times 100.
 * Null while any criterion is unscored.
 */
export function weightedScore(
	crit: { id: string; weight: number; scaleMax: number }[],
	scores: { criterionId: string; score: number | null }[]
): number | null {
	let total = 0;
	let weights = 0;
	for (const c of crit) {
		const s = scores.find((x) => x.criterionId === c.id)?.score;
		if (s === null || s === undefined) return null;
		total += (c.weight * (s - 1)) / (c.scaleMax - 1);
		weights += c.weight;
	}
	return weights === 0 ? null : (total / weights) * 100;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
	const m = mean(xs);
	return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

export interface ScoredReview {
	applicationId: number;
	reviewerId: string;
	score: number;
}

/**
 * Reviewer-normalised scores per application. Each reviewer's scores in the call become z-scores
 * over all their reviews there (a reviewer who scores everything the same gives 0); an
 * application's z is the mean of its reviews' z; it maps back to 0–100 with the mean and
 * standard deviation of all scores in the call, clamped to 0–100.
 */
export function normalisedScores(all: ScoredReview[]): Map<number, number> {
	const out = new Map<number, number>();
	if (all.length === 0) return out;
	const byReviewer = new Map<string, number[]>();
	for (const r of all) {
		const xs = byReviewer.get(r.reviewerId);
		if (xs) xs.push(r.score);
		else byReviewer.set(r.reviewerId, [r.score]);
	}
	const stats = new Map([...byReviewer].map(([id, xs]) => [id, { m: mean(xs), s: sd(xs) }]));
	const scores = all.map((r) => r.score);
	const M = mean(scores);
	const S = sd(scores);
	const zs = new Map<number, number[]>();
	for (const r of all) {
		const { m, s } = stats.get(r.reviewerId)!;
		const z = s > 0 ? (r.score - m) / s : 0;
		const list = zs.get(r.applicationId);
		if (list) list.push(z);
		else zs.set(r.applicationId, [z]);
	}
	for (const [app, z] of zs) out.set(app, Math.min(100, Math.max(0, M + mean(z) * S)));
	return out;
}
