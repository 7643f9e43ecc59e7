import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Actor, Ctx } from '../context.ts';
import type { Reader, Tx } from '../db/client.ts';
import {
	applications,
	auditEvents,
	budgetLines,
	calls,
	funds,
	grants,
	milestones,
	neighbourhoods,
	organisationMembers,
	organisations,
	paymentTranches,
	payoutAccounts,
	reports,
	users
} from '../db/schema/index.ts';
import { audit, keptUntilChange } from '../audit/service.ts';
import { requireActor } from '../auth/authorize.ts';
import { queueEmail } from '../email/outbox.ts';
import { DomainError, notFound } from '../errors.ts';
import { boundedPage, LIST_DEPTH, pageOf, inIdOrder, THREAD_PAGE_SIZE } from '../pagination.ts';
import { isIsoDate } from '../time.ts';
import type { GrantStatus } from '../../domain.ts';
import type { Locale } from '../../roles.ts';
import { assertMove, GRANT_WORKFLOW, type GrantParty } from './workflow.ts';
import { normalisePayout, type PayoutInput } from './payout.ts';
import { releaseFromGrant } from '../ledger/book.ts';
import { grantFigures, owedBackOf } from '../ledger/figures.ts';
import { pendingWriteOff } from '../ledger/write-offs.ts';
import { stripeEnabled } from '../config.ts';
import { assertMay, mayAll, type Action, type Relation } from '../access/policy.ts';
import { relationsTo } from '../access/relations.ts';
import { today as todayIn } from '../calendar.ts';
import { ownApplications } from '../applications/service.ts';

type Grant = typeof grants.$inferSelect;
const isStaff = (a: Actor) => a.roles.includes('officer') || a.roles.includes('admin');
/** Who reads every grant: staff, and finance (who pay them); what each may do there is the policy's answer. */
const readsAllGrants = (a: Actor) => isStaff(a) || a.roles.includes('finance');

/**
 * Whether the actor sees a grant, and from which side: the grantee side (a member of the applying
 * organisation, or the resident who applied alone), staff, or nothing ("not found"). What they
 * may do there is the access policy's answer, from their relations.
 */
export async function grantPartyOf(db: Reader, actor: Actor | null, grant: Grant) {
	if (!actor) return null;
	const [app] = await db.select().from(applications).where(eq(applications.id, grant.applicationId));
	if (app.organisationId) {
		const [m] = await db
			.select({ role: organisationMembers.role })
			.from(organisationMembers)
			.where(and(eq(organisationMembers.organisationId, app.organisationId), eq(organisationMembers.userId, actor.id)));
		if (m) return { party: 'grantee' as GrantParty, app };
	} else if (app.applicantId === actor.id) {
		return { party: 'grantee' as GrantParty, app };
	}
	if (readsAllGrants(actor)) return { party: 'staff' as GrantParty, app };
	return null;
}

export async function loadGrant(db: Reader, ctx: Ctx, grantId: string) {
	const actor = requireActor(ctx);
	const [grant] = await db.select().from(grants).where(eq(grants.id, grantId));
	if (!grant) throw notFound();
	const rel = await grantPartyOf(db, actor, grant);
	if (!rel) throw notFound();
	const relations = await relationsTo(db, actor.id, rel.app, grant);
	return { grant, actor, ...rel, relations };
}

/** The policy's check for an action on a loaded grant. Refuses: forbidden, invalid_state. */
export function assertGrantAction(g: { actor: Actor; relations: Relation[]; grant: Grant }, action: Action, stateMessage?: string) {
	assertMay(g.actor, action, { relations: g.relations, state: g.grant.status }, stateMessage);
}

/** What the grant page may offer the reader: the policy's answers for the grant's actions. */
export const GRANT_PAGE_ACTIONS = ['grant.set_milestones', 'grant.accept', 'grant.decline', 'grant.change_payout', 'grant.confirm_payout', 'grant.cancel', 'grant.close', 'grant.waive_tranche', 'report.edit', 'report.review', 'write_off.propose'] as const satisfies readonly Action[];

/**
 * Makes tranches due whose trigger now holds (invariant 3), on an active or completed grant with
 * confirmed payout details: acceptance, the accepted report of the tranche's milestone, or the
 * accepted final report. A milestone position the grant does not have counts as the final one.
 */
