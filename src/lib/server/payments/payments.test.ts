import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { acceptedGrant as fixture, neighbourhood, refusalOf, violationsOf } from '../testing/fixtures.ts';
import { emailOutbox, ledgerEntries, paymentTranches } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { fundAvailable } from '../reviews/ranking.ts';
import { cancelGrant } from '../grants/service.ts';
import { appendLedger, fundFigures } from '../ledger/index.ts';
import { dueTranches, recordBankTransfer, recordFailedPayment } from './service.ts';

let db: TestDb;
let officer: Actor;
let finance: Actor;
let place: string;
beforeAll(async () => {
	db = await createTestDb();
	officer = await createUser(db, { roles: ['officer'] });
	finance = await createUser(db, { roles: ['finance'] });
	const admin = await createUser(db, { roles: ['admin'] });
	place = await neighbourhood(db, admin, 'Norrbacka', true);
});
afterAll(() => db.cleanup());

const codeOf = refusalOf;
const acceptedGrant = (approver: Actor = officer) => fixture(db, { officer, place, approver });


describe('the ledger', () => {
	it('books commitments and releases, and its figures agree with the fund', async () => {
		const { fundId, grantId } = await acceptedGrant();
		let figures = await fundFigures(db.database.db, fundId);
		expect(figures).toMatchObject({ committed: 1_000_000, disbursed: 0, available: figures.budget - 1_000_000 });
		expect((await fundAvailable(db.database.db, fundId)).available).toBe(figures.available);
		await cancelGrant(db.ctx(officer), grantId, 'Stopped.');
		figures = await fundFigures(db.database.db, fundId);
		expect(figures.committed).toBe(0);
		expect(await violationsOf(db, grantId)).toEqual([]);
	});

	it('refuses UPDATE and DELETE in the database itself', async () => {
		const failure = (p: Promise<unknown>) => p.then(() => 'no error', (e) => `${e.message} ${e.cause?.message ?? ''}`);
		expect(await failure(db.database.write((tx) => tx.update(ledgerEntries).set({ amount: 1 })))).toMatch(/append-only/);
		expect(await failure(db.database.write((tx) => tx.delete(ledgerEntries)))).toMatch(/append-only/);
	});

	it('takes a retried key as a no-op, and refuses a key reused with different parameters', async () => {
		const { fundId, grantId } = await acceptedGrant();
		const entry = { fundId, grantId, kind: 'repayment' as const, amount: 5_000, idempotencyKey: `test:${grantId}`, actorId: finance.id, at: new Date() };
		expect(await db.database.write((tx) => appendLedger(tx, entry))).toBe(true);
		expect(await db.database.write((tx) => appendLedger(tx, entry))).toBe(false);
		expect(await codeOf(db.database.write((tx) => appendLedger(tx, { ...entry, amount: 6_000 })))).toBe('conflict:error_idempotency_mismatch');
		expect((await db.database.db.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, `test:${grantId}`))).map((r) => r.amount)).toEqual([5_000]);
	});

	it('reconciliation finds a row written behind its back', async () => {
		const { fundId, grantId } = await acceptedGrant();
		expect(await violationsOf(db, grantId)).toEqual([]);
		await db.database.client.execute({
			sql: "insert into ledger_entries (fund_id, grant_id, kind, amount, idempotency_key, at) values (?, ?, 'disbursement', 123, 'sneaky', 0)",
			args: [fundId, grantId]
		});
		expect((await violationsOf(db, grantId)).map((v) => v.rule)).toEqual(['paid_differs', 'tranches_do_not_add_up']);
		await db.database.write((tx) => appendLedger(tx, { fundId, grantId, kind: 'reversal', amount: 123, idempotencyKey: 'sneaky-correction', actorId: null, at: new Date(), reason: 'test correction' }));
		expect(await violationsOf(db, grantId)).toEqual([]);
	});
});

describe('paying by bank transfer', () => {
	it('lets exactly one of 100 simultaneous attempts pay a tranche', async () => {
		const { due, fundId } = await acceptedGrant();
		const results = await Promise.allSettled(
			Array.from({ length: 100 }, (_, i) => recordBankTransfer(db.ctx(finance), due.id, { paidDate: '2026-11-27', reference: `BANK-${i}` }))
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const rows = await db.database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.trancheId, due.id), eq(ledgerEntries.kind, 'disbursement')));
		expect(rows).toHaveLength(1);
		expect((await fundFigures(db.database.db, fundId)).disbursed).toBe(800_000);
		expect(await violationsOf(db, fundId)).toEqual([]);
	});

	it('pays again after a failed payment, each step a new ledger row', async () => {
		const { due, fundId, grantee } = await acceptedGrant();
		await recordBankTransfer(db.ctx(finance), due.id, { paidDate: '2026-11-27', reference: 'BANK-1' });
		expect(await codeOf(recordBankTransfer(db.ctx(finance), due.id, { paidDate: '2026-11-27', reference: 'BANK-2' }))).toBe('invalid_state:error_tranche_not_due');
		await recordFailedPayment(db.ctx(finance), due.id, 'Account closed');
		expect((await fundFigures(db.database.db, fundId)).disbursed).toBe(0);
		expect((await dueTranches(db.ctx(finance), { fundId })).rows.map((r) => r.id)).toContain(due.id);
		await recordBankTransfer(db.ctx(finance), due.id, { paidDate: '2026-11-28', reference: 'BANK-3' });
		const kinds = (await db.database.db.select().from(ledgerEntries).where(eq(ledgerEntries.trancheId, due.id))).map((r) => r.kind);
		expect(kinds).toEqual(['disbursement', 'reversal', 'disbursement']);
		const mails = (await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, grantee.email))).map((m) => m.template).filter((t) => t.startsWith('payment-'));
		expect(mails).toEqual(['payment-sent', 'payment-failed', 'payment-sent']);
		expect((await fundFigures(db.database.db, fundId)).disbursed).toBe(800_000);
		expect(await violationsOf(db, fundId)).toEqual([]);
	});

	it('refuses whoever approved the grant, and anyone without the finance role', async () => {
		const both = await createUser(db, { roles: ['officer', 'finance'] });
		const { due } = await acceptedGrant(both);
		expect(await codeOf(recordBankTransfer(db.ctx(both), due.id, { paidDate: '2026-11-27', reference: 'X' }))).toBe('forbidden:error_separation_of_duties');
		expect(await codeOf(recordBankTransfer(db.ctx(officer), due.id, { paidDate: '2026-11-27', reference: 'X' }))).toBe('forbidden:error_forbidden');
		expect(await codeOf(recordBankTransfer(db.ctx(finance), due.id, { paidDate: '27/11', reference: 'X' }))).toBe('invalid:error_date');
		const [t] = await db.database.db.select().from(paymentTranches).where(eq(paymentTranches.id, due.id));
		expect(t.status).toBe('due');
	});

	it('never pays a tranche whose trigger has not happened, nor one of a cancelled grant', async () => {
		const { grantId, due } = await acceptedGrant();
		const [scheduled] = await db.database.db.select().from(paymentTranches).where(and(eq(paymentTranches.grantId, grantId), eq(paymentTranches.status, 'scheduled')));
		expect(await codeOf(recordBankTransfer(db.ctx(finance), scheduled.id, { paidDate: '2026-11-27', reference: 'X' }))).toBe('invalid_state:error_tranche_not_due');
		await cancelGrant(db.ctx(officer), grantId, 'Stopped.');
		expect(await codeOf(recordBankTransfer(db.ctx(finance), due.id, { paidDate: '2026-11-27', reference: 'X' }))).toBe('invalid_state:error_tranche_not_due');
	});
});
