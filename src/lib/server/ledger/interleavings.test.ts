import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { acceptedGrant, callInput, completeApplication, neighbourhood, refusalOf, violationsOf } from '../testing/fixtures.ts';
import { grants, milestones, paymentTranches } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { createCall, createFund, publishCall } from '../calls/service.ts';
import { saveApplication, screenApplication, startApplication, submitApplication } from '../applications/service.ts';
import { decide } from '../decisions/service.ts';
import { cancelGrant, closeGrant } from '../grants/service.ts';
import { getReport, reviewReport, saveReport } from '../grants/reports.ts';
import { recordBankTransfer } from '../payments/service.ts';
import { createBatch, markBatchSent } from '../payments/batches.ts';
import { fundFigures, grantFigures } from './figures.ts';

/**
 * Two people acting at the same moment: fast-check's scheduler runs both operations in every
 * order it chooses (and replays a failing one from its seed). Whatever the order, the outcome
 * is one of the allowed ones and the books reconcile.
 */
let db: TestDb;
let officer: Actor;
let finance: Actor;
let place: string;
beforeAll(async () => {
	db = await createTestDb({ DEBTOR_IBAN: 'SE3550000000054910000003', DEBTOR_BIC: 'ESSESESS', DEBTOR_NAME: 'Älvstads kommun' });
	officer = await createUser(db, { roles: ['officer'] });
	finance = await createUser(db, { roles: ['finance'] });
	place = await neighbourhood(db, await createUser(db, { roles: ['admin'] }), 'Norrbacka', true);
});
afterAll(() => db.cleanup());

const RUNS = { numRuns: 15 };

/** Runs `a` and `b` under the scheduler, returning how each ended ("ok" or the refusal) and which ran first. */
async function race(s: fc.Scheduler, a: () => Promise<unknown>, b: () => Promise<unknown>) {
	const order: string[] = [];
	const pa = s.schedule(Promise.resolve('a')).then(() => (order.push('a'), refusalOf(a())));
	const pb = s.schedule(Promise.resolve('b')).then(() => (order.push('b'), refusalOf(b())));
	await s.waitAll();
	seen.add(order[0]);
	return { a: await pa, b: await pb, first: order[0] };
}

/** Which operation ran first, over the runs of one test: both orders must have been tried. */
let seen = new Set<string>();
beforeEach(() => {
	seen = new Set();
});
afterEach(() => {
	expect([...seen].sort()).toEqual(['a', 'b']);
});

