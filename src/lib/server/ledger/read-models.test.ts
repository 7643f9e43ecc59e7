import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { seedDemo } from '../seed/demo.ts';
import { seedGrants } from '../seed/grants.ts';
import { seedGrantsAtScale } from '../seed/scale.ts';
import { callFiguresDrift } from '../transparency/call-figures.ts';
import { reconcile } from './reconcile.ts';

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
});
afterAll(() => db.cleanup());

describe('read models kept by triggers', () => {
	it('agree with the rows after real operations and bulk inserts', async () => {
		expect(await reconcile(db.database.db)).toEqual([]);
		expect(await callFiguresDrift(db.database.db)).toEqual([]);
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
});