export async function markDueTranches(tx: Tx, grantId: string, at: Date) {
	const [grant] = await tx.select().from(grants).where(eq(grants.id, grantId));
	if (!grant.acceptedAt || !['active', 'completed'].includes(grant.status)) return;
	const [confirmed] = await tx.select({ id: payoutAccounts.id }).from(payoutAccounts).where(and(eq(payoutAccounts.grantId, grantId), eq(payoutAccounts.status, 'confirmed')));
	if (!confirmed) return;
	const scheduled = await tx.select().from(paymentTranches).where(and(eq(paymentTranches.grantId, grantId), eq(paymentTranches.status, 'scheduled')));
	if (!scheduled.length) return;
	const ms = await tx
		.select({ position: milestones.position, isFinal: milestones.isFinal, status: reports.status })
		.from(milestones)
		.leftJoin(reports, eq(reports.milestoneId, milestones.id))
		.where(eq(milestones.grantId, grantId));
	const finalDone = ms.some((m) => m.isFinal && m.status === 'accepted');
	const holds = (t: typeof paymentTranches.$inferSelect) => {
		if (t.trigger === 'acceptance') return true;
		const m = t.trigger === 'milestone' ? ms.find((x) => x.position === t.milestonePosition) : undefined;
		return m ? m.status === 'accepted' : finalDone;
	};
	const ready = scheduled.filter(holds).map((t) => t.id);
	if (ready.length) await tx.update(paymentTranches).set({ status: 'due', dueAt: at }).where(and(inArray(paymentTranches.id, ready), eq(paymentTranches.status, 'scheduled')));
}

async function ownerOf(tx: Reader, app: typeof applications.$inferSelect) {
	if (app.organisationId) {
		const [o] = await tx
			.select({ email: users.email, name: users.name, locale: users.locale })
			.from(organisationMembers)
			.innerJoin(users, eq(users.id, organisationMembers.userId))
			.where(and(eq(organisationMembers.organisationId, app.organisationId), eq(organisationMembers.role, 'owner')));
		if (o) return o;
	}
	const [u] = await tx.select({ email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.id, app.applicantId));
	return u;
}

/**
 * The grant terms in the reader's language, else the first written of English, Swedish, Dutch
 * (the municipality writes them in those three), with the language they are in.
 */
function termsIn(call: typeof calls.$inferSelect, locale: Locale): { text: string; lang: Locale } {
	const written: [Locale, string][] = [['en', call.termsEn], ['sv', call.termsSv], ['nl', call.termsNl]];
	const own = written.find(([l, text]) => l === locale && text);
	const [lang, text] = own ?? written.find(([, text]) => text) ?? [locale, ''];
	return { text, lang };
}

/**
 * A grant as the actor may see it: award, conditions, terms in the reader's language, milestones
 * with their reports' status, the payment schedule, payout details and the timeline, a page at a
 * time like an application's (`pages.history`). Refuses: not_found.
 */
