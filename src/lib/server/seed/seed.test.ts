import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { applications, auditEvents, users } from '../db/schema/index.ts';
import { APPLICATION_STATUSES } from '../../domain.ts';
import { seedDemo } from './demo.ts';
import { seedGrants } from './grants.ts';
import { scaleCall, seedApplicationsAtScale, seedGrantsAtScale, seedReviewsAtScale } from './scale.ts';
import { listPublicCalls } from '../calls/service.ts';

let db: TestDb;
beforeAll(async () => {
	// The browser journeys' second-approval limit, so that the demo is seeded as they see it.
	db = await createTestDb({ SECOND_APPROVAL_ABOVE: '820000' });
});
afterAll(() => db.cleanup());

describe('the demo data', () => {
	it('has an open call with applications in every status, made through the real operations', async () => {
		await seedDemo(db.database);
		await seedGrants(db.database, db.config);
		await seedGrants(db.database, db.config); // a second run adds nothing
		const calls = await listPublicCalls(db.ctx());
		expect(calls.map((c) => c.phase).sort()).toEqual(['open', 'upcoming']);
		const byStatus = await db.database.db
			.select({ status: applications.status, n: sql<number>`count(*)` })
			.from(applications)
			.where(sql`${applications.callId} = ${calls.find((c) => c.phase === 'open')!.id}`)
			.groupBy(applications.status);
		for (const s of APPLICATION_STATUSES) expect(byStatus.find((r) => r.status === s)?.n, s).toBe(1);
		const [{ n }] = await db.database.db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(sql`${auditEvents.action} = 'application.submitted'`);
		expect(n).toBe(6 + 8 + 6);
	});

	it('has a call whose reviews are done, ranked with scores, and an approved grant with tranches', async () => {
		const { rankCall } = await import('../reviews/ranking.ts');
		const { grants, paymentTranches, calls: callsTable } = await import('../db/schema/index.ts');
		const [call] = await db.database.db.select().from(callsTable).where(sql`${callsTable.title} = 'Läxhjälp och lärande 2026'`);
		const [officer] = await db.database.db.select().from(users).where(sql`${users.email} = 'officer@kvarter.demo'`);
		const ranking = await rankCall(db.ctx({ id: officer.id, email: officer.email, name: officer.name, locale: 'en', roles: ['officer'] }), call.id);
		expect(ranking.rows).toHaveLength(8);
		expect(ranking.rows.filter((r) => r.status === 'approved')).toHaveLength(7);
		expect(ranking.rows.filter((r) => r.score !== null).length).toBeGreaterThanOrEqual(7);
		// Fatima (the demo reviewer) always has a review to do: on the application still in review.
		const { todoFor } = await import('../todo/service.ts');
		const [fatima] = await db.database.db.select().from(users).where(sql`${users.email} = 'reviewer@kvarter.demo'`);
		const todo = await todoFor(db.ctx({ id: fatima.id, email: fatima.email, name: fatima.name, locale: 'sv', roles: ['reviewer'] }));
		expect(todo.find((k) => k.kind === 'reviews')?.entries.map((e) => e.title)).toEqual(['Bokcirkel på lätt svenska']);
		
		const all = await db.database.db.select().from(grants);
		const swim = all.find((g) => g.awardedAmount === 3_000_000)!;
		expect((await db.database.db.select().from(paymentTranches).where(sql`${paymentTranches.grantId} = ${swim.id}`)).map((t) => t.amount).sort((a, b) => a - b)).toEqual([600_000, 2_400_000]);
		// Grants in every state, and reports in every state.
		expect([...new Set(all.map((g) => g.status))].sort()).toEqual(['active', 'cancelled', 'closed', 'completed', 'offered']);
		const { reports } = await import('../db/schema/index.ts');
		const reportStates = (await db.database.db.select({ s: reports.status }).from(reports)).map((r) => r.s);
		expect([...new Set(reportStates)].sort()).toEqual(['accepted', 'changes_requested', 'draft', 'submitted']);
		// Last year's call (history) is on the same books: the ledger and the records agree.
		const { reconcile, grantFigures } = await import('../ledger/index.ts');
		expect(await reconcile(db.database.db)).toEqual([]);
		// No state the money rules forbid: closed grants have nothing due; one was paid and owes back what its final payment could not absorb.
		for (const g of all.filter((x) => x.status === 'closed')) expect(await grantFigures(db.database.db, g.id)).toMatchObject({ due: 0, scheduled: 0, inPayment: 0 });
		const owing = await Promise.all(all.filter((x) => x.status === 'closed').map((g) => grantFigures(db.database.db, g.id)));
		expect(owing.filter((f) => f.owedBack > 0 && f.paid > f.owedBack)).toHaveLength(1);
		const { publicStatistics } = await import('../transparency/statistics.ts');
		expect((await publicStatistics(db.database.db)).total.grants).toEqual({ hidden: false, value: 35 });
	});

	it('generates grants at scale whose books reconcile', async () => {
		await seedGrantsAtScale(db.database, 200);
		const { reconcile } = await import('../ledger/index.ts');
		expect(await reconcile(db.database.db)).toEqual([]);
	});

	it('generates applications at scale (how long it takes is in npm run bench), none approved without a grant', async () => {
		const [{ before }] = await db.database.db.select({ before: sql<number>`count(*)` }).from(applications);
		await seedApplicationsAtScale(db.database, 3000);
		const [{ n }] = await db.database.db.select({ n: sql<number>`count(*)` }).from(applications);
		expect(n).toBe(before + 3000);
		const [{ m }] = await db.database.db.select({ m: sql<number>`count(*)` }).from(users);
		expect(m).toBeGreaterThan(300);
		const fts = await db.database.client.execute('select count(*) from applications_fts');
		expect(Number(fts.rows[0][0])).toBe(before + 3000);
		const orphans = await db.database.client.execute(`select count(*) from applications a where a.status = 'approved' and not exists (select 1 from grants g where g.application_id = a.id)`);
		expect(Number(orphans.rows[0][0])).toBe(0);
	});

	it('generates reviews at scale: three scored reviews for every application reviewers have seen, and the ranking reads them', async () => {
		const made = await seedReviewsAtScale(db.database, 3);
		const call = await scaleCall(db.database);
		const seen = await db.database.client.execute({
			sql: `select count(*) from applications a where a.call_id = ? and a.status in ('in_review', 'approved', 'rejected') and exists (select 1 from review_assignments ra where ra.application_id = a.id and ra.assigned_by = 'scale-seed')`,
			args: [call.id]
		});
		expect(made).toBeGreaterThan(1000);
		expect(made).toBe(3 * Number(seen.rows[0][0]));
		// The outcome kept per call (read model, kept by triggers) agrees with the data, after the demo's operations and the bulk inserts alike.
		const { callFiguresDrift } = await import('../transparency/call-figures.ts');
		expect(await callFiguresDrift(db.database.db)).toEqual([]);
		expect(await (await import('../reviews/read-models.ts')).scoresDrift(db.database.db)).toEqual([]);
		expect(await (await import('../applications/counts.ts')).applicationCountsDrift(db.database.db)).toEqual([]);
		expect(await seedReviewsAtScale(db.database, 3)).toBe(0); // nothing left without reviews
		const { rankCall } = await import('../reviews/ranking.ts');
		const [officer] = await db.database.db.select().from(users).where(sql`${users.email} = 'officer@kvarter.demo'`);
		const ranking = await rankCall(db.ctx({ id: officer.id, email: officer.email, name: officer.name, locale: 'en', roles: ['officer'] }), call.id);
		expect(ranking.rows.filter((r) => r.score !== null).length).toBeGreaterThan(1000);
	});
});
