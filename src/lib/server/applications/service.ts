import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { alias, union } from 'drizzle-orm/sqlite-core';
import type { Actor, Ctx } from '../context.ts';
import type { Reader, Tx } from '../db/client.ts';
import {
	applicationMessages,
	applicationNeighbourhoods,
	applications,
	auditEvents,
	budgetLines,
	calls,
	funds,
	neighbourhoods,
	organisationMembers,
	organisations,
	users
} from '../db/schema/index.ts';
import { audit, keptUntilChange } from '../audit/service.ts';
import { requireActor } from '../auth/authorize.ts';
import { queueEmail } from '../email/outbox.ts';
import { DomainError, notFound, type Issue } from '../errors.ts';
import { boundedPage, LIST_DEPTH, pageOf, inIdOrder, THREAD_PAGE_SIZE } from '../pagination.ts';
import { keptCounts, searchCounts } from './counts.ts';
import { callPhase } from '../calls/service.ts';
import { membershipOf } from '../organisations/service.ts';
import { APPLICATION_STATUSES, isCount, isMoney, BUDGET_CATEGORIES, LIMITS, TARGET_GROUPS, type ApplicantKind, type ApplicationStatus, type BudgetCategory, type MessageVisibility } from '../../domain.ts';
import { isIsoDate } from '../time.ts';
import { transition, type Party } from './workflow.ts';
import { mayAll, type Action } from '../access/policy.ts';
import { assertMayOnApplication, relationsTo } from '../access/relations.ts';
import { applicationById, applicationContext, attachmentsOf, budgetLinesOf, eventsOf, liveGrantOf, messagesOf, neighbourhoodsOf, tranchesOf } from './kept-queries.ts';

type ApplicationRow = typeof applications.$inferSelect;
const isStaffActor = (a: Actor) => a.roles.includes('officer') || a.roles.includes('admin');

/**
 * How the actor relates to an application: its applicant side (who started it, or a member of
 * its organisation), staff (officers and admins, once it has been submitted), or nothing —
 * which callers turn into "not found". The applicant side wins, so nobody screens their own.
 */
export async function partyOf(db: Reader, actor: Actor | null, app: ApplicationRow): Promise<Party | null> {
	if (!actor) return null;
	if (app.applicantId === actor.id) return 'applicant';
	if (app.organisationId && (await membershipOf(db, app.organisationId, actor.id))) return 'applicant';
	if (isStaffActor(actor) && app.submittedAt) return 'staff';
	return null;
}

/** Loads an application the actor may see, with how they relate to it. Refuses: not_found. */
async function loadFor(db: Reader, ctx: Ctx, id: number) {
	const actor = requireActor(ctx);
	if (!Number.isSafeInteger(id)) throw notFound();
	const [app] = await applicationById(db, id);
	if (!app) throw notFound();
	const party = await partyOf(db, actor, app);
	if (!party) throw notFound();
	return { app, party, actor };
}

async function refreshSearch(tx: Tx, id: number) {
	await tx.run(sql`delete from applications_fts where rowid = ${id}`);
	await tx.run(sql`insert into applications_fts (rowid, title, summary, organisation)
		select a.id, a.title, a.summary, coalesce(o.name, '') from applications a left join organisations o on o.id = a.organisation_id where a.id = ${id}`);
}

// ---------------------------------------------------------------- starting and editing

/**
 * A signed-in user starts a draft for an open call, for one of their organisations or as a
 * resident. Refuses: not_found (call), invalid_state (call not open), invalid (kind not eligible).
 */
