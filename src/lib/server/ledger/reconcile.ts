import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { fundLedgerSums, funds, grants, ledgerEntries, paymentBatchItems, paymentBatches, paymentTranches, type LedgerKind } from '../db/schema/index.ts';
import { figuresOf, type Sums } from './figures.ts';

/** Each invariant reconcile checks (see docs/money.md), by the name a violation carries. */
export const INVARIANTS = {
	fund_over_committed: 'a fund has committed more than its budget',
	fund_sums_differ: 'a fund’s kept ledger sums (fund_ledger_sums) differ from the sum of its ledger rows',
	fund_ledger_wrong_fund: 'a ledger row of a grant is booked to another fund than the grant’s',
	committed_differs: 'a grant’s committed money (awarded − released) differs between ledger and records',
	released_above_award: 'more of a grant was released than awarded',
	paid_differs: 'a grant’s paid money differs between the ledger and its paid tranches',
	paid_above_award: 'more was paid on a grant than awarded',
	tranches_do_not_add_up: 'a grant’s committed money is not its paid money plus its open tranches',
	owed_back_differs: 'the money owed back differs between the ledger and the grant',
	owed_back_out_of_range: 'a grant owes back less than nothing, or more than it was paid and is still to be paid',
	still_owed_differs: 'what a grant still owes back, as kept on the grant (grants.still_owed), differs from its ledger rows',
	open_tranche_on_ended_grant: 'a tranche is scheduled, due or in payment on a cancelled or closed grant',
	due_before_acceptance: 'a tranche is due or in payment on a grant not yet accepted',
	live_disbursements: 'a tranche does not have exactly one live disbursement while paid and none otherwise',
	processing_without_payment: 'a tranche is in payment without an open payment file entry or Stripe transfer',
	ledger_without_grant: 'ledger rows name a grant that does not exist'
} as const;
export type Invariant = keyof typeof INVARIANTS;

export interface Violation {
	rule: Invariant;
	fundId?: string;
	grantId?: string;
	trancheId?: string;
	/** The figures that disagree (minor units), where there are any. */
	detail?: Record<string, number | string>;
}

const EMPTY: Sums = { commitment: 0, release: 0, disbursement: 0, reversal: 0, receivable: 0, repayment: 0, write_off: 0, offset: 0 };

/**
 * Recomputes every fund's and grant's money from the ledger and checks every money invariant
 * against the records. Linear in the number of rows: five grouped queries, no query per grant.
 * Returns the violations, each named; none is good.
 */
