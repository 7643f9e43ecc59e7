import { and, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Reader } from '../db/client.ts';
import { fundLedgerSums, funds, ledgerEntries, paymentTranches, type LedgerKind } from '../db/schema/index.ts';

/**
 * The one definition of every money figure. All are sums of ledger rows (minor units):
 *
 *   awarded     = Σ commitment
 *   released    = Σ release                      (cancelled, waived or netted award)
 *   paid        = Σ disbursement − Σ reversal    (net money out: "paid so far")
 *   owed back   = Σ receivable − Σ repayment − Σ write_off − Σ offset
 *   committed   = awarded − released − Σ repayment − Σ write_off
 *   available   = budget − committed             (a fund only)
 *
 * A fund's sums per kind are kept in fund_ledger_sums by a trigger on every appended row.
 *
 * Owed-back money stays committed until it is repaid or written off by two people, so it can
 * never be awarded again before then. `due` (tranches waiting for finance) and `inPayment`
 * (tranches in an unsettled payment file or Stripe transfer) come from the tranche records.
 */
export type Sums = Record<LedgerKind, number>;

const EMPTY: Sums = { commitment: 0, release: 0, disbursement: 0, reversal: 0, receivable: 0, repayment: 0, write_off: 0, offset: 0 };

export function figuresOf(s: Sums) {
	return {
		awarded: s.commitment,
		released: s.release,
		paid: s.disbursement - s.reversal,
		repaid: s.repayment,
		writtenOff: s.write_off,
		owedBack: s.receivable - s.repayment - s.write_off - s.offset,
		committed: s.commitment - s.release - s.repayment - s.write_off
	};
}
export type Figures = ReturnType<typeof figuresOf>;

async function sumsBy(db: Reader, column: AnySQLiteColumn, ids: string[]) {
	const out = new Map<string, Sums>(ids.map((id) => [id, { ...EMPTY }]));
	if (ids.length === 0) return out;
	const rows = await db
		.select({ id: column, kind: ledgerEntries.kind, total: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)` })
		.from(ledgerEntries)
		.where(inArray(column, ids))
		.groupBy(column, ledgerEntries.kind);
	for (const r of rows) out.get(r.id as string)![r.kind] = Number(r.total);
	return out;
}

/** Funds' figures from their ledger rows, with budget and available. */
export async function fundsFigures(db: Reader, fundIds: string[]) {
	const list = fundIds.length ? await db.select({ id: funds.id, budget: funds.budget, currency: funds.currency, status: funds.status }).from(funds).where(inArray(funds.id, fundIds)) : [];
	// From the fund's kept sums per kind (fund_ledger_sums, a trigger adds every ledger row as it is
	// appended; reconcile checks them against the rows), not from all of the fund's ledger rows.
	const sums = new Map<string, Sums>(fundIds.map((id) => [id, { ...EMPTY }]));
	const kept = fundIds.length ? await db.select().from(fundLedgerSums).where(inArray(fundLedgerSums.fundId, fundIds)) : [];
	for (const r of kept) sums.get(r.fundId)![r.kind] = r.total;
	return new Map(list.map((f) => {
		const fig = figuresOf(sums.get(f.id)!);
		return [f.id, { budget: f.budget, currency: f.currency, status: f.status, ...fig, disbursed: fig.paid, available: f.budget - fig.committed }];
	}));
}

export async function fundFigures(db: Reader, fundId: string) {
	const f = (await fundsFigures(db, [fundId])).get(fundId);
	if (!f) throw new Error(`no fund ${fundId}`);
	return f;
}

/** Grants' figures from their ledger rows, with what is due and in payment now. */
export async function grantsFigures(db: Reader, grantIds: string[]) {
	const sums = await sumsBy(db, ledgerEntries.grantId, grantIds);
	const open = grantIds.length
		? await db
				.select({ grantId: paymentTranches.grantId, status: paymentTranches.status, total: sql<number>`sum(${paymentTranches.amount})` })
				.from(paymentTranches)
				.where(and(inArray(paymentTranches.grantId, grantIds), inArray(paymentTranches.status, ['scheduled', 'due', 'processing'])))
				.groupBy(paymentTranches.grantId, paymentTranches.status)
		: [];
	const of = (id: string, status: string) => Number(open.find((o) => o.grantId === id && o.status === status)?.total ?? 0);
	return new Map(grantIds.map((id) => [id, { ...figuresOf(sums.get(id)!), scheduled: of(id, 'scheduled'), due: of(id, 'due'), inPayment: of(id, 'processing') }]));
}

export async function grantFigures(db: Reader, grantId: string) {
	return (await grantsFigures(db, [grantId])).get(grantId)!;
}

/**
 * "Paid so far" of the grant in `grantId` as an SQL expression, for lists and exports: the paid
 * tranches, which `reconcile` proves equal to the ledger's net disbursement.
 */
export const paidSoFarSql = (grantId: AnySQLiteColumn | SQL): SQL<number> =>
	sql<number>`(select coalesce(sum(${paymentTranches.amount}), 0) from ${paymentTranches} where ${paymentTranches.grantId} = ${grantId} and +${paymentTranches.status} = 'paid')`;

/** What a grant still owes back. */
export async function owedBackOf(db: Reader, grantId: string) {
	return (await grantFigures(db, grantId)).owedBack;
}