export async function startApplication(ctx: Ctx, callId: string, organisationId: string | null) {
	const actor = requireActor(ctx);
	return ctx.database.write(async (tx) => {
		const [call] = await tx.select().from(calls).where(and(eq(calls.id, callId), eq(calls.status, 'published')));
		if (!call) throw notFound();
		if (callPhase(call, ctx.now) !== 'open') throw new DomainError('invalid_state', 'error_call_not_open');
		let kind: ApplicantKind = 'individual';
		let neighbourhoodId: string | null = null;
		if (organisationId) {
			if (!(await membershipOf(tx, organisationId, actor.id))) throw notFound();
			const [org] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
			kind = org.kind;
			neighbourhoodId = org.neighbourhoodId;
		}
		if (!call.eligibleKinds.includes(kind)) throw new DomainError('invalid', 'error_kind_not_eligible', 'organisationId');
		const [row] = await tx
			.insert(applications)
			.values({ callId, applicantId: actor.id, organisationId, applicantKind: kind, neighbourhoodId, language: actor.locale, createdAt: ctx.now, updatedAt: ctx.now })
			.returning({ id: applications.id });
		if (neighbourhoodId) await tx.insert(applicationNeighbourhoods).values({ applicationId: row.id, neighbourhoodId });
		await refreshSearch(tx, row.id);
		await audit(tx, ctx, { action: 'application.created', entityType: 'application', entityId: String(row.id), summary: { callId, kind } });
		return row.id;
	});
}

export interface BudgetLineInput {
	item: string;
	category: BudgetCategory;
	amount: number;
}

export interface ApplicationInput {
	title: string;
	summary: string;
	description: string;
	neighbourhoodIds: string[];
	targetGroups: string[];
	expectedParticipants: number | null;
	volunteers: number | null;
	partners: string;
	startDate: string;
	endDate: string;
	coFunding: number;
	/** A resident applying alone agrees to be named in the public register if funded. */
	publicName?: boolean;
	/** What the applicant asks for; null takes the budget's total. */
	requestedAmount: number | null;
	budgetLines: BudgetLineInput[];
}

/** Checks that hold for a draft at any time (shapes and limits); completeness waits for submission. */
function draftIssues(input: ApplicationInput): Issue[] {
	const issues: Issue[] = [];
	const tooLong = (field: string, value: string, max: number) => {
		if (value.length > max) issues.push({ field, messageKey: 'error_too_long', params: { max } });
	};
	tooLong('title', input.title, LIMITS.title);
	tooLong('summary', input.summary, LIMITS.summary);
	tooLong('description', input.description, LIMITS.description);
	tooLong('partners', input.partners, LIMITS.partners);
	for (const [field, n] of [['expectedParticipants', input.expectedParticipants], ['volunteers', input.volunteers]] as const) {
		if (n !== null && !isCount(n)) issues.push({ field, messageKey: 'error_whole_number' });
	}
	if (input.startDate && !isIsoDate(input.startDate)) issues.push({ field: 'startDate', messageKey: 'error_date' });
	if (input.endDate && !isIsoDate(input.endDate)) issues.push({ field: 'endDate', messageKey: 'error_date' });
	if (!isMoney(input.coFunding)) issues.push({ field: 'coFunding', messageKey: 'error_amount_invalid' });
	if (input.requestedAmount !== null && !isMoney(input.requestedAmount)) {
		issues.push({ field: 'requestedAmount', messageKey: 'error_amount_invalid' });
	}
	if (input.targetGroups.some((g) => !(TARGET_GROUPS as readonly string[]).includes(g))) issues.push({ field: 'targetGroups', messageKey: 'error_choose_from_list' });
	if (input.budgetLines.length > LIMITS.budgetLines) issues.push({ field: 'budget', messageKey: 'error_too_many_lines', params: { max: LIMITS.budgetLines } });
	input.budgetLines.forEach((l, i) => {
		if (!l.item.trim()) issues.push({ field: `lineItem-${i}`, messageKey: 'error_line_item_required', params: { line: i + 1 } });
		if (l.item.length > LIMITS.budgetItem) issues.push({ field: `lineItem-${i}`, messageKey: 'error_too_long', params: { max: LIMITS.budgetItem } });
		if (!BUDGET_CATEGORIES.includes(l.category)) issues.push({ field: `lineCategory-${i}`, messageKey: 'error_choose_from_list' });
		if (!isMoney(l.amount) || l.amount <= 0) issues.push({ field: `lineAmount-${i}`, messageKey: 'error_line_amount', params: { line: i + 1 } });
	});
	return issues;
}