export async function reconcile(db: Reader): Promise<Violation[]> {
	const [byGrant, byFund, grantRows, fundRows, keptSums, tranches, perTranche, openItems] = await Promise.all([
		db.select({ grantId: ledgerEntries.grantId, fundId: ledgerEntries.fundId, kind: ledgerEntries.kind, total: sql<number>`sum(${ledgerEntries.amount})` }).from(ledgerEntries).groupBy(ledgerEntries.grantId, ledgerEntries.fundId, ledgerEntries.kind),
		db.select({ fundId: ledgerEntries.fundId, kind: ledgerEntries.kind, total: sql<number>`sum(${ledgerEntries.amount})` }).from(ledgerEntries).groupBy(ledgerEntries.fundId, ledgerEntries.kind),
		db.select({ id: grants.id, fundId: grants.fundId, status: grants.status, awarded: grants.awardedAmount, released: grants.releasedAmount, owedBack: grants.owedBack, stillOwed: grants.stillOwed, acceptedAt: grants.acceptedAt }).from(grants),
		db.select({ id: funds.id, budget: funds.budget }).from(funds),
		db.select().from(fundLedgerSums),
		db.select({ id: paymentTranches.id, grantId: paymentTranches.grantId, status: paymentTranches.status, amount: paymentTranches.amount, batchId: paymentTranches.batchId }).from(paymentTranches),
		db
			.select({ trancheId: ledgerEntries.trancheId, out: sql<number>`sum(case ${ledgerEntries.kind} when 'disbursement' then 1 when 'reversal' then -1 else 0 end)` })
			.from(ledgerEntries)
			.where(sql`${ledgerEntries.trancheId} is not null and ${ledgerEntries.kind} in ('disbursement', 'reversal')`)
			.groupBy(ledgerEntries.trancheId),
		db
			.select({ trancheId: paymentBatchItems.trancheId })
			.from(paymentBatchItems)
			.innerJoin(paymentBatches, sql`${paymentBatches.id} = ${paymentBatchItems.batchId}`)
			.where(sql`${paymentBatches.status} in ('created', 'sent') and ${paymentBatchItems.status} = 'pending'`)
	]);
	const out: Violation[] = [];
	const grantById = new Map(grantRows.map((g) => [g.id, g]));

	// Funds
	const fundSums = new Map<string, Sums>();
	for (const r of byFund) {
		const s = fundSums.get(r.fundId) ?? { ...EMPTY };
		s[r.kind as LedgerKind] = Number(r.total);
		fundSums.set(r.fundId, s);
	}
	for (const f of fundRows) {
		const sums = fundSums.get(f.id) ?? EMPTY;
		for (const kind of Object.keys(EMPTY) as LedgerKind[]) {
			const kept = keptSums.find((k) => k.fundId === f.id && k.kind === kind)?.total ?? 0;
			if (kept !== sums[kind]) out.push({ rule: 'fund_sums_differ', fundId: f.id, detail: { kind, kept, ledger: sums[kind] } });
		}
		const fig = figuresOf(sums);
		if (fig.committed > f.budget) out.push({ rule: 'fund_over_committed', fundId: f.id, detail: { committed: fig.committed, budget: f.budget } });
	}

	// Grants
	const grantSums = new Map<string, Sums>();
	for (const r of byGrant) {
		if (!r.grantId) continue;
		const g = grantById.get(r.grantId);
		if (!g) {
			out.push({ rule: 'ledger_without_grant', grantId: r.grantId, fundId: r.fundId });
			continue;
		}
		if (g.fundId !== r.fundId) out.push({ rule: 'fund_ledger_wrong_fund', grantId: r.grantId, fundId: r.fundId });
		const s = grantSums.get(r.grantId) ?? { ...EMPTY };
		s[r.kind as LedgerKind] += Number(r.total);
		grantSums.set(r.grantId, s);
	}
	const paidOf = new Map<string, number>();
	const openOf = new Map<string, number>();
	for (const t of tranches) {
		if (t.status === 'paid') paidOf.set(t.grantId, (paidOf.get(t.grantId) ?? 0) + t.amount);
		if (t.status === 'scheduled' || t.status === 'due' || t.status === 'processing') openOf.set(t.grantId, (openOf.get(t.grantId) ?? 0) + t.amount);
	}
	for (const g of grantRows) {
		const s = grantSums.get(g.id) ?? EMPTY;
		const fig = figuresOf(s);
		const committed = s.commitment - s.release;
		if (committed !== g.awarded - g.released) out.push({ rule: 'committed_differs', grantId: g.id, detail: { ledger: committed, records: g.awarded - g.released } });
		if (s.release > s.commitment) out.push({ rule: 'released_above_award', grantId: g.id, detail: { released: s.release, awarded: s.commitment } });
		const paidRecords = paidOf.get(g.id) ?? 0;
		if (fig.paid !== paidRecords) out.push({ rule: 'paid_differs', grantId: g.id, detail: { ledger: fig.paid, records: paidRecords } });
		if (fig.paid > s.commitment) out.push({ rule: 'paid_above_award', grantId: g.id, detail: { paid: fig.paid, awarded: s.commitment } });
		const open = openOf.get(g.id) ?? 0;
		if (committed !== fig.paid + open) out.push({ rule: 'tranches_do_not_add_up', grantId: g.id, detail: { committed, paid: fig.paid, open } });
		if (s.receivable !== g.owedBack) out.push({ rule: 'owed_back_differs', grantId: g.id, detail: { ledger: s.receivable, records: g.owedBack } });
		if (g.stillOwed !== fig.owedBack) out.push({ rule: 'still_owed_differs', grantId: g.id, detail: { ledger: fig.owedBack, kept: g.stillOwed } });
		if (fig.owedBack < 0 || fig.owedBack > fig.paid + open) out.push({ rule: 'owed_back_out_of_range', grantId: g.id, detail: { owedBack: fig.owedBack, paid: fig.paid, open } });
	}
	const live = new Map(perTranche.map((p) => [p.trancheId, Number(p.out)]));
	const inFile = new Set(openItems.map((i) => i.trancheId));
	for (const t of tranches) {
		const g = grantById.get(t.grantId)!;
		const open = t.status === 'scheduled' || t.status === 'due' || t.status === 'processing';
		if (open && (g.status === 'cancelled' || g.status === 'closed')) out.push({ rule: 'open_tranche_on_ended_grant', grantId: g.id, trancheId: t.id, detail: { status: t.status, grant: g.status } });
		if ((t.status === 'due' || t.status === 'processing') && !g.acceptedAt) out.push({ rule: 'due_before_acceptance', grantId: g.id, trancheId: t.id });
		const n = live.get(t.id) ?? 0;
		if (n !== (t.status === 'paid' ? 1 : 0)) out.push({ rule: 'live_disbursements', grantId: g.id, trancheId: t.id, detail: { live: n, status: t.status } });
		// In a payment file: an open entry of a created or sent file. Without a file: a Stripe transfer under way.
		if (t.status === 'processing' && t.batchId && !inFile.has(t.id)) out.push({ rule: 'processing_without_payment', grantId: g.id, trancheId: t.id });
	}
	return out;
}

/** One line per violation, for people. */
export const describeViolation = (v: Violation) =>
	`${v.rule}: ${INVARIANTS[v.rule]}${v.fundId ? ` · fund ${v.fundId}` : ''}${v.grantId ? ` · grant ${v.grantId}` : ''}${v.trancheId ? ` · tranche ${v.trancheId}` : ''}${v.detail ? ` · ${Object.entries(v.detail).map(([k, x]) => `${k} ${x}`).join(', ')}` : ''}`;
