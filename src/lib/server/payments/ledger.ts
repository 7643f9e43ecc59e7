import { and, eq, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../db/client.ts';
import { funds, grants, ledgerEntries, paymentTranches, type LedgerKind } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';

export interface LedgerEntry {
	fundId: string;
	grantId?: string | null;
	trancheId?: string | null;
	kind: LedgerKind;
	amount: number;
	method?: 'bank_transfer' | 'stripe' | 'pain001' | null;
	reference?: string | null;
	reason?: string | null;
	idempotencyKey: string;
	actorId: string | null;
	at: Date;
}

/**
 * Appends one ledger row inside the caller's transaction. A key already booked with the same
 * movement is a harmless retry (returns false); the same key with different parameters is
 * refused, so a mistaken retry can never book a different amount. Refuses: conflict.
 */
export async function appendLedger(tx: Tx, e: LedgerEntry): Promise<boolean> {
	if (!Number.isSafeInteger(e.amount) || e.amount < 0) throw new Error(`ledger amount must be a non-negative integer: ${e.amount}`);
	const [existing] = await tx.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, e.idempotencyKey));
	if (existing) {
		const same = existing.kind === e.kind && existing.amount === e.amount && existing.trancheId === (e.trancheId ?? null) && existing.fundId === e.fundId;
		if (!same) throw new DomainError('conflict', 'error_idempotency_mismatch');
		return false;
	}
	await tx.insert(ledgerEntries).values({
		fundId: e.fundId,
		grantId: e.grantId ?? null,
		trancheId: e.trancheId ?? null,
		kind: e.kind,
		amount: e.amount,
		method: e.method ?? null,
		reference: e.reference ?? null,
		reason: e.reason ?? null,
		idempotencyKey: e.idempotencyKey,
		actorId: e.actorId,
		at: e.at
	});
	return true;
}

/** A fund's figures computed from its ledger rows alone. */
export async function fundFigures(db: Reader, fundId: string) {
	const [fund] = await db.select().from(funds).where(eq(funds.id, fundId));
	const rows = await db
		.select({ kind: ledgerEntries.kind, total: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)` })
		.from(ledgerEntries)
		.where(eq(ledgerEntries.fundId, fundId))
		.groupBy(ledgerEntries.kind);
	const sum = (k: LedgerKind) => Number(rows.find((r) => r.kind === k)?.total ?? 0);
	const committed = sum('commitment') - sum('release');
	const disbursed = sum('disbursement') - sum('reversal');
	return { budget: fund.budget, currency: fund.currency, committed, disbursed, repaid: sum('repayment'), available: fund.budget - committed };
}

export interface Difference {
	grantId: string;
	what: 'committed' | 'disbursed';
	ledger: number;
	records: number;
}

/**
 * Recomputes every grant's money from the ledger and compares it with the grant and tranche
 * records: committed = awarded − released, disbursed = the paid tranches. Any difference means
 * a row was written (or changed) behind the ledger's back. Returns the differences; none is good.
 */
export async function reconcile(db: Reader): Promise<Difference[]> {
	const [ledger, all, paid] = await Promise.all([
		db
			.select({ grantId: ledgerEntries.grantId, kind: ledgerEntries.kind, total: sql<number>`sum(${ledgerEntries.amount})` })
			.from(ledgerEntries)
			.groupBy(ledgerEntries.grantId, ledgerEntries.kind),
		db.select({ id: grants.id, awarded: grants.awardedAmount, released: grants.releasedAmount }).from(grants),
		db
			.select({ grantId: paymentTranches.grantId, total: sql<number>`sum(${paymentTranches.amount})` })
			.from(paymentTranches)
			.where(eq(paymentTranches.status, 'paid'))
			.groupBy(paymentTranches.grantId)
	]);
	const sums = new Map(ledger.map((l) => [`${l.grantId}|${l.kind}`, Number(l.total)]));
	const of = (grantId: string, kind: LedgerKind) => sums.get(`${grantId}|${kind}`) ?? 0;
	const byId = new Map(all.map((g) => [g.id, g]));
	const paidOf = new Map(paid.map((p) => [p.grantId, Number(p.total)]));
	const out: Difference[] = [];
	const ids = new Set([...all.map((g) => g.id), ...ledger.map((l) => l.grantId).filter((g): g is string => !!g)]);
	for (const id of ids) {
		const g = byId.get(id);
		const committed = of(id, 'commitment') - of(id, 'release');
		const records = g ? g.awarded - g.released : 0;
		if (committed !== records) out.push({ grantId: id, what: 'committed', ledger: committed, records });
		const disbursed = of(id, 'disbursement') - of(id, 'reversal');
		const paidRecords = paidOf.get(id) ?? 0;
		if (disbursed !== paidRecords) out.push({ grantId: id, what: 'disbursed', ledger: disbursed, records: paidRecords });
	}
	return out;
}


/** What a grant still owes back: the unspent money declared, less what was repaid. */
export async function owedBackOutstanding(db: Reader, grant: { id: string; owedBack: number }) {
	const [{ repaid }] = await db
		.select({ repaid: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)` })
		.from(ledgerEntries)
		.where(and(eq(ledgerEntries.grantId, grant.id), eq(ledgerEntries.kind, 'repayment')));
	return Math.max(0, grant.owedBack - Number(repaid));
}