/**
 * The applicant side saves a draft (or an application sent back for changes). Saves any time;
 * shapes and limits are checked, completeness waits for submission. The requested amount is the
 * amount typed, or the budget's total when left blank. Refuses: not_found, invalid_state (not editable), invalid (issues).
 */
export async function saveApplication(ctx: Ctx, id: number, input: ApplicationInput) {
	const issues = draftIssues(input);
	if (issues.length) throw new DomainError('invalid', issues[0].messageKey, issues[0].field, issues[0].params, issues);
	await ctx.database.write(async (tx) => {
		const { app, party, actor } = await loadFor(tx, ctx, id);
		if (party !== 'applicant') throw notFound();
		await assertMayOnApplication(tx, actor, 'application.edit', app, 'error_not_editable');
		const known = input.neighbourhoodIds.length
			? await tx.select({ id: neighbourhoods.id }).from(neighbourhoods).where(inArray(neighbourhoods.id, input.neighbourhoodIds))
			: [];
		const nIds = input.neighbourhoodIds.filter((n) => known.some((k) => k.id === n));
		const requested = input.requestedAmount ?? input.budgetLines.reduce((n, l) => n + l.amount, 0);
		await tx
			.update(applications)
			.set({
				title: input.title.trim(),
				summary: input.summary.trim(),
				description: input.description.trim(),
				targetGroups: input.targetGroups,
				expectedParticipants: input.expectedParticipants,
				volunteers: input.volunteers,
				partners: input.partners.trim(),
				startDate: input.startDate || null,
				endDate: input.endDate || null,
				coFunding: input.coFunding,
				...(input.publicName === undefined ? {} : { publicName: input.publicName }),
				requestedAmount: requested,
				neighbourhoodId: nIds[0] ?? null,
				updatedAt: ctx.now
			})
			.where(eq(applications.id, id));
		await tx.delete(budgetLines).where(eq(budgetLines.applicationId, id));
		if (input.budgetLines.length) {
			await tx.insert(budgetLines).values(input.budgetLines.map((l, i) => ({ applicationId: id, position: i, item: l.item.trim(), category: l.category, amount: l.amount })));
		}
		await tx.delete(applicationNeighbourhoods).where(eq(applicationNeighbourhoods.applicationId, id));
		if (nIds.length) await tx.insert(applicationNeighbourhoods).values(nIds.map((n) => ({ applicationId: id, neighbourhoodId: n })));
		await refreshSearch(tx, id);
		// Autosave writes every few seconds: the audit keeps one event per editing session — none
		// while the last thing recorded on the application is this person's save and their last
		// save (the application's updatedAt, read before this one) was within the hour.
		const [last] = await tx
			.select({ action: auditEvents.action, actorId: auditEvents.actorId })
			.from(auditEvents)
			.where(and(eq(auditEvents.entityType, 'application'), eq(auditEvents.entityId, String(id))))
			.orderBy(desc(auditEvents.at), desc(auditEvents.id))
			.limit(1);
		const sameSession = last?.action === 'application.saved' && last.actorId === actor.id && ctx.now.getTime() - app.updatedAt.getTime() < EDIT_SESSION_MS;
		if (!sameSession) await audit(tx, ctx, { action: 'application.saved', entityType: 'application', entityId: String(id), summary: { requestedAmount: requested } });
	});
}

/** Saves by one person within this long of their last one are one editing session in the audit. */
const EDIT_SESSION_MS = 60 * 60 * 1000;

