import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { neighbourhood, openCall } from '../testing/fixtures.ts';
import { applications, criteria, reviewAssignments, reviews, reviewScores, users } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { rankCall, RANKING_PAGE_SIZE } from './ranking.ts';
import { scoresDrift, storeWeightedScores } from './read-models.ts';
import { normalisedScores, weightedScore } from './scoring.ts';

let db: TestDb;
let officer: Actor;
let callId: string;

// 2 000 applications in review with 3 submitted reviews each (6 000 reviews, 18 000 scores).
beforeAll(async () => {
	db = await createTestDb();
	officer = await createUser(db, { roles: ['officer'] });
	const admin = await createUser(db, { roles: ['admin'] });
	const place = await neighbourhood(db, admin, 'Norrbacka', true);
	({ callId } = await openCall(db, officer, { reviewersPerApplication: 3 }));
	const crit = await db.database.db.select().from(criteria).where(eq(criteria.callId, callId));
	const now = new Date();
	const applicant = await createUser(db);
	const reviewerIds = Array.from({ length: 30 }, () => crypto.randomUUID());
	await db.database.write((tx) =>
		tx.insert(users).values(reviewerIds.map((id, i) => ({ id, email: `r${i}@example.org`, name: `Reviewer ${i}`, passwordHash: 'x', createdAt: now })))
	);
	for (let start = 0; start < 2000; start += 500) {
		await db.database.write(async (tx) => {
			const ids = await tx
				.insert(applications)
				.values(
					Array.from({ length: 500 }, (_, k) => ({
						callId,
						applicantId: applicant.id,
						applicantKind: 'individual' as const,
						status: 'in_review' as const,
						title: `Projekt ${start + k}`,
						requestedAmount: 500_000 + ((start + k) % 50) * 10_000,
						neighbourhoodId: place,
						createdAt: now,
						updatedAt: now,
						submittedAt: now
					}))
				)
				.returning({ id: applications.id });
			const assignments = ids.flatMap(({ id }, k) =>
				[0, 1, 2].map((j) => ({ id: crypto.randomUUID(), applicationId: id, reviewerId: reviewerIds[(start + k + j * 7) % 30], assignedBy: officer.id, assignedAt: now, dueAt: now, conflict: 'none' as const }))
			);
			await tx.insert(reviewAssignments).values(assignments);
			const rows = assignments.map((a) => ({ id: crypto.randomUUID(), assignmentId: a.id, applicationId: a.applicationId, reviewerId: a.reviewerId, recommendation: 'fund' as const, updatedAt: now, submittedAt: now }));
			await tx.insert(reviews).values(rows);
			await tx.insert(reviewScores).values(rows.flatMap((r, i) => crit.map((c, ci) => ({ reviewId: r.id, criterionId: c.id, score: 1 + ((i * (ci + 3) + start) % c.scaleMax), justification: 'ok' }))));
			await storeWeightedScores(tx, rows.map((r) => r.id));
		});
	}
}, 120_000);
afterAll(() => db.cleanup());

