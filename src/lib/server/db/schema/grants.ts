import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
	APPLICATION_STATUSES,
	BUDGET_CATEGORIES,
	CALL_STATUSES,
	CURRENCIES,
	FUND_STATUSES,
	MESSAGE_VISIBILITIES,
	ORGANISATION_KINDS,
	type ApplicantKind,
	type PaymentStep
} from '../../../domain.ts';
import { LOCALES, users } from './users.ts';
import { neighbourhoods } from './neighbourhoods.ts';

const ts = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const organisations = sqliteTable(
	'organisations',
	{
		id: text('id').primaryKey(),
		kind: text('kind', { enum: ORGANISATION_KINDS }).notNull(),
		name: text('name').notNull(),
		orgNumber: text('org_number'),
		address: text('address').notNull().default(''),
		neighbourhoodId: text('neighbourhood_id').references(() => neighbourhoods.id),
		contactEmail: text('contact_email').notNull(),
		contactPhone: text('contact_phone').notNull().default(''),
		createdAt: ts('created_at').notNull(),
		/** A programme officer checked the organisation number against the official register. */
		verifiedAt: ts('verified_at'),
		verifiedBy: text('verified_by')
	},
	// An organisation number is registered once; joining goes through an invitation.
	(t) => [index('organisations_name_idx').on(t.name), uniqueIndex('organisations_number_unique').on(t.orgNumber).where(sql`org_number is not null`)]
);

export const organisationMembers = sqliteTable(
	'organisation_members',
	{
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ['owner', 'member'] }).notNull(),
		createdAt: ts('created_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.organisationId, t.userId] }), index('organisation_members_user_idx').on(t.userId)]
);

/** An emailed invitation to join an organisation; only the SHA-256 of its token is stored. */
export const organisationInvitations = sqliteTable(
	'organisation_invitations',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		invitedBy: text('invited_by').notNull(),
		createdAt: ts('created_at').notNull(),
		expiresAt: ts('expires_at').notNull(),
		acceptedAt: ts('accepted_at'),
		acceptedBy: text('accepted_by')
	},
	(t) => [index('organisation_invitations_org_idx').on(t.organisationId)]
);

/**
 * Someone who belongs to an organisation already registered asks to join it without an
 * invitation; a programme officer approves or refuses.
 */
export const organisationJoinRequests = sqliteTable(
	'organisation_join_requests',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		message: text('message').notNull().default(''),
		status: text('status', { enum: ['pending', 'approved', 'refused'] }).notNull(),
		createdAt: ts('created_at').notNull(),
		decidedBy: text('decided_by'),
		decidedAt: ts('decided_at')
	},
	(t) => [index('join_requests_status_idx').on(t.status, t.createdAt), uniqueIndex('join_requests_pending_unique').on(t.organisationId, t.userId).where(sql`status = 'pending'`)]
);

export const funds = sqliteTable('funds', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	currency: text('currency', { enum: CURRENCIES }).notNull(),
	/** Minor units (öre, cents). */
	budget: integer('budget').notNull(),
	periodStart: text('period_start').notNull(),
	periodEnd: text('period_end').notNull(),
	status: text('status', { enum: FUND_STATUSES }).notNull().default('active'),
	createdAt: ts('created_at').notNull()
});