/** Everything a complete application must have, and the call's rules. */
async function submissionIssues(db: Reader, app: ApplicationRow, call: typeof calls.$inferSelect): Promise<Issue[]> {
	const issues: Issue[] = [];
	if (!app.title.trim()) issues.push({ field: 'title', messageKey: 'error_title_required' });
	if (!app.summary.trim()) issues.push({ field: 'summary', messageKey: 'error_summary_required' });
	if (!app.description.trim()) issues.push({ field: 'description', messageKey: 'error_description_required' });
	const ns = await db.select().from(applicationNeighbourhoods).where(eq(applicationNeighbourhoods.applicationId, app.id));
	if (ns.length === 0) issues.push({ field: 'neighbourhoodIds', messageKey: 'error_neighbourhood_required' });
	if (app.expectedParticipants === null) issues.push({ field: 'expectedParticipants', messageKey: 'error_participants_required' });
	if (!app.startDate) issues.push({ field: 'startDate', messageKey: 'error_start_required' });
	if (!app.endDate) issues.push({ field: 'endDate', messageKey: 'error_end_required' });
	if (app.startDate && app.endDate && app.endDate < app.startDate) issues.push({ field: 'endDate', messageKey: 'error_end_before_start' });
	const lines = await db.select().from(budgetLines).where(eq(budgetLines.applicationId, app.id));
	const total = lines.reduce((n, l) => n + l.amount, 0);
	if (lines.length === 0) issues.push({ field: 'budget', messageKey: 'error_budget_required' });
	else if (total !== app.requestedAmount) issues.push({ field: 'requestedAmount', messageKey: 'error_budget_total' });
	if (app.requestedAmount < call.minAmount) issues.push({ field: 'requestedAmount', messageKey: 'error_amount_below_min' });
	else if (app.requestedAmount > call.maxAmount) issues.push({ field: 'requestedAmount', messageKey: 'error_amount_above_max' });
	if (!call.eligibleKinds.includes(app.applicantKind)) issues.push({ field: 'organisationId', messageKey: 'error_kind_not_eligible' });
	return issues;
}

/**
 * The applicant side submits (or resubmits after changes) while the call is open; everything
 * is checked against the call's rules and all problems are reported at once.
 * Refuses: not_found, invalid_state, invalid (issues), forbidden.
 */