export async function getGrant(ctx: Ctx, grantId: string, pages: { history?: number } = {}) {
	const db = ctx.database.db;
	const historyPage = Math.max(1, pages.history ?? 1);
	const loaded = await loadGrant(db, ctx, grantId);
	const { grant, party, app } = loaded;
	const [call] = await db.select().from(calls).where(eq(calls.id, app.callId));
	const [fund] = await db.select().from(funds).where(eq(funds.id, grant.fundId));
	const [org] = app.organisationId ? await db.select().from(organisations).where(eq(organisations.id, app.organisationId)) : [null];
	const [ms, tranches, payouts, events, lines] = await Promise.all([
		db
			.select({ milestone: milestones, reportStatus: reports.status, reportId: reports.id })
			.from(milestones)
			.leftJoin(reports, eq(reports.milestoneId, milestones.id))
			.where(eq(milestones.grantId, grantId))
			.orderBy(asc(milestones.position)),
		db.select().from(paymentTranches).where(eq(paymentTranches.grantId, grantId)).orderBy(asc(paymentTranches.position)),
		db.select().from(payoutAccounts).where(eq(payoutAccounts.grantId, grantId)).orderBy(desc(payoutAccounts.createdAt)),
		db
			.select({ id: auditEvents.id, at: auditEvents.at, action: auditEvents.action, actorName: users.name })
			.from(auditEvents)
			.leftJoin(users, eq(users.id, auditEvents.actorId))
			.where(and(eq(auditEvents.entityType, 'grant'), eq(auditEvents.entityId, grantId)))
			.orderBy(desc(auditEvents.at), desc(auditEvents.id))
			.limit(THREAD_PAGE_SIZE + 1)
			.offset((historyPage - 1) * THREAD_PAGE_SIZE),
		db.select().from(budgetLines).where(eq(budgetLines.applicationId, app.id)).orderBy(asc(budgetLines.position))
	]);
	const figures = await grantFigures(db, grantId);
	const today = todayIn(ctx);
	const terms = termsIn(call, ctx.locale);
	return {
		party,
		canAccept: mayAll(loaded.actor, ['grant.accept'], { relations: loaded.relations, state: grant.status })['grant.accept'],
		grant,
		application: { id: app.id, title: app.title, language: app.language, summary: app.summary, requestedAmount: app.requestedAmount },
		organisationName: org?.name ?? null,
		call: { id: call.id, title: call.title, language: call.language, termsVersion: call.termsVersion },
		terms: terms.text,
		termsLang: terms.lang,
		figures,
		writeOff: await pendingWriteOff(ctx, grantId),
		may: mayAll(loaded.actor, GRANT_PAGE_ACTIONS, { relations: loaded.relations, state: grant.status }),
		owedOutstanding: figures.owedBack,
		stripe: stripeEnabled(ctx.config),
		repayTo: ctx.config.DEBTOR_IBAN ? { iban: ctx.config.DEBTOR_IBAN, name: ctx.config.DEBTOR_NAME ?? ctx.config.MUNICIPALITY_NAME } : null,
		currency: fund.currency,
		milestones: ms.map((r) => ({ ...r.milestone, reportStatus: r.reportStatus, reportId: r.reportId, overdue: r.reportStatus !== 'accepted' && r.milestone.dueDate < today })),
		tranches,
		payout: { current: payouts.find((p) => p.status === 'confirmed') ?? null, pending: payouts.find((p) => p.status === 'pending') ?? null },
		budgetLines: lines,
		timeline: events
			.slice(0, THREAD_PAGE_SIZE)
			.reverse()
			.map((e) => ({ ...e, actorName: party === 'staff' ? e.actorName : null })),
		/** Which page of the timeline this is (page 1 the newest), and whether older events exist. */
		historyPage: { page: historyPage, older: events.length > THREAD_PAGE_SIZE }
	};
}

/** The grants of the actor's own applications and organisations, newest first. */
export async function listMyGrants(ctx: Ctx) {
	const actor = requireActor(ctx);
	const mine = ownApplications(ctx.database.db, actor.id);
	return ctx.database.db
		.select({ id: grants.id, status: grants.status, awardedAmount: grants.awardedAmount, title: applications.title, language: applications.language, applicationId: applications.id, currency: funds.currency, createdAt: grants.createdAt })
		.from(grants)
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		.where(mine)
		.orderBy(desc(grants.createdAt));
}

export interface GrantFilter {
	callId?: string;
	status?: GrantStatus;
	neighbourhoodId?: string;
	overdue?: boolean;
	page?: number;
}
export const GRANTS_PAGE_SIZE = 25;

/** Officers' list of grants: by call, state, neighbourhood, or only those with an overdue report. Refuses: forbidden. */
export async function listGrantsForStaff(ctx: Ctx, filter: GrantFilter) {
	const actor = requireActor(ctx);
	if (!isStaff(actor)) throw new DomainError('forbidden', 'error_forbidden');
	// The same for every member of staff: kept per filter until the next change (deep pages cost most).
	return keptStaffLists(ctx, JSON.stringify(filter), () => readStaffList(ctx, filter));
}
const keptStaffLists = keptUntilChange<Awaited<ReturnType<typeof readStaffList>>>(500);

