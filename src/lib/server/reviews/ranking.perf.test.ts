import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { neighbourhood, openCall } from '../testing/fixtures.ts';
import { applications, criteria, reviewAssignments, reviews, reviewScores, users } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { rankCall } from './ranking.ts';

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
			await tx.insert(reviewScores).values(rows.flatMap((r, i) => crit.map((c, ci) => ({ reviewId: r.id, criterionId: c.id, score: 1 + ((i + ci) % c.scaleMax), justification: 'ok' }))));
		});
	}
}, 120_000);
afterAll(() => db.cleanup());

describe('the ranking at real size', () => {
	it('ranks 2 000 applications with 6 000 reviews in well under a second', async () => {
		await rankCall(db.ctx(officer), callId); // warm the connection and caches
		const times: number[] = [];
		for (const by of ['raw', 'normalised', 'raw'] as const) {
			const t0 = performance.now();
			const r = await rankCall(db.ctx(officer), callId, by);
			times.push(performance.now() - t0);
			expect(r.rows).toHaveLength(2000);
			expect(r.rows.every((row) => row.reviewsDone === 3)).toBe(true);
		}
		const best = Math.min(...times);
		console.log(`ranking of 2 000 applications / 6 000 reviews: best ${best.toFixed(1)} ms, all ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
		// The target is 100 ms; the bound leaves room for a loaded CI machine.
		expect(best).toBeLessThan(250);
	});
});