export async function submitApplication(ctx: Ctx, id: number) {
	await ctx.database.write(async (tx) => {
		const { app, actor } = await loadFor(tx, ctx, id);
		const t = transition('submit');
		await assertMayOnApplication(tx, actor, t.policy, app);
		const [call] = await tx.select().from(calls).where(eq(calls.id, app.callId));
		if (callPhase(call, ctx.now) !== 'open') throw new DomainError('invalid_state', 'error_call_closed');
		const issues = await submissionIssues(tx, app, call);
		if (issues.length) throw new DomainError('invalid', 'error_application_incomplete', undefined, {}, issues);
		const moved = await tx
			.update(applications)
			.set({ status: t.to, submittedAt: app.submittedAt ?? ctx.now, updatedAt: ctx.now })
			.where(and(eq(applications.id, id), eq(applications.status, app.status)))
			.returning({ id: applications.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_changed_meanwhile');
		await audit(tx, ctx, { action: `application.${app.status === 'draft' ? 'submitted' : 'resubmitted'}`, entityType: 'application', entityId: String(id) });
		const [owner] = await tx.select().from(users).where(eq(users.id, app.applicantId));
		const url = `${ctx.config.PUBLIC_ORIGIN}/applications/${id}`;
		await queueEmail(
			tx,
			ctx,
			owner,
			app.status === 'draft'
				? { template: 'application-submitted', params: { name: owner.name, title: app.title, number: id, call: call.title, url, days: call.decisionDays } }
				: { template: 'application-resubmitted', params: { name: owner.name, title: app.title, number: id, url } }
		);
	});
}

/** The applicant side withdraws before a decision. Refuses: not_found, invalid_state, forbidden. */
export async function withdrawApplication(ctx: Ctx, id: number) {
	await ctx.database.write(async (tx) => {
		const { app, actor } = await loadFor(tx, ctx, id);
		const t = transition('withdraw');
		await assertMayOnApplication(tx, actor, t.policy, app);
		await tx.update(applications).set({ status: t.to, withdrawnAt: ctx.now, updatedAt: ctx.now }).where(eq(applications.id, id));
		await audit(tx, ctx, { action: 'application.withdrawn', entityType: 'application', entityId: String(id), summary: { from: app.status } });
	});
}

export type ScreeningOutcome = 'mark_eligible' | 'mark_ineligible' | 'request_changes';

/**
 * Staff screen a submitted application: eligible (on to review), ineligible or changes
 * requested — the last two with a message the applicant reads and is emailed.
 * Refuses: not_found, forbidden (own application), invalid_state, invalid (message missing).
 */
export async function screenApplication(ctx: Ctx, id: number, outcome: ScreeningOutcome, message: string) {
	const body = message.trim();
	if (outcome !== 'mark_eligible' && !body) throw new DomainError('invalid', 'error_message_required', 'message');
	if (body.length > LIMITS.message) throw new DomainError('invalid', 'error_too_long', 'message', { max: LIMITS.message });
	await ctx.database.write(async (tx) => {
		const { app, actor } = await loadFor(tx, ctx, id);
		const t = transition(outcome);
		await assertMayOnApplication(tx, actor, t.policy, app);
		await tx
			.update(applications)
			.set({ status: t.to, screenedAt: ctx.now, updatedAt: ctx.now, screeningNote: body || null })
			.where(and(eq(applications.id, id), eq(applications.status, app.status)));
		if (body) await tx.insert(applicationMessages).values({ applicationId: id, authorId: actor.id, body, language: actor.locale, visibility: 'applicant', createdAt: ctx.now });
		const action = { mark_eligible: 'marked_eligible', mark_ineligible: 'marked_ineligible', request_changes: 'changes_requested' }[outcome];
		await audit(tx, ctx, { action: `application.${action}`, entityType: 'application', entityId: String(id), summary: body ? { message: body.slice(0, 200) } : undefined });
		const [owner] = await tx.select().from(users).where(eq(users.id, app.applicantId));
		const url = `${ctx.config.PUBLIC_ORIGIN}/applications/${id}`;
		const template = { mark_eligible: 'application-in-review', mark_ineligible: 'application-ineligible', request_changes: 'application-changes-requested' }[outcome] as
			| 'application-in-review'
			| 'application-ineligible'
			| 'application-changes-requested';
		await queueEmail(tx, ctx, owner, { template, params: { name: owner.name, title: app.title, number: id, url, message: body } });
	});
}

/**
 * Adds a message. The applicant side always writes to staff (visible to both); staff choose
 * whether the applicant sees it or it stays internal. Refuses: not_found, invalid.
 */
export async function postMessage(ctx: Ctx, id: number, bodyInput: string, visibility: MessageVisibility) {
	const body = bodyInput.trim();
	if (!body) throw new DomainError('invalid', 'error_message_required', 'body');
	if (body.length > LIMITS.message) throw new DomainError('invalid', 'error_too_long', 'body', { max: LIMITS.message });
	await ctx.database.write(async (tx) => {
		const { app, party, actor } = await loadFor(tx, ctx, id);
		await assertMayOnApplication(tx, actor, party === 'applicant' ? 'application.message_staff' : 'application.message_applicant', app);
		const v: MessageVisibility = party === 'applicant' ? 'applicant' : visibility === 'internal' ? 'internal' : 'applicant';
		await tx.insert(applicationMessages).values({ applicationId: id, authorId: actor.id, body, language: actor.locale, visibility: v, createdAt: ctx.now });
		await audit(tx, ctx, { action: 'application.message_posted', entityType: 'application', entityId: String(id), summary: { visibility: v } });
		if (party === 'staff' && v === 'applicant') {
			const [owner] = await tx.select().from(users).where(eq(users.id, app.applicantId));
			await queueEmail(tx, ctx, owner, {
				template: 'application-message',
				params: { name: owner.name, title: app.title, number: id, url: `${ctx.config.PUBLIC_ORIGIN}/applications/${id}`, message: body }
			});
		}
	});
}

// ---------------------------------------------------------------- reading

/** The actions an application page may offer, as the policy answers them. */
const APPLICATION_ACTIONS = [
	'application.edit',
	'application.submit',
	'application.withdraw',
	'application.message_staff',
	'application.message_applicant',
	'application.screen',
	'application.assign_reviewers',
	'application.decide',
	'application.reverse_decision'
] as const satisfies readonly Action[];

/**
 * An application as the actor may see it: content, budget, attachments, messages, timeline.
 * Messages and the timeline come a page at a time (`pages.messages`, `pages.history`; page 1 the
 * newest THREAD_PAGE_SIZE), each page in the order things happened. Refuses: not_found.
 */
export async function getApplication(ctx: Ctx, id: number, pages: { messages?: number; history?: number } = {}) {
	const db = ctx.database.db;
	const { app, party } = await loadFor(db, ctx, id);
	const messagePage = Math.max(1, pages.messages ?? 1);
	const historyPage = Math.max(1, pages.history ?? 1);
	const staff = party === 'staff';
	const [[ctxRow], lines, ns, files, messages, events, [grant]] = await Promise.all([
		applicationContext(db, id),
		budgetLinesOf(db, id),
		neighbourhoodsOf(db, id),
		attachmentsOf(db, id),
		messagesOf(db, id, staff, THREAD_PAGE_SIZE + 1, (messagePage - 1) * THREAD_PAGE_SIZE),
		eventsOf(db, id, staff, THREAD_PAGE_SIZE + 1, (historyPage - 1) * THREAD_PAGE_SIZE),
		liveGrantOf(db, id)
	]);
	const tranches = grant ? await tranchesOf(db, grant.id) : [];
	const may = mayAll(ctx.actor, APPLICATION_ACTIONS, { relations: await relationsTo(db, ctx.actor!.id, app, grant ?? null), state: app.status });
	const timeline = events
		.slice(0, THREAD_PAGE_SIZE)
		.reverse()
		.map((e) => ({ ...e, actorName: party === 'staff' ? e.actorName : null }));
	return {
		party,
		application: app,
		call: ctxRow.call,
		phase: callPhase(ctxRow.call, ctx.now),
		currency: ctxRow.currency,
		organisation: ctxRow.organisation,
		applicant: { name: ctxRow.applicantName, email: party === 'staff' ? ctxRow.applicantEmail : null },
		budgetLines: lines,
		neighbourhoods: ns,
		attachments: files,
		messages: messages
			.slice(0, THREAD_PAGE_SIZE)
			.reverse()
			.map(({ authorId, ...m }) => ({ ...m, mine: authorId === ctx.actor?.id })),
		/** Which page of messages and of the timeline this is, and whether older ones exist. */
		messagePage: { page: messagePage, older: messages.length > THREAD_PAGE_SIZE },
		timeline,
		historyPage: { page: historyPage, older: events.length > THREAD_PAGE_SIZE },
		grant: grant ? { id: grant.id, awardedAmount: grant.awardedAmount, conditions: grant.conditions, status: grant.status, tranches } : null,
		editable: may['application.edit'],
		/** What the person may do on this application now: the access policy's answers. */
		may
	};
}

/** Condition: the applications `userId` started or that belong to one of their organisations. */
export function ownApplications(db: Reader, userId: string) {
	return inArray(applications.id, ownApplicationIds(db, userId));
}

/**
 * The ids of the person's applications and their organisations' — read through the applicant and
 * organisation indexes, so that a condition on them narrows a query to the person's few rows
 * (as an OR beside a state, the database would walk every application in that state instead).
 */
export function ownApplicationIds(db: Reader, userId: string) {
	const own = alias(applications, 'own');
	return union(
		db.select({ id: applications.id }).from(applications).where(eq(applications.applicantId, userId)),
		db
			.select({ id: own.id })
			.from(own)
			.where(inArray(own.organisationId, db.select({ id: organisationMembers.organisationId }).from(organisationMembers).where(eq(organisationMembers.userId, userId))))
	);
}

/** The applications the actor started or that belong to their organisations, newest first. */
export async function listMyApplications(ctx: Ctx) {
	const actor = requireActor(ctx);
	const mine = ownApplications(ctx.database.db, actor.id);
	return ctx.database.db
		.select({
			id: applications.id,
			title: applications.title,
			language: applications.language,
			status: applications.status,
			requestedAmount: applications.requestedAmount,
			updatedAt: applications.updatedAt,
			callTitle: calls.title,
			currency: funds.currency,
			organisationName: organisations.name
		})
		.from(applications)
		.innerJoin(calls, eq(calls.id, applications.callId))
		.innerJoin(funds, eq(funds.id, calls.fundId))
		.leftJoin(organisations, eq(organisations.id, applications.organisationId))
		.where(mine)
		.orderBy(desc(applications.id));
}

export interface StaffListFilter {
	callId?: string;
	status?: ApplicationStatus;
	neighbourhoodId?: string;
	kind?: ApplicantKind;
	q?: string;
	sort?: 'newest' | 'oldest' | 'amount' | 'title';
	page?: number;
}

export const STAFF_PAGE_SIZE = 25;

/** Words of a search box turned into an FTS5 prefix query; null when nothing searchable is left. */
export function ftsQuery(q: string): string | null {
	const words = q.match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
	return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

/**
 * Officers and admins list submitted applications, filtered, searched (title, summary,
 * organisation), sorted and paged, with counts per status. Refuses: forbidden.
 */
export async function listApplicationsForStaff(ctx: Ctx, filter: StaffListFilter) {
	const actor = requireActor(ctx);
	if (!isStaffActor(actor)) throw new DomainError('forbidden', 'error_forbidden');
	// The same for every member of staff: kept per filter until the next change (deep pages and searches cost most).
	return keptStaffLists(ctx, JSON.stringify(filter), () => readStaffList(ctx, filter));
}
const keptStaffLists = keptUntilChange<Awaited<ReturnType<typeof readStaffList>>>(500);

async function readStaffList(ctx: Ctx, filter: StaffListFilter) {
	const db = ctx.database.db;
	const base: SQL[] = [isNotNull(applications.submittedAt)];
	if (filter.callId) base.push(eq(applications.callId, filter.callId));
	if (filter.neighbourhoodId) {
		base.push(
			inArray(
				applications.id,
				db.select({ id: applicationNeighbourhoods.applicationId }).from(applicationNeighbourhoods).where(eq(applicationNeighbourhoods.neighbourhoodId, filter.neighbourhoodId))
			)
		);
	}
	if (filter.kind) base.push(eq(applications.applicantKind, filter.kind));
	const match = filter.q ? ftsQuery(filter.q) : null;
	if (match) base.push(sql`${applications.id} in (select rowid from applications_fts where applications_fts match ${match})`);
	const withStatus = filter.status ? [...base, eq(applications.status, filter.status)] : base;

	const { counts, atLeast } = match ? await searchCounts(db, base) : await keptCounts(db, filter);
	const total = filter.status ? counts[filter.status] : APPLICATION_STATUSES.reduce((n, s) => n + counts[s], 0);
	const order = {
		newest: [desc(applications.id)],
		oldest: [asc(applications.id)],
		amount: [desc(applications.requestedAmount), desc(applications.id)],
		title: [asc(applications.title), asc(applications.id)]
	}[filter.sort ?? 'newest'];
	const page = boundedPage(filter.page, STAFF_PAGE_SIZE);
	// The page's ids first (from an index, skipping the rows before it), then the details of those alone.
	const ids = (
		await db
			.select({ id: applications.id })
			.from(applications)
			.where(and(...withStatus))
			.orderBy(...order)
			.limit(STAFF_PAGE_SIZE)
			.offset((page - 1) * STAFF_PAGE_SIZE)
	).map((r) => r.id);
	const rows = ids.length
		? await db
				.select({
					id: applications.id,
					title: applications.title,
					language: applications.language,
					status: applications.status,
					applicantKind: applications.applicantKind,
					requestedAmount: applications.requestedAmount,
					submittedAt: applications.submittedAt,
					organisationName: organisations.name,
					applicantName: users.name,
					neighbourhoodName: neighbourhoods.name,
					callTitle: calls.title,
					callLanguage: calls.language,
					currency: funds.currency
				})
				.from(applications)
				.innerJoin(calls, eq(calls.id, applications.callId))
				.innerJoin(funds, eq(funds.id, calls.fundId))
				.innerJoin(users, eq(users.id, applications.applicantId))
				.leftJoin(organisations, eq(organisations.id, applications.organisationId))
				.leftJoin(neighbourhoods, eq(neighbourhoods.id, applications.neighbourhoodId))
				.where(inArray(applications.id, ids))
		: [];
	inIdOrder(rows, ids);
	return { ...pageOf(rows, total, page, STAFF_PAGE_SIZE, LIST_DEPTH), counts, atLeast };
}