export const calls = sqliteTable(
	'calls',
	{
		id: text('id').primaryKey(),
		fundId: text('fund_id')
			.notNull()
			.references(() => funds.id),
		title: text('title').notNull(),
		/** The language the call's own texts (title, description, criteria, milestones) are written in; pages mark them with it. */
		language: text('language', { enum: LOCALES }),
		/** Markdown; rendered sanitised. */
		description: text('description').notNull().default(''),
		opensAt: ts('opens_at').notNull(),
		/** Null for a rolling call. */
		closesAt: ts('closes_at'),
		minAmount: integer('min_amount').notNull(),
		maxAmount: integer('max_amount').notNull(),
		eligibleKinds: text('eligible_kinds', { mode: 'json' }).$type<ApplicantKind[]>().notNull(),
		reviewersPerApplication: integer('reviewers_per_application').notNull().default(2),
		decisionDays: integer('decision_days').notNull().default(21),
		paymentTemplate: text('payment_template', { mode: 'json' }).$type<PaymentStep[]>().notNull(),
		/** Reviewers see no names, organisation, contact or file names of applicants. */
		hideIdentity: integer('hide_identity', { mode: 'boolean' }).notNull().default(false),
		/** Days reviewers have from assignment to the due date. */
		reviewDays: integer('review_days').notNull().default(14),
		/** Grant terms the grantee accepts, in each language, and their version (raised on change). */
		termsEn: text('terms_en').notNull().default(''),
		termsSv: text('terms_sv').notNull().default(''),
		termsNl: text('terms_nl').notNull().default(''),
		termsVersion: integer('terms_version').notNull().default(1),
		/** Milestones of each grant: title and months after acceptance; the last is the final report. */
		milestoneTemplate: text('milestone_template', { mode: 'json' }).$type<{ title: string; months: number }[]>().notNull().default([]),
		status: text('status', { enum: CALL_STATUSES }).notNull().default('draft'),
		publishedAt: ts('published_at'),
		createdAt: ts('created_at').notNull()
	},
	(t) => [index('calls_status_idx').on(t.status, t.opensAt), index('calls_fund_idx').on(t.fundId)]
);

/**
 * A read model of each call's public outcome, kept by triggers in the same write that changes
 * applications or grants (migration 0021): how many applied (sent an application), how many
 * grants are funded (active, completed or closed) and what they were awarded. Checked against a
 * recomputation by transparency/call-figures.ts.
 */
export const callFigures = sqliteTable('call_figures', {
	callId: text('call_id')
		.primaryKey()
		.references(() => calls.id, { onDelete: 'cascade' }),
	applied: integer('applied').notNull().default(0),
	funded: integer('funded').notNull().default(0),
	/** Minor units. */
	awarded: integer('awarded').notNull().default(0),
	/** Counts every change to the call's ranked application_scores (a kept ranking is keyed by it). */
	scoreRevision: integer('score_revision').notNull().default(0),
	/** Applications in the ranking (in review, approved or rejected). */
	ranked: integer('ranked').notNull().default(0),
	/** Applications decided (approved or rejected), and the sum of their days from sending to decision (each rounded). */
	decided: integer('decided').notNull().default(0),
	decisionDays: integer('decision_days').notNull().default(0)
});

