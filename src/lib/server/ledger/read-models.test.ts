import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { seedDemo } from '../seed/demo.ts';
import { seedGrants } from '../seed/grants.ts';
import { seedApplicationsAtScale, seedGrantsAtScale, seedReviewsAtScale } from '../seed/scale.ts';
import { callFiguresDrift } from '../transparency/call-figures.ts';
import { reconcile } from './reconcile.ts';
import { scoresDrift } from '../reviews/read-models.ts';
import { applicationCountsDrift, keptCounts } from '../applications/counts.ts';
import { grantListsDrift } from '../grants/service.ts';

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
		expect(await applicationCountsDrift(db.database.db)).toEqual([]);
		expect(await grantListsDrift(db.database.db)).toEqual([]);
		// The demo and the bulk seed have accepted reports and grants, so the last check has something to check.
		const [{ accepted }] = (await db.database.client.execute('select count(*) as accepted from milestones where accepted = 1')).rows as unknown as { accepted: number }[];
		expect(Number(accepted)).toBeGreaterThan(0);
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
			[`update application_scores set live_reviewers = live_reviewers + 1 where application_id = (select min(application_id) from application_scores)`, `update application_scores set live_reviewers = live_reviewers - 1 where application_id = (select min(application_id) from application_scores)`],
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

	it('count applications by call, kind, neighbourhood and state through moves, new places and deletion', async () => {
		const run = (q: string) => db.database.client.execute(q);
		const one = async (q: string) => (await run(q)).rows[0] as unknown as Record<string, string | number>;
		const app = await one(`select a.id, a.call_id, a.status, a.applicant_kind from applications a where a.submitted_at is not null and exists (select 1 from application_neighbourhoods an where an.application_id = a.id) order by a.id limit 1`);
		const place = await one(`select neighbourhood_id as id from application_neighbourhoods where application_id = ${app.id} limit 1`);
		const other = await one(`select id from neighbourhoods where id not in (select neighbourhood_id from application_neighbourhoods where application_id = ${app.id}) limit 1`);
		const filter = { callId: String(app.call_id), neighbourhoodId: String(place.id) };
		const before = (await keptCounts(db.database.db, filter)).counts;
		const changes = [
			`update applications set status = 'withdrawn' where id = ${app.id}`,
			`update application_neighbourhoods set neighbourhood_id = '${other.id}' where application_id = ${app.id} and neighbourhood_id = '${place.id}'`,
			`insert into application_neighbourhoods (application_id, neighbourhood_id) values (${app.id}, '${place.id}')`,
			`update applications set submitted_at = null where id = ${app.id}`,
			`update applications set submitted_at = 1767225600000, applicant_kind = 'school' where id = ${app.id}`,
			`delete from applications where id = ${app.id}`
		];
		await run('pragma foreign_keys = off');
		for (const change of changes) {
			await run(change);
			expect(await applicationCountsDrift(db.database.db), change).toEqual([]);
		}
		await run('pragma foreign_keys = on');
		// A new submitted application with two neighbourhoods, then deleted (its places go by cascade).
		const added = await one(`insert into applications (call_id, applicant_id, applicant_kind, status, created_at, updated_at, submitted_at) select call_id, applicant_id, applicant_kind, 'submitted', created_at, updated_at, submitted_at from applications where submitted_at is not null limit 1 returning id`);
		await run(`insert into application_neighbourhoods (application_id, neighbourhood_id) values (${added.id}, '${place.id}'), (${added.id}, '${other.id}')`);
		expect(await applicationCountsDrift(db.database.db)).toEqual([]);
		await run(`delete from applications where id = ${added.id}`);
		expect((await one(`select count(*) as n from application_neighbourhoods where application_id = ${added.id}`)).n).toBe(0);
		expect(await applicationCountsDrift(db.database.db)).toEqual([]);
		const after = (await keptCounts(db.database.db, filter)).counts;
		expect(after[app.status as 'submitted']).toBe(before[app.status as 'submitted'] - 1);
		await run(`update application_counts set n = n + 1 where rowid = (select min(rowid) from application_counts)`);
		expect(await applicationCountsDrift(db.database.db)).toHaveLength(1);
		await run(`update application_counts set n = n - 1 where rowid = (select min(rowid) from application_counts)`);
	});

	it("keep a grant's call and a milestone's accepted flag through reports accepted, sent back and removed", async () => {
		const run = (q: string) => db.database.client.execute(q);
		const [report] = (await run(`select r.id, r.milestone_id, r.status from reports r where r.status = 'accepted' limit 1`)).rows as unknown as { id: string; milestone_id: string; status: string }[];
		for (const change of [`update reports set status = 'submitted' where id = '${report.id}'`, `update reports set status = 'accepted' where id = '${report.id}'`]) {
			await run(change);
			expect(await grantListsDrift(db.database.db), change).toEqual([]);
		}
		await run(`update milestones set accepted = 0 where id = '${report.milestone_id}'`);
		expect(await grantListsDrift(db.database.db)).toHaveLength(1);
		await run(`update milestones set accepted = 1 where id = '${report.milestone_id}'`);
		await run(`update grants set call_id = null where rowid = (select min(rowid) from grants)`);
		expect(await grantListsDrift(db.database.db)).toHaveLength(1);
		await run(`update grants set call_id = (select a.call_id from applications a where a.id = grants.application_id) where rowid = (select min(rowid) from grants)`);
		await run('pragma foreign_keys = off');
		await run(`delete from reports where id = '${report.id}'`);
		expect(await grantListsDrift(db.database.db)).toEqual([]);
		await run('pragma foreign_keys = on');
	});
});