describe('the ranking of a large call, a page at a time (how fast: npm run bench)', () => {
	it("pages 2 000 applications with 6 000 reviews: ranks and the funding line are the whole call's, chosen rows come from any page", async () => {
		const whole = await rankCall(db.ctx(officer), callId);
		expect(whole.rows).toHaveLength(2000);
		expect(whole.rows.every((row) => row.reviewsDone === 3)).toBe(true);
		for (const by of ['raw', 'normalised'] as const) {
			const all = by === 'raw' ? whole : await rankCall(db.ctx(officer), callId, by);
			const third = await rankCall(db.ctx(officer), callId, by, { page: 3, pageSize: RANKING_PAGE_SIZE, selected: [all.rows[0].id, all.rows[1999].id, -5] });
			expect([third.total, third.page, third.pageCount]).toEqual([2000, 3, 40]);
			expect(third.rows.map((r) => [r.id, r.rank, r.runningTotal, r.withinBudget])).toEqual(all.rows.slice(100, 150).map((r) => [r.id, r.rank, r.runningTotal, r.withinBudget]));
			// The selection holds rows of other pages (the first and the last), never ids outside the call.
			expect(third.selected.map((r) => r.rank)).toEqual([1, 2000]);
			// Deep pages and chosen rows past the first thousand (read from kept marks, ties included).
			const deep = await rankCall(db.ctx(officer), callId, by, { page: 27, pageSize: RANKING_PAGE_SIZE, selected: [all.rows[999].id, all.rows[1000].id, all.rows[1001].id, all.rows[1777].id] });
			expect(deep.rows.map((r) => [r.id, r.rank, r.runningTotal])).toEqual(all.rows.slice(1300, 1350).map((r) => [r.id, r.rank, r.runningTotal]));
			expect(deep.selected.map((r) => [r.rank, r.runningTotal])).toEqual([999, 1000, 1001, 1777].map((i) => [i + 1, all.rows[i].runningTotal]));
		}
		// A decision moves the funding line: deep pages follow at once (the marks are worked out again).
		const early = whole.rows[10];
		await db.database.write((tx) => tx.update(applications).set({ status: 'rejected' }).where(eq(applications.id, early.id)));
		const after = await rankCall(db.ctx(officer), callId);
		const deepAfter = await rankCall(db.ctx(officer), callId, 'raw', { page: 30, pageSize: RANKING_PAGE_SIZE, selected: [after.rows[1500].id] });
		expect(after.rows[1449].runningTotal).toBe(whole.rows[1449].runningTotal - early.requestedAmount);
		expect(deepAfter.rows.map((r) => [r.id, r.rank, r.runningTotal])).toEqual(after.rows.slice(1450, 1500).map((r) => [r.id, r.rank, r.runningTotal]));
		expect(deepAfter.selected.map((r) => [r.rank, r.runningTotal])).toEqual([[1501, after.rows[1500].runningTotal]]);
		// A page asked for before the change is not answered as it was kept.
		const thirdAfter = await rankCall(db.ctx(officer), callId, 'raw', { page: 3, pageSize: RANKING_PAGE_SIZE, selected: [whole.rows[0].id, whole.rows[1999].id, -5] });
		expect(thirdAfter.rows.map((r) => [r.id, r.runningTotal])).toEqual(after.rows.slice(100, 150).map((r) => [r.id, r.runningTotal]));
		// Scores, spreads and both orders are those worked out from scratch from every review's scores.
		const crit = await db.database.db.select().from(criteria).where(eq(criteria.callId, callId));
		const scores = await db.database.db.select().from(reviewScores);
		const revs = (await db.database.db.select().from(reviews)).map((r) => ({ applicationId: r.applicationId, reviewerId: r.reviewerId, score: weightedScore(crit, scores.filter((x) => x.reviewId === r.id))! }));
		const normalised = normalisedScores(revs);
		const expected = [...new Set(revs.map((r) => r.applicationId))].map((id) => {
			const xs = revs.filter((r) => r.applicationId === id).map((r) => r.score);
			return { id, score: xs.reduce((a, b) => a + b, 0) / xs.length, spread: Math.max(...xs) - Math.min(...xs), normalised: normalised.get(id)! };
		});
		const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;
		for (const by of ['raw', 'normalised'] as const) {
			const key = (e: (typeof expected)[number]) => (by === 'raw' ? e.score : e.normalised);
			const order = [...expected].sort((a, b) => (near(key(a), key(b)) ? a.id - b.id : key(b) - key(a)));
			const got = (await rankCall(db.ctx(officer), callId, by)).rows;
			expect(got.map((r) => r.id)).toEqual(order.map((e) => e.id));
			expect(got.every((r, i) => near(r.score!, order[i].score) && near(r.normalisedScore!, order[i].normalised) && near(r.spread, order[i].spread))).toBe(true);
		}
		expect(await scoresDrift(db.database.db)).toEqual([]);
		// A page past the end shows the last; the top N are the selection.
		const past = await rankCall(db.ctx(officer), callId, 'raw', { page: 999, pageSize: RANKING_PAGE_SIZE, top: 5 });
		expect([past.page, past.rows.length, past.rows[0].rank]).toEqual([40, 50, 1951]);
		expect(past.selected.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
	});
});