async function readStaffList(ctx: Ctx, filter: GrantFilter) {
	const db = ctx.database.db;
	const today = todayIn(ctx);
	const overdue = sql<number>`exists (select 1 from ${milestones} mo where mo.grant_id = ${grants.id} and mo.accepted = 0 and mo.due_date < ${today})`;
	const where: SQL[] = [];
	if (filter.callId) where.push(eq(grants.callId, filter.callId));
	if (filter.status) where.push(eq(grants.status, filter.status));
	if (filter.neighbourhoodId) where.push(eq(applications.neighbourhoodId, filter.neighbourhoodId));
	if (filter.overdue) where.push(sql`${grants.id} in (${withOverdueMilestone(today)})`, sql`+${grants.status} = 'active'`);
	const cond = where.length ? and(...where) : undefined;
	const page = boundedPage(filter.page, GRANTS_PAGE_SIZE);
	// Counted up to LIST_DEPTH + 1 (the page says "more than" past that); then the page's ids, read
	// newest first from the created index, and the details of those 25 alone.
	// A filter on the application's neighbourhood needs it joined; the others read grants alone.
	const byApplication = !!filter.neighbourhoodId;
	const fromGrants = db.select({ id: grants.id }).from(grants);
	const matching = (byApplication ? fromGrants.innerJoin(applications, eq(applications.id, grants.applicationId)) : fromGrants).where(cond);
	const counted = matching.limit(LIST_DEPTH + 1).as('counted');
	const [[{ total }], ids] = await Promise.all([
		db.select({ total: sql<number>`count(*)` }).from(counted),
		matching
			.orderBy(desc(grants.createdAt), desc(grants.id))
			.limit(GRANTS_PAGE_SIZE)
			.offset((page - 1) * GRANTS_PAGE_SIZE)
			.then((rows) => rows.map((r) => r.id))
	]);
	const rows = ids.length
		? await db
				.select({
					id: grants.id,
					status: grants.status,
					awardedAmount: grants.awardedAmount,
					title: applications.title,
					language: applications.language,
					applicationId: applications.id,
					callTitle: calls.title,
					callLanguage: calls.language,
					currency: funds.currency,
					neighbourhoodName: neighbourhoods.name,
					grantee: sql<string>`coalesce(${organisations.name}, ${users.name})`,
					overdue
				})
				.from(grants)
				.innerJoin(applications, eq(applications.id, grants.applicationId))
				.innerJoin(calls, eq(calls.id, applications.callId))
				.innerJoin(funds, eq(funds.id, grants.fundId))
				.innerJoin(users, eq(users.id, applications.applicantId))
				.leftJoin(organisations, eq(organisations.id, applications.organisationId))
				.leftJoin(neighbourhoods, eq(neighbourhoods.id, applications.neighbourhoodId))
				.where(inArray(grants.id, ids))
		: [];
	inIdOrder(rows, ids);
	return pageOf(rows.map((r) => ({ ...r, overdue: !!r.overdue })), Number(total), page, GRANTS_PAGE_SIZE, LIST_DEPTH);
}

export interface MilestoneInput {
	title: string;
	dueDate: string;
}

/** Staff set a grant's milestones while it is still an offer; the last one is the final report. Refuses: forbidden, not_found, invalid_state, invalid. */
export async function setMilestones(ctx: Ctx, grantId: string, list: MilestoneInput[]) {
	if (list.length === 0) throw new DomainError('invalid', 'error_milestones_required', 'milestones');
	for (const [i, m] of list.entries()) {
		if (!m.title.trim() || m.title.length > 200) throw new DomainError('invalid', 'error_milestone_title', `milestoneTitle-${i}`);
		if (!isIsoDate(m.dueDate)) throw new DomainError('invalid', 'error_date', `milestoneDue-${i}`);
		if (i > 0 && m.dueDate < list[i - 1].dueDate) throw new DomainError('invalid', 'error_milestone_order', `milestoneDue-${i}`);
	}
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		if (g.party !== 'staff') throw new DomainError('forbidden', 'error_forbidden');
		assertGrantAction(g, 'grant.set_milestones', 'error_milestones_locked');
		await tx.delete(milestones).where(eq(milestones.grantId, grantId));
		// Milestone titles are written in the call's language (the officer's own if the call names none).
		const [call] = await tx.select({ language: calls.language }).from(calls).where(eq(calls.id, g.app.callId));
		const language = call?.language ?? ctx.actor!.locale;
		await tx.insert(milestones).values(list.map((m, i) => ({ id: crypto.randomUUID(), grantId, position: i, title: m.title.trim(), language, dueDate: m.dueDate, isFinal: i === list.length - 1 })));
		await audit(tx, ctx, { action: 'grant.milestones_set', entityType: 'grant', entityId: grantId, summary: { count: list.length } });
	});
}

/**
 * The organisation's owner (or the resident who applied alone) accepts the offer: records who,
 * when and the exact terms version, and the payout details; the acceptance tranche becomes due.
 * Refuses: not_found, forbidden, invalid_state (already accepted, declined, cancelled), invalid.
 */
