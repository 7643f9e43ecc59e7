import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { funds } from './grants.ts';
import { grants, paymentTranches } from './reviews.ts';

/**
 * commitment: an award; release: award no longer needed (cancelled, waived, netted against unspent
 * money); disbursement / reversal: money out and back; receivable: unspent money the grantee owes
 * back; repayment: owed money paid back; write_off: owed money given up by two people's decision;
 * offset: owed money settled by a payment the bank returned after the grant ended.
 */
export const LEDGER_KINDS = ['commitment', 'release', 'disbursement', 'reversal', 'receivable', 'repayment', 'write_off', 'offset'] as const;
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
		// Covering: fund figures are summed from the index alone.
		index('ledger_fund_idx').on(t.fundId, t.kind, t.amount),
		index('ledger_grant_idx').on(t.grantId, t.kind, t.at),
		index('ledger_tranche_idx').on(t.trancheId)
	]
);

/**
 * A pain.001 payment file: created from chosen due tranches (they are then processing), sent to
 * the bank by finance (each payment is booked as disbursed), and settled payment by payment as
 * the bank confirms or returns them. The exact file is kept, so what was sent can be shown again.
 */
export const paymentBatches = sqliteTable(
	'payment_batches',
	{
		id: text('id').primaryKey(),
		messageId: text('message_id').notNull(),
		version: text('version', { enum: ['09', '03'] }).notNull(),
		currency: text('currency').notNull(),
		status: text('status', { enum: ['created', 'sent', 'settled', 'cancelled'] }).notNull(),
		count: integer('count').notNull(),
		/** Minor units. */
		total: integer('total').notNull(),
		xml: text('xml').notNull(),
		createdBy: text('created_by').notNull(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		sentBy: text('sent_by'),
		sentAt: integer('sent_at', { mode: 'timestamp_ms' })
	},
	(t) => [uniqueIndex('payment_batches_message_unique').on(t.messageId), index('payment_batches_status_idx').on(t.status, t.createdAt)]
);

export const paymentBatchItems = sqliteTable(
	'payment_batch_items',
	{
		batchId: text('batch_id')
			.notNull()
			.references(() => paymentBatches.id),
		trancheId: text('tranche_id')
			.notNull()
			.references(() => paymentTranches.id),
		/** The tranche's payment attempt this item is. */
		attempt: integer('attempt').notNull(),
		amount: integer('amount').notNull(),
		status: text('status', { enum: ['pending', 'sent', 'paid', 'failed', 'removed'] }).notNull(),
		settledBy: text('settled_by'),
		settledAt: integer('settled_at', { mode: 'timestamp_ms' })
	},
	(t) => [primaryKey({ columns: [t.batchId, t.trancheId] }), index('payment_batch_items_tranche_idx').on(t.trancheId)]
);

/** Stripe webhook events already handled: a replayed event changes nothing. */
export const stripeEvents = sqliteTable('stripe_events', {
	id: text('id').primaryKey(),
	type: text('type').notNull(),
	receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull()
});

/**
 * Writing off money owed back takes two people: one proposes (finance or officer), a person of the
 * other role confirms. Only the confirmation books a ledger row.
 */
export const writeOffs = sqliteTable(
	'write_offs',
	{
		id: text('id').primaryKey(),
		grantId: text('grant_id')
			.notNull()
			.references(() => grants.id),
		amount: integer('amount').notNull(),
		reason: text('reason').notNull(),
		status: text('status', { enum: ['proposed', 'confirmed', 'withdrawn'] }).notNull(),
		proposedBy: text('proposed_by').notNull(),
		/** The role the proposer acted in; the confirmer must hold the other one. */
		proposedAs: text('proposed_as', { enum: ['finance', 'officer'] }).notNull(),
		proposedAt: integer('proposed_at', { mode: 'timestamp_ms' }).notNull(),
		decidedBy: text('decided_by'),
		decidedAt: integer('decided_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('write_offs_grant_idx').on(t.grantId, t.status), index('write_offs_status_idx').on(t.status, t.proposedAt)]
);

/**
 * A read model of each fund's ledger: the sum of its rows per kind, kept by a trigger on every
 * ledger row appended (migration 0023; ledger rows are never changed or deleted), so a fund's
 * figures do not grow with its ledger. reconcile checks it against the rows themselves.
 */
export const fundLedgerSums = sqliteTable(
	'fund_ledger_sums',
	{
		fundId: text('fund_id')
			.notNull()
			.references(() => funds.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
		/** Minor units. */
		total: integer('total').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.fundId, t.kind] })]
);

/**
 * Counters that triggers add to whenever data that a kept result depends on changes (migration
 * 0025): `statistics` — grants, applications' states and dates, disbursements, accepted reports
 * and neighbourhoods. A result kept in memory is keyed by its counter, so it is never older than
 * the last write that could change it, whichever process made the write.
 */
export const readRevisions = sqliteTable('read_revisions', {
	name: text('name').primaryKey(),
	revision: integer('revision').notNull().default(0)
});

/**
 * How many submitted applications there are per call, applicant kind and state (neighbourhood_id
 * ''), and per neighbourhood reached (neighbourhood_id set): the staff list's counts by state for
 * any filter of call, kind and neighbourhood, read from a few rows instead of counted over every
 * application. Kept by triggers on applications and application_neighbourhoods (migration 0026).
 */
export const applicationCounts = sqliteTable(
	'application_counts',
	{
		callId: text('call_id').notNull(),
		applicantKind: text('applicant_kind').notNull(),
		neighbourhoodId: text('neighbourhood_id').notNull(),
		status: text('status').notNull(),
		n: integer('n').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.neighbourhoodId, t.callId, t.applicantKind, t.status] })]
);
