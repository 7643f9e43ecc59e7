import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PAYOUT_ACCOUNT_KINDS, REPORT_STATUSES } from '../../../domain.ts';
import { LOCALES, users } from './users.ts';
import { budgetLines } from './grants.ts';
import { grants } from './reviews.ts';

const ts = (name: string) => integer(name, { mode: 'timestamp_ms' });

/**
 * Where a grant is paid. Details given when the offer is accepted are confirmed at once; a
 * change afterwards waits for an officer's confirmation before any payment uses it.
 */
export const payoutAccounts = sqliteTable(
	'payout_accounts',
	{
		id: text('id').primaryKey(),
		grantId: text('grant_id')
			.notNull()
			.references(() => grants.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: PAYOUT_ACCOUNT_KINDS }).notNull(),
		/** IBAN (electronic format), the bankgiro / plusgiro number (digits only), or the Stripe account id. */
		account: text('account').notNull(),
		bic: text('bic'),
		holderName: text('holder_name').notNull(),
		status: text('status', { enum: ['pending', 'confirmed', 'superseded', 'rejected'] }).notNull(),
		createdBy: text('created_by').notNull(),
		createdAt: ts('created_at').notNull(),
		confirmedBy: text('confirmed_by'),
		confirmedAt: ts('confirmed_at')
	},
	(t) => [index('payout_accounts_grant_idx').on(t.grantId, t.status), index('payout_accounts_status_idx').on(t.status, t.createdAt)]
);

export const milestones = sqliteTable(
	'milestones',
	{
		id: text('id').primaryKey(),
		grantId: text('grant_id')
			.notNull()
			.references(() => grants.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		title: text('title').notNull(),
		/** The language the title is written in (the call's, the grantee's for the default final report, or the officer's who set it). */
		language: text('language', { enum: LOCALES }),
		dueDate: text('due_date').notNull(),
		/** The final report closes the project and declares unspent money. */
		isFinal: integer('is_final', { mode: 'boolean' }).notNull().default(false),
		remindedBeforeAt: ts('reminded_before_at'),
		remindedAfterAt: ts('reminded_after_at'),
		/** Its report was accepted: kept by triggers on reports (migration 0027), so that overdue milestones are read from an index of the open ones. */
		accepted: integer('accepted', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [index('milestones_grant_idx').on(t.grantId, t.position), index('milestones_due_idx').on(t.dueDate), index('milestones_open_idx').on(t.dueDate, t.grantId).where(sql`accepted = 0`)]
);

export const reports = sqliteTable(
	'reports',
	{
		id: text('id').primaryKey(),
		milestoneId: text('milestone_id')
			.notNull()
			.references(() => milestones.id, { onDelete: 'cascade' }),
		grantId: text('grant_id')
			.notNull()
			.references(() => grants.id, { onDelete: 'cascade' }),
		narrative: text('narrative').notNull().default(''),
		/** The language the report's texts are written in (of the person who last saved it). */
		language: text('language', { enum: LOCALES }),
		participants: integer('participants'),
		/** Participants per neighbourhood id, for the equity statistics. */
		participantsByNeighbourhood: text('participants_by_neighbourhood', { mode: 'json' }).$type<Record<string, number>>().notNull().default({}),
		/** Minor units; declared in the final report. */
		unspentAmount: integer('unspent_amount'),
		status: text('status', { enum: REPORT_STATUSES }).notNull().default('draft'),
		feedback: text('feedback'),
		/** The language of the feedback (the reviewing officer's). */
		feedbackLanguage: text('feedback_language', { enum: LOCALES }),
		updatedAt: ts('updated_at').notNull(),
		submittedAt: ts('submitted_at'),
		reviewedAt: ts('reviewed_at'),
		reviewedBy: text('reviewed_by')
	},
	(t) => [uniqueIndex('reports_milestone_unique').on(t.milestoneId), index('reports_grant_idx').on(t.grantId, t.status), index('reports_status_idx').on(t.status, t.submittedAt)]
);

export const reportSpending = sqliteTable(
	'report_spending',
	{
		reportId: text('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		budgetLineId: integer('budget_line_id')
			.notNull()
			.references(() => budgetLines.id),
		/** Minor units spent on the line so far. */
		amount: integer('amount').notNull()
	},
	(t) => [primaryKey({ columns: [t.reportId, t.budgetLineId] })]
);

export const reportFiles = sqliteTable(
	'report_files',
	{
		id: text('id').primaryKey(),
		reportId: text('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		fileName: text('file_name').notNull(),
		contentType: text('content_type').notNull(),
		size: integer('size').notNull(),
		uploadedBy: text('uploaded_by')
			.notNull()
			.references(() => users.id),
		createdAt: ts('created_at').notNull()
	},
	(t) => [index('report_files_report_idx').on(t.reportId)]
);