export async function acceptOffer(ctx: Ctx, grantId: string, input: { termsAccepted: boolean; payout: PayoutInput }) {
	if (!input.termsAccepted) throw new DomainError('invalid', 'error_accept_terms', 'termsAccepted');
	const payout = normalisePayout(input.payout);
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		const { grant, app, actor } = g;
		if (!g.relations.includes('grantee_owner') && g.relations.includes('grantee')) throw new DomainError('forbidden', 'error_owner_only');
		assertGrantAction(g, 'grant.accept');
		const t = assertMove(GRANT_WORKFLOW, 'accept', grant.status, g.party);
		const [call] = await tx.select().from(calls).where(eq(calls.id, app.callId));
		const moved = await tx
			.update(grants)
			.set({ status: t.to, acceptedAt: ctx.now, acceptedBy: actor.id, termsVersion: call.termsVersion })
			.where(and(eq(grants.id, grantId), eq(grants.status, 'offered')))
			.returning({ id: grants.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_changed_meanwhile');
		await tx.insert(payoutAccounts).values({ id: crypto.randomUUID(), grantId, ...payout, status: 'confirmed', createdBy: actor.id, createdAt: ctx.now, confirmedBy: actor.id, confirmedAt: ctx.now });
		await markDueTranches(tx, grantId, ctx.now);
		await audit(tx, ctx, { action: 'grant.accepted', entityType: 'grant', entityId: grantId, summary: { termsVersion: call.termsVersion, payoutKind: payout.kind } });
	});
}

/** The owner declines the offer: the grant is cancelled and its whole commitment released. Refuses: not_found, forbidden, invalid_state. */
export async function declineOffer(ctx: Ctx, grantId: string, reason: string) {
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		assertGrantAction(g, 'grant.decline');
		await endGrant(tx, ctx, g.grant, 'cancelled');
		await audit(tx, ctx, { action: 'grant.declined', entityType: 'grant', entityId: grantId, summary: { reason: reason.trim().slice(0, 500) } });
	});
}

/**
 * Ends a grant (declined, cancelled, or a decision reversed): refused while any tranche is in an
 * unsettled payment file or Stripe transfer; the tranches not yet paid are cancelled and exactly
 * their amount is released (award − net paid − what was released before).
 */
export async function endGrant(tx: Tx, ctx: Ctx, grant: Grant, to: GrantStatus, reason?: string, key = 'cancelled') {
	const open = await tx.select().from(paymentTranches).where(and(eq(paymentTranches.grantId, grant.id), inArray(paymentTranches.status, ['scheduled', 'due', 'processing'])));
	if (open.some((t) => t.status === 'processing')) throw new DomainError('invalid_state', 'error_cancel_in_payment');
	const moved = await tx.update(grants).set({ status: to, cancelledAt: ctx.now, cancelReason: reason ?? null }).where(and(eq(grants.id, grant.id), eq(grants.status, grant.status))).returning({ id: grants.id });
	if (!moved.length) throw new DomainError('invalid_state', 'error_changed_meanwhile');
	if (open.length) await tx.update(paymentTranches).set({ status: 'cancelled' }).where(inArray(paymentTranches.id, open.map((t) => t.id)));
	const unpaid = open.reduce((n, t) => n + t.amount, 0);
	await releaseFromGrant(tx, grant, { amount: unpaid, key: `release:${grant.id}:${key}`, reason: reason ?? to, actorId: ctx.actor?.id ?? null, at: ctx.now });
}

/**
 * Staff cancel an offered or active grant, with a reason. Refused while a payment is in an
 * unsettled file or transfer (remove it from the unsent file, or settle the file, first).
 * Refuses: forbidden, not_found, invalid_state, invalid.
 */
