import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PAYMENT_TRIGGERS, RECOMMENDATIONS, TIE_KINDS, TRANCHE_STATUSES } from '../../../domain.ts';
import { LOCALES, users } from './users.ts';
import { applications, calls, criteria, funds, organisations } from './grants.ts';

const ts = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** A reviewer's standing declaration of ties to organisations (board, work, family…). */
export const reviewerTies = sqliteTable(
	'reviewer_ties',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: TIE_KINDS }).notNull(),
		createdAt: ts('created_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.organisationId] }), index('reviewer_ties_org_idx').on(t.organisationId)]
);

/** The reviewers staff appointed to a call. */
export const callReviewers = sqliteTable(
	'call_reviewers',
	{
		callId: text('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		appointedBy: text('appointed_by').notNull(),
		createdAt: ts('created_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.callId, t.userId] })]
);

/**
 * A reviewer's assignment to an application. It is live while released_at is null; a declared
 * conflict or an unassignment releases it (the row stays, for the record).
 */
export const reviewAssignments = sqliteTable(
	'review_assignments',
	{
		id: text('id').primaryKey(),
		applicationId: integer('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		reviewerId: text('reviewer_id')
			.notNull()
			.references(() => users.id),
		assignedBy: text('assigned_by').notNull(),
		assignedAt: ts('assigned_at').notNull(),
		dueAt: ts('due_at').notNull(),
		/** null: not yet declared; 'none': declared free of conflict; 'declared': conflict (released). */
		conflict: text('conflict', { enum: ['none', 'declared'] }),
		conflictReason: text('conflict_reason'),
		declaredAt: ts('declared_at'),
		releasedAt: ts('released_at'),
		remindedBeforeAt: ts('reminded_before_at'),
		remindedAfterAt: ts('reminded_after_at')
	},
	(t) => [
		index('assignments_app_idx').on(t.applicationId, t.releasedAt),
		// A reviewer's queue in due order, read from their own assignments.
		index('assignments_reviewer_idx').on(t.reviewerId, t.releasedAt, t.dueAt),
		index('assignments_due_idx').on(t.releasedAt, t.dueAt)
	]
);

export const reviews = sqliteTable(
	'reviews',
	{
		id: text('id').primaryKey(),
		assignmentId: text('assignment_id')
			.notNull()
			.references(() => reviewAssignments.id),
		applicationId: integer('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		reviewerId: text('reviewer_id')
			.notNull()
			.references(() => users.id),
		recommendation: text('recommendation', { enum: RECOMMENDATIONS }),
		/** Minor units; optional. */
		suggestedAmount: integer('suggested_amount'),
		commentsForStaff: text('comments_for_staff').notNull().default(''),
		/** The language the justifications and comments are written in (the reviewer's). */
		language: text('language', { enum: LOCALES }),
		updatedAt: ts('updated_at').notNull(),
		submittedAt: ts('submitted_at'),
		/**
		 * The review's weighted score (0–100), stored when it is submitted with every criterion
		 * scored (criteria are locked by then, and a submitted review never changes); null before.
		 */
		weightedScore: real('weighted_score')
	},
	(t) => [uniqueIndex('reviews_assignment_unique').on(t.assignmentId), index('reviews_app_idx').on(t.applicationId, t.submittedAt)]
);

/**
 * A read model of each application's scores, kept by triggers in the same write that submits a
 * review or changes the application (migration 0024): its call, state and request, how many
 * reviews are scored, their sum, lowest and highest, and the key it ranks by (the mean score, or
 * −1 while unscored). The ranking of a call reads one page of it in rank order from an index.
 * Checked against a recomputation by reviews/read-models.ts.
 */
export const applicationScores = sqliteTable(
	'application_scores',
	{
		applicationId: integer('application_id')
			.primaryKey()
			.references(() => applications.id, { onDelete: 'cascade' }),
		callId: text('call_id').notNull(),
		status: text('status').notNull(),
		/** Minor units. */
		requestedAmount: integer('requested_amount').notNull(),
		/** How many reviews are scored. */
		scored: integer('scored').notNull().default(0),
		total: real('total').notNull().default(0),
		lowest: real('lowest'),
		highest: real('highest'),
		rankKey: real('rank_key').notNull().default(-1),
		/** Reviewers assigned and not released (migration 0027): the to-do's applications still lacking reviewers read the few below their call's number from an index. */
		liveReviewers: integer('live_reviewers').notNull().default(0)
	},
	(t) => [
		index('application_scores_rank_idx')
			.on(t.callId, sql`${t.rankKey} desc`, t.applicationId, t.status, t.requestedAmount)
			.where(sql`${t.status} in ('in_review', 'approved', 'rejected')`),
		index('application_scores_call_idx').on(t.callId, t.applicationId),
		index('application_scores_lacking_idx').on(t.callId, t.liveReviewers).where(sql`${t.status} = 'in_review'`)
	]
);

/**
 * A read model of each reviewer's scores in a call (count, sum, sum of squares), kept by the same
 * triggers: what reviewer-normalised scores need without reading every review of the call.
 */
export const callReviewerStats = sqliteTable(
	'call_reviewer_stats',
	{
		callId: text('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		reviewerId: text('reviewer_id').notNull(),
		n: integer('n').notNull().default(0),
		total: real('total').notNull().default(0),
		squares: real('squares').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.callId, t.reviewerId] })]
);

export const reviewScores = sqliteTable(
	'review_scores',
	{
		reviewId: text('review_id')
			.notNull()
			.references(() => reviews.id, { onDelete: 'cascade' }),
		criterionId: text('criterion_id')
			.notNull()
			.references(() => criteria.id),
		score: integer('score'),
		justification: text('justification').notNull().default('')
	},
	(t) => [primaryKey({ columns: [t.reviewId, t.criterionId] })]
);

export const grants = sqliteTable(
	'grants',
	{
		id: text('id').primaryKey(),
		applicationId: integer('application_id')
			.notNull()
			.references(() => applications.id),
		fundId: text('fund_id')
			.notNull()
			.references(() => funds.id),
		/** Minor units. */
		awardedAmount: integer('awarded_amount').notNull(),
		conditions: text('conditions').notNull().default(''),
		status: text('status', { enum: ['offered', 'active', 'completed', 'closed', 'cancelled'] }).notNull().default('offered'),
		approvedBy: text('approved_by').notNull(),
		createdAt: ts('created_at').notNull(),
		/** The part of the award no longer committed: the undisbursed rest on cancelling, the unspent money on closing. */
		releasedAmount: integer('released_amount').notNull().default(0),
		/** The version of the terms the grantee accepted, who and when. */
		termsVersion: integer('terms_version'),
		acceptedAt: ts('accepted_at'),
		acceptedBy: text('accepted_by'),
		completedAt: ts('completed_at'),
		closedAt: ts('closed_at'),
		cancelledAt: ts('cancelled_at'),
		cancelReason: text('cancel_reason'),
		/** Unspent money declared in the final report, owed back (minor units). */
		owedBack: integer('owed_back').notNull().default(0),
		/** The application's call, copied by a trigger when the grant is made (migration 0027), so that lists by call read grants alone. */
		callId: text('call_id'),
		/** What the grantee still owes back (minor units): receivables less repayments, write-offs and offsets, kept by a trigger on each ledger row (migration 0028); reconcile checks it. */
		stillOwed: integer('still_owed').notNull().default(0)
	},
	// One live grant per application; a cancelled one (a reversed decision) stays on record beside it.
	(t) => [uniqueIndex('grants_application_live_unique').on(t.applicationId).where(sql`status <> 'cancelled'`), index('grants_fund_idx').on(t.fundId, t.status), index('grants_application_idx').on(t.applicationId), index('grants_created_idx').on(t.createdAt, t.id),
		index('grants_call_idx').on(t.callId, t.createdAt, t.id),
		// Lists by state (the register's public states, staff's filter, the active ones for overdue reports), covering the register's count and years.
		index('grants_status_idx').on(t.status, t.createdAt, t.acceptedAt),
		// Finance's list of money owed back.
		index('grants_owing_idx').on(t.closedAt).where(sql`owed_back > 0`),
		// … and those that still owe some.
		index('grants_still_owed_idx').on(t.closedAt).where(sql`still_owed > 0`)
	]
);

export const paymentTranches = sqliteTable(
	'payment_tranches',
	{
		id: text('id').primaryKey(),
		grantId: text('grant_id')
			.notNull()
			.references(() => grants.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		percent: integer('percent').notNull(),
		/** Minor units; the tranches of a grant add up to its awarded amount exactly. */
		amount: integer('amount').notNull(),
		trigger: text('trigger', { enum: PAYMENT_TRIGGERS }).notNull(),
		/** For trigger 'milestone': the position of the milestone whose accepted report makes it due. */
		milestonePosition: integer('milestone_position'),
		/**
		 * processing: in a payment file or a Stripe transfer not yet settled; waived: released with a
		 * reason (netted against unspent money, or waived by an officer before closing).
		 */
		status: text('status', { enum: TRANCHE_STATUSES }).notNull().default('scheduled'),
		/** Minor units taken off the planned amount by netting declared unspent money (amount + netted = planned). */
		netted: integer('netted').notNull().default(0),
		waivedReason: text('waived_reason'),
		waivedBy: text('waived_by'),
		/** How many times payment was attempted; part of each attempt's idempotency key. */
		attempts: integer('attempts').notNull().default(0),
		/** When it last became due (its trigger held, or a failed payment made it due again). */
		dueAt: integer('due_at', { mode: 'timestamp_ms' }),
		paidAt: integer('paid_at', { mode: 'timestamp_ms' }),
		paidBy: text('paid_by'),
		/** A payment above the configured amount needs a second finance user's approval first. */
		approvedForPaymentBy: text('approved_for_payment_by'),
		approvedForPaymentAt: integer('approved_for_payment_at', { mode: 'timestamp_ms' }),
		/** The payment file batch it is in, while processing or after. */
		batchId: text('batch_id'),
		stripeTransferId: text('stripe_transfer_id')
	},
	(t) => [
		index('tranches_grant_idx').on(t.grantId, t.position),
		index('tranches_status_idx').on(t.status, t.paidAt),
		index('tranches_due_idx').on(t.status, t.dueAt, t.id),
		index('tranches_transfer_idx').on(t.stripeTransferId),
		// Payments above the threshold still waiting for a second approval (finance's to-do): few among many due.
		index('tranches_unapproved_idx').on(t.amount).where(sql`status = 'due' and approved_for_payment_by is null`)
	]
);
