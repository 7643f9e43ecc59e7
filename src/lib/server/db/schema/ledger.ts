import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { funds } from './grants.ts';
import { grants, paymentTranches } from './reviews.ts';

export const LEDGER_KINDS = ['commitment', 'release', 'disbursement', 'reversal', 'repayment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * Every movement of money, appended and never changed (triggers refuse UPDATE and DELETE):
 * an award commits, cancelling or closing releases, a payment disburses, a failed or reversed
 * payment reverses, money paid back is a repayment. Amounts are positive minor units; the kind
 * says which way they count. The idempotency key is unique, so a retried request cannot book twice.
 */
export const ledgerEntries = sqliteTable(
	'ledger_entries',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		fundId: text('fund_id')
			.notNull()
			.references(() => funds.id),
		grantId: text('grant_id').references(() => grants.id),
		trancheId: text('tranche_id').references(() => paymentTranches.id),
		kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
		amount: integer('amount').notNull(),
		method: text('method', { enum: ['bank_transfer', 'stripe', 'pain001'] }),
		reference: text('reference'),
		reason: text('reason'),
		idempotencyKey: text('idempotency_key').notNull(),
		actorId: text('actor_id'),
		at: integer('at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		uniqueIndex('ledger_idempotency_unique').on(t.idempotencyKey),
		index('ledger_fund_idx').on(t.fundId, t.kind),
		index('ledger_grant_idx').on(t.grantId),
		index('ledger_tranche_idx').on(t.trancheId)
	]
);