export async function cancelGrant(ctx: Ctx, grantId: string, reasonInput: string) {
	const reason = reasonInput.trim();
	if (!reason) throw new DomainError('invalid', 'error_reason_required', 'cancelReason');
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		if (g.party !== 'staff') throw new DomainError('forbidden', 'error_forbidden');
		assertGrantAction(g, 'grant.cancel');
		await endGrant(tx, ctx, g.grant, 'cancelled', reason);
		await audit(tx, ctx, { action: 'grant.cancelled', entityType: 'grant', entityId: grantId, summary: { reason: reason.slice(0, 500) } });
		const owner = await ownerOf(tx, g.app);
		await queueEmail(tx, ctx, owner, { template: 'grant-cancelled', params: { name: owner.name, title: g.app.title, number: g.app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}`, message: reason } });
	});
}

/**
 * Staff close a completed grant once no tranche is due or in payment (each left-over is paid
 * or waived first). Money owed back stays a receivable until repaid or written off.
 * Refuses: forbidden, not_found, invalid_state (not completed, tranches still open).
 */
export async function closeGrant(ctx: Ctx, grantId: string) {
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		if (g.party !== 'staff') throw new DomainError('forbidden', 'error_forbidden');
		assertGrantAction(g, 'grant.close');
		const [{ open }] = await tx.select({ open: sql<number>`count(*)` }).from(paymentTranches).where(and(eq(paymentTranches.grantId, grantId), inArray(paymentTranches.status, ['scheduled', 'due', 'processing'])));
		if (Number(open) > 0) throw new DomainError('invalid_state', 'error_close_open_tranches');
		const moved = await tx.update(grants).set({ status: 'closed', closedAt: ctx.now }).where(and(eq(grants.id, grantId), eq(grants.status, 'completed'))).returning({ id: grants.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_changed_meanwhile');
		await audit(tx, ctx, { action: 'grant.closed', entityType: 'grant', entityId: grantId, summary: { owedBack: g.grant.owedBack } });
		const owner = await ownerOf(tx, g.app);
		const [fund] = await tx.select({ currency: funds.currency }).from(funds).where(eq(funds.id, g.grant.fundId));
		const owed = await owedBackOf(tx, grantId);
		await queueEmail(tx, ctx, owner, { template: 'grant-closed', params: { name: owner.name, title: g.app.title, number: g.app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}`, amount: owed, currency: fund.currency } });
	});
}

/**
 * Staff waive a tranche not yet paid or in payment, with a reason (e.g. the project spent less,
 * or ended early): the tranche is waived and its amount released to the fund.
 * Refuses: forbidden, not_found, invalid_state (grant not active or completed, tranche paid or in payment), invalid.
 */
export async function waiveTranche(ctx: Ctx, grantId: string, trancheId: string, reasonInput: string) {
	const reason = reasonInput.trim();
	if (!reason) throw new DomainError('invalid', 'error_reason_required', 'waiveReason');
	if (reason.length > 500) throw new DomainError('invalid', 'error_too_long', 'waiveReason', { max: 500 });
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		if (g.party !== 'staff') throw new DomainError('forbidden', 'error_forbidden');
		assertGrantAction(g, 'grant.waive_tranche');
		const [t] = await tx.select().from(paymentTranches).where(and(eq(paymentTranches.id, trancheId), eq(paymentTranches.grantId, grantId)));
		if (!t) throw notFound();
		const moved = await tx
			.update(paymentTranches)
			.set({ status: 'waived', waivedReason: reason, waivedBy: g.actor.id })
			.where(and(eq(paymentTranches.id, trancheId), inArray(paymentTranches.status, ['scheduled', 'due'])))
			.returning({ id: paymentTranches.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_tranche_not_waivable');
		await releaseFromGrant(tx, g.grant, { amount: t.amount, key: `release:${trancheId}:waived`, trancheId, reason, actorId: g.actor.id, at: ctx.now });
		await audit(tx, ctx, { action: 'grant.tranche_waived', entityType: 'grant', entityId: grantId, summary: { trancheId, amount: t.amount, reason } });
	});
}

/**
 * The grantee changes payout details after acceptance. The new details wait for an officer's
 * confirmation before any payment uses them (the classic fraud path); the owner is emailed.
 * Refuses: not_found, forbidden, invalid_state, invalid.
 */