export const criteria = sqliteTable(
	'criteria',
	{
		id: text('id').primaryKey(),
		callId: text('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		name: text('name').notNull(),
		guidance: text('guidance').notNull().default(''),
		weight: integer('weight').notNull(),
		/** Scores run from 1 to scaleMax. */
		scaleMax: integer('scale_max').notNull()
	},
	(t) => [index('criteria_call_idx').on(t.callId, t.position)]
);

export const applications = sqliteTable(
	'applications',
	{
		/** A short number people can quote on the phone ("application 1042"). */
		id: integer('id').primaryKey({ autoIncrement: true }),
		callId: text('call_id')
			.notNull()
			.references(() => calls.id),
		applicantId: text('applicant_id')
			.notNull()
			.references(() => users.id),
		organisationId: text('organisation_id').references(() => organisations.id),
		/** The organisation's kind, or "individual"; fixed at creation. */
		applicantKind: text('applicant_kind').$type<ApplicantKind>().notNull(),
		status: text('status', { enum: APPLICATION_STATUSES }).notNull().default('draft'),
		title: text('title').notNull().default(''),
		/** The language the applicant writes in (their language when they started); pages mark the texts with it. */
		language: text('language', { enum: LOCALES }),
		summary: text('summary').notNull().default(''),
		description: text('description').notNull().default(''),
		targetGroups: text('target_groups', { mode: 'json' }).$type<string[]>().notNull().default([]),
		expectedParticipants: integer('expected_participants'),
		volunteers: integer('volunteers'),
		partners: text('partners').notNull().default(''),
		startDate: text('start_date'),
		endDate: text('end_date'),
		/** Minor units; equals the sum of the budget lines when submitted. */
		requestedAmount: integer('requested_amount').notNull().default(0),
		coFunding: integer('co_funding').notNull().default(0),
		/** A resident applying alone agreed to be named in the public register (otherwise "a resident of …"). */
		publicName: integer('public_name', { mode: 'boolean' }).notNull().default(false),
		/** Main neighbourhood (the first of those reached), for lists and statistics. */
		neighbourhoodId: text('neighbourhood_id').references(() => neighbourhoods.id),
		createdAt: ts('created_at').notNull(),
		updatedAt: ts('updated_at').notNull(),
		submittedAt: ts('submitted_at'),
		screenedAt: ts('screened_at'),
		decidedAt: ts('decided_at'),
		withdrawnAt: ts('withdrawn_at'),
		screeningNote: text('screening_note'),
		/** The reason the applicant reads when not funded. */
		decisionReason: text('decision_reason'),
		decidedBy: text('decided_by')
	},
	(t) => [
		index('applications_call_status_idx').on(t.callId, t.status, t.id),
		index('applications_status_idx').on(t.status, t.id),
		// Applications waiting in a state, oldest sent first (the to-do's applications to screen).
		index('applications_waiting_idx').on(t.status, t.submittedAt),
		index('applications_applicant_idx').on(t.applicantId),
		index('applications_org_idx').on(t.organisationId),
		index('applications_neighbourhood_idx').on(t.neighbourhoodId, t.status),
		index('applications_kind_idx').on(t.applicantKind, t.status),
		index('applications_submitted_idx').on(t.submittedAt),
		// The staff list's orders, over submitted applications (read from the index alone).
		index('applications_call_idx').on(t.callId, t.id),
		index('applications_title_idx').on(t.title, t.id).where(sql`submitted_at IS NOT NULL`),
		index('applications_amount_idx').on(t.requestedAmount, t.id).where(sql`submitted_at IS NOT NULL`)
	]
);

export const applicationNeighbourhoods = sqliteTable(
	'application_neighbourhoods',
	{
		applicationId: integer('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		neighbourhoodId: text('neighbourhood_id')
			.notNull()
			.references(() => neighbourhoods.id)
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.neighbourhoodId] }), index('application_neighbourhoods_n_idx').on(t.neighbourhoodId, t.applicationId)]
);

export const budgetLines = sqliteTable(
	'budget_lines',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		applicationId: integer('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		item: text('item').notNull(),
		category: text('category', { enum: BUDGET_CATEGORIES }).notNull(),
		amount: integer('amount').notNull()
	},
	(t) => [index('budget_lines_app_idx').on(t.applicationId, t.position)]
);

export const attachments = sqliteTable(
	'attachments',
	{
		/** Random id; also the file's name on disk. */
		id: text('id').primaryKey(),
		applicationId: integer('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		fileName: text('file_name').notNull(),
		contentType: text('content_type').notNull(),
		size: integer('size').notNull(),
		uploadedBy: text('uploaded_by').notNull(),
		createdAt: ts('created_at').notNull()
	},
	(t) => [index('attachments_app_idx').on(t.applicationId)]
);

export const applicationMessages = sqliteTable(
	'application_messages',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		applicationId: integer('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id),
		body: text('body').notNull(),
		/** The language the message is written in (its author's). */
		language: text('language', { enum: LOCALES }),
		visibility: text('visibility', { enum: MESSAGE_VISIBILITIES }).notNull(),
		createdAt: ts('created_at').notNull()
	},
	(t) => [index('application_messages_app_idx').on(t.applicationId, t.createdAt)]
);

