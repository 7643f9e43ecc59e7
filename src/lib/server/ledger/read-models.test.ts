import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { seedDemo } from '../seed/demo.ts';
import { seedGrants } from '../seed/grants.ts';
import { seedApplicationsAtScale, seedGrantsAtScale, seedReviewsAtScale } from '../seed/scale.ts';
import { callFiguresDrift } from '../transparency/call-figures.ts';
import { reconcile } from './reconcile.ts';
import { scoresDrift } from '../reviews/read-models.ts';

/**
 * The read models kept by triggers (a fund's ledger sums, a call's public outcome) agree with a
 * recomputation after the demo's operations and bulk inserts; the model-based sequences check
 * them after every step. Here: a kept figure that is wrong is found.
 */
let db: TestDb;
beforeAll(async () => {
	db = await createTestDb();
	await seedDemo(db.database);
	await seedGrants(db.database, db.config);
	await seedGrantsAtScale(db.database, 50);
	await seedApplicationsAtScale(db.database, 40, new Date(), 'in_review');
	await seedReviewsAtScale(db.database, 2);
});
afterAll(() => db.cleanup());

describe('read models kept by triggers', () => {
	it('agree with the rows after real operations and bulk inserts', async () => {
		expect(await reconcile(db.database.db)).toEqual([]);
		expect(await callFiguresDrift(db.database.db)).toEqual([]);
		expect(await scoresDrift(db.database.db)).toEqual([]);
		// The demo and the bulk seed both scored reviews, so the check has something to check.
		const [{ n }] = (await db.database.client.execute('select count(*) as n from reviews where weighted_score is not null')).rows as unknown as { n: number }[];
		expect(Number(n)).toBeGreaterThan(80);
	});

	it('are checked: a wrong fund sum is a reconcile violation, a wrong call figure is drift', async () => {
		await db.database.client.execute(`update fund_ledger_sums set total = total + 1 where rowid = (select min(rowid) from fund_ledger_sums where kind = 'commitment')`);
		expect((await reconcile(db.database.db)).map((v) => v.rule)).toEqual(['fund_sums_differ']);
		await db.database.client.execute(`update fund_ledger_sums set total = total - 1 where rowid = (select min(rowid) from fund_ledger_sums where kind = 'commitment')`);
		await db.database.client.execute(`update call_figures set funded = funded + 1 where rowid = (select min(rowid) from call_figures)`);
		expect(await callFiguresDrift(db.database.db)).toHaveLength(1);
		await db.database.client.execute(`update call_figures set funded = funded - 1 where rowid = (select min(rowid) from call_figures)`);
		expect([await reconcile(db.database.db), await callFiguresDrift(db.database.db)]).toEqual([[], []]);
	});

	it('are checked: a wrong kept score, reviewer figure or review score is drift', async () => {
		const wrong = [
			[`update application_scores set rank_key = rank_key + 1 where application_id = (select min(application_id) from application_scores where scored > 0)`, `update application_scores set rank_key = rank_key - 1 where application_id = (select min(application_id) from application_scores where scored > 0)`],
			[`update call_reviewer_stats set squares = squares + 1 where rowid = (select min(rowid) from call_reviewer_stats)`, `update call_reviewer_stats set squares = squares - 1 where rowid = (select min(rowid) from call_reviewer_stats)`],
			[`update review_scores set score = 3 - score where rowid = (select min(s.rowid) from review_scores s join reviews r on r.id = s.review_id where r.weighted_score is not null and s.score in (1, 2))`, `update review_scores set score = 3 - score where rowid = (select min(s.rowid) from review_scores s join reviews r on r.id = s.review_id where r.weighted_score is not null and s.score in (1, 2))`]
		];
		for (const [change, undo] of wrong) {
			await db.database.client.execute(change);
			expect(await scoresDrift(db.database.db), change).toHaveLength(1);
			await db.database.client.execute(undo);
		}
		expect(await scoresDrift(db.database.db)).toEqual([]);
	});
});