describe('concurrent interleavings', () => {
	it('pay vs cancel: paid then cancelled (the rest released), or cancelled and the payment refused', async () => {
		await fc.assert(
			fc.asyncProperty(fc.scheduler(), async (s) => {
				const g = await acceptedGrant(db, { officer, place });
				const r = await race(s, () => recordBankTransfer(db.ctx(finance), g.due.id, { paidDate: '2026-12-01', reference: `R-${g.due.id.slice(0, 8)}` }), () => cancelGrant(db.ctx(officer), g.grantId, 'Stopped.'));
				expect(r.b).toBe('ok');
				const fig = await grantFigures(db.database.db, g.grantId);
				if (r.first === 'a') expect([r.a, fig.paid, fig.released]).toEqual(['ok', 800_000, 200_000]);
				else expect([r.a, fig.paid, fig.released]).toEqual(['invalid_state:error_tranche_not_due', 0, 1_000_000]);
				expect(await violationsOf(db, g.grantId)).toEqual([]);
			}),
			RUNS
		);
	});

	it('two approvals vs the fund limit: never more than the budget, exactly one of two 600 000 awards fits 1 000 000', async () => {
		await fc.assert(
			fc.asyncProperty(fc.scheduler(), async (s) => {
				const fundId = await createFund(db.ctx(officer), { name: 'Liten fond', currency: 'SEK', budget: 1_000_000, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
				const callId = await createCall(db.ctx(officer), fundId, callInput(new Date(), { minAmount: 100_000, maxAmount: 1_000_000 }));
				await publishCall(db.ctx(officer), callId);
				const ids: number[] = [];
				for (let i = 0; i < 2; i++) {
					const who = await createUser(db);
					const id = await startApplication(db.ctx(who), callId, null);
					await saveApplication(db.ctx(who), id, completeApplication(place, { budgetLines: [{ item: 'Allt', category: 'materials', amount: 600_000 }] }));
					await submitApplication(db.ctx(who), id);
					await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
					ids.push(id);
				}
				const approve = (id: number) => () => decide(db.ctx(officer), { applicationId: id, outcome: 'approve', amount: 600_000, conditions: '' });
				const r = await race(s, approve(ids[0]), approve(ids[1]));
				expect([r.a, r.b].sort()).toEqual(['conflict:error_fund_exhausted', 'ok']);
				expect(r[r.first as 'a' | 'b']).toBe('ok');
				expect((await fundFigures(db.database.db, fundId)).committed).toBe(600_000);
				expect(await violationsOf(db, fundId)).toEqual([]);
			}),
			RUNS
		);
	});

	it('mark-sent vs cancel: the file always goes out; cancelling succeeds only after it', async () => {
		await fc.assert(
			fc.asyncProperty(fc.scheduler(), async (s) => {
				const g = await acceptedGrant(db, { officer, place });
				const { batchId } = await createBatch(db.ctx(finance), [g.due.id]);
				const r = await race(s, () => markBatchSent(db.ctx(finance), batchId), () => cancelGrant(db.ctx(officer), g.grantId, 'Stopped.'));
				expect(r.a).toBe('ok');
				expect(r.b).toBe(r.first === 'a' ? 'ok' : 'invalid_state:error_cancel_in_payment');
				const [grant] = await db.database.db.select().from(grants).where(eq(grants.id, g.grantId));
				expect(grant.status).toBe(r.first === 'a' ? 'cancelled' : 'active');
				expect((await grantFigures(db.database.db, g.grantId)).paid).toBe(800_000);
				expect(await violationsOf(db, g.grantId)).toEqual([]);
			}),
			RUNS
		);
	});

	it('report acceptance vs close: closing succeeds only once the report completed the grant', async () => {
		await fc.assert(
			fc.asyncProperty(fc.scheduler(), async (s) => {
				const g = await acceptedGrant(db, { officer, place });
				await recordBankTransfer(db.ctx(finance), g.due.id, { paidDate: '2026-12-01', reference: `R-${g.due.id.slice(0, 8)}` });
				const [m] = await db.database.db.select().from(milestones).where(eq(milestones.grantId, g.grantId));
				const lines = (await getReport(db.ctx(g.grantee), g.grantId, m.id)).budgetLines;
				// 250 000 unspent: the unpaid 200 000 is netted away, 50 000 is owed back.
				await saveReport(db.ctx(g.grantee), g.grantId, m.id, { narrative: 'Klart.', participants: 9, participantsByNeighbourhood: {}, spending: { [lines[0].id]: 750_000 }, unspentAmount: 250_000 }, true);
				const r = await race(s, () => reviewReport(db.ctx(officer), g.grantId, m.id, 'accept', ''), () => closeGrant(db.ctx(officer), g.grantId));
				expect(r.a).toBe('ok');
				expect(r.b).toBe(r.first === 'a' ? 'ok' : 'invalid_state:error_transition_not_allowed');
				const [grant] = await db.database.db.select().from(grants).where(eq(grants.id, g.grantId));
				expect(grant.status).toBe(r.first === 'a' ? 'closed' : 'completed');
				expect((await db.database.db.select().from(paymentTranches).where(eq(paymentTranches.grantId, g.grantId))).map((t) => t.status).sort()).toEqual(['paid', 'waived']);
				expect(await grantFigures(db.database.db, g.grantId)).toMatchObject({ paid: 800_000, owedBack: 50_000, committed: 800_000 });
				expect(await violationsOf(db, g.grantId)).toEqual([]);
			}),
			RUNS
		);
	});
});