export async function changePayout(ctx: Ctx, grantId: string, input: PayoutInput) {
	const payout = normalisePayout(input);
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		const { app, actor } = g;
		assertGrantAction(g, 'grant.change_payout', 'error_grant_not_active');
		await tx.update(payoutAccounts).set({ status: 'superseded' }).where(and(eq(payoutAccounts.grantId, grantId), eq(payoutAccounts.status, 'pending')));
		await tx.insert(payoutAccounts).values({ id: crypto.randomUUID(), grantId, ...payout, status: 'pending', createdBy: actor.id, createdAt: ctx.now });
		await audit(tx, ctx, { action: 'grant.payout_change_requested', entityType: 'grant', entityId: grantId, summary: { kind: payout.kind, last4: payout.account.slice(-4) } });
		const owner = await ownerOf(tx, app);
		await queueEmail(tx, ctx, owner, { template: 'payout-changed', params: { name: owner.name, title: app.title, number: app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}`, message: `…${payout.account.slice(-4)}` } });
	});
}

/** An officer confirms (or rejects) pending payout details; confirmed ones replace the old. Refuses: forbidden, not_found. */
export async function confirmPayout(ctx: Ctx, grantId: string, approve: boolean) {
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		if (g.party !== 'staff') throw new DomainError('forbidden', 'error_forbidden');
		assertGrantAction(g, 'grant.confirm_payout', 'error_grant_not_active');
		const [pending] = await tx.select().from(payoutAccounts).where(and(eq(payoutAccounts.grantId, grantId), eq(payoutAccounts.status, 'pending')));
		if (!pending) throw notFound();
		if (approve) {
			await tx.update(payoutAccounts).set({ status: 'superseded' }).where(and(eq(payoutAccounts.grantId, grantId), eq(payoutAccounts.status, 'confirmed')));
			await tx.update(payoutAccounts).set({ status: 'confirmed', confirmedBy: ctx.actor!.id, confirmedAt: ctx.now }).where(eq(payoutAccounts.id, pending.id));
			await markDueTranches(tx, grantId, ctx.now);
		} else {
			await tx.update(payoutAccounts).set({ status: 'rejected' }).where(eq(payoutAccounts.id, pending.id));
		}
		await audit(tx, ctx, { action: approve ? 'grant.payout_confirmed' : 'grant.payout_rejected', entityType: 'grant', entityId: grantId, summary: { payoutId: pending.id } });
	});
}

/** Milestones due within or past `days` whose report is not yet accepted, for the reminder job. */
/** A report is overdue once its due day has passed and until it is accepted (the one definition: staff grant list, to-do). */
/** The grants with a milestone past due and no accepted report, read from the index of open milestones. */
export function withOverdueMilestone(today: string) {
	return sql`select m.grant_id from ${milestones} m where m.accepted = 0 and m.due_date < ${today}`;
}

/**
 * Where a copied or kept column differs from what it copies: a grant's call (its application's),
 * a milestone's accepted flag (whether its report was accepted). One line each; empty when right.
 */
export async function grantListsDrift(db: Reader) {
	const calls = await db.all<{ id: string }>(sql`select g.id from ${grants} g join ${applications} a on a.id = g.application_id where g.call_id is not a.call_id`);
	const flags = await db.all<{ id: string }>(sql`select m.id from ${milestones} m where m.accepted <> exists (select 1 from ${reports} r where r.milestone_id = m.id and r.status = 'accepted')`);
	return [...calls.map((g) => `grant ${g.id}: kept call differs from its application's`), ...flags.map((m) => `milestone ${m.id}: kept "accepted" differs from its report`)];
}

export function openMilestones(db: Reader) {
	return db
		.select({ milestone: milestones, grantId: grants.id, applicationId: grants.applicationId })
		.from(milestones)
		.innerJoin(grants, eq(grants.id, milestones.grantId))
		.leftJoin(reports, eq(reports.milestoneId, milestones.id))
		.where(and(eq(grants.status, 'active'), or(isNull(reports.status), ne(reports.status, 'accepted'))));
}

export { ownerOf };

/**
 * What a grant has reached, for the public project pages: its state and how many milestones are
 * done — never the report text or the payout details. Anyone may read it for a grant that was
 * accepted (offers and declined grants are not public).
 */
export async function publicProgress(db: Reader, grantId: string) {
	const [grant] = await db.select().from(grants).where(eq(grants.id, grantId));
	if (!grant || !grant.acceptedAt) throw notFound();
	const rows = await db
		.select({ title: milestones.title, dueDate: milestones.dueDate, status: reports.status })
		.from(milestones)
		.leftJoin(reports, eq(reports.milestoneId, milestones.id))
		.where(eq(milestones.grantId, grantId))
		.orderBy(asc(milestones.position));
	return {
		status: grant.status,
		milestones: rows.map((r) => ({ title: r.title, dueDate: r.dueDate, done: r.status === 'accepted' })),
		done: rows.filter((r) => r.status === 'accepted').length,
		total: rows.length
	};
}
