import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { applications, auditEvents, funds, grants, paymentBatches, paymentBatchItems, paymentTranches, payoutAccounts } from '../db/schema/index.ts';
import { audit, keptUntilChange } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import type { Actor } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { isMoney } from '../../domain.ts';
import { toCsv } from '../csv.ts';
import { boundedPage, pageOf, inIdOrder } from '../pagination.ts';
import { isIsoDate } from '../time.ts';
import { appendLedger, releaseFromGrant } from '../ledger/book.ts';
import { fundsFigures, owedBackOf } from '../ledger/figures.ts';
import { assertMay, may, type Action } from '../access/policy.ts';
import { relationsForList, relationsTo } from '../access/relations.ts';
import { dayOf, endOfDay, noonOf } from '../calendar.ts';
import type { Reader, Tx } from '../db/client.ts';
import { queueEmail } from '../email/outbox.ts';
import { ownerOf } from '../grants/service.ts';

export const QUEUE_PAGE_SIZE = 25;
/** How far the queue is counted and paged in one order (40 pages): the fund, call, method and due-date filters reach the rest. */
export const QUEUE_DEPTH = 1000;

/** Emails the grantee (the organisation's owner, or the resident) that a payment went out or failed. */
export async function tellGrantee(tx: Tx, ctx: Ctx, grant: typeof grants.$inferSelect, template: 'payment-sent' | 'payment-failed', amount: number) {
	const [app] = await tx.select().from(applications).where(eq(applications.id, grant.applicationId));
	const [fund] = await tx.select({ currency: funds.currency }).from(funds).where(eq(funds.id, grant.fundId));
	const owner = await ownerOf(tx, app);
	await queueEmail(tx, ctx, owner, { template, params: { name: owner.name, title: app.title, number: app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grant.id}`, amount, currency: fund.currency } });
}

export interface QueueFilter {
	fundId?: string;
	callId?: string;
	method?: 'iban' | 'bankgiro' | 'plusgiro' | 'stripe';
	/** Due on or before this day (YYYY-MM-DD): what has waited longest. */
	dueBy?: string;
	page?: number;
}

const keptQueueCounts = keptUntilChange<number>(200);
const keptQueues = keptUntilChange<Awaited<ReturnType<typeof readQueue>>>(200);

/**
 * Finance's queue: tranches that are due, with the payee's confirmed payout details (never
 * details still waiting for an officer's confirmation). What a person may do with each row is
 * theirs, so the page is kept per person and filter until the next change. Refuses: forbidden.
 */
export async function dueTranches(ctx: Ctx, filter: QueueFilter = {}) {
	requireRoleIn(ctx, ['finance']);
	const key = JSON.stringify([ctx.actor!.id, filter.fundId, filter.callId, filter.method, filter.dueBy, filter.page]);
	return keptQueues(ctx, key, () => readQueue(ctx, filter));
}

/** The queue read afresh (dueTranches keeps it): what the kept page is checked against. */
export async function readQueue(ctx: Ctx, filter: QueueFilter) {
	requireRoleIn(ctx, ['finance']);
	const db = ctx.database.db;
	const where: SQL[] = [eq(paymentTranches.status, 'due')];
	if (filter.fundId) where.push(eq(grants.fundId, filter.fundId));
	if (filter.callId) where.push(eq(grants.callId, filter.callId));
	if (filter.method) where.push(eq(payoutAccounts.kind, filter.method));
	if (filter.dueBy && isIsoDate(filter.dueBy)) where.push(or(isNull(paymentTranches.dueAt), lt(paymentTranches.dueAt, endOfDay(filter.dueBy, ctx.config.TIME_ZONE)))!);
	const cond = and(...where);
	// Counted up to QUEUE_DEPTH + 1 ("more than" past that); then the page's ids in due order, then their details.
	const matching = db
		.select({ id: paymentTranches.id })
		.from(paymentTranches)
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(payoutAccounts, and(eq(payoutAccounts.grantId, grants.id), eq(payoutAccounts.status, 'confirmed')))
		.where(cond);
	const counted = matching.limit(QUEUE_DEPTH + 1).as('counted');
	const page = boundedPage(filter.page, QUEUE_PAGE_SIZE, QUEUE_DEPTH);
	// The count is the same for every finance user with this filter: kept until the next change.
	const countKey = JSON.stringify([filter.fundId, filter.callId, filter.method, filter.dueBy]);
	const [n, ids] = await Promise.all([
		keptQueueCounts(ctx, countKey, async () => Number((await db.select({ n: sql<number>`count(*)` }).from(counted))[0].n)),
		matching
			.orderBy(asc(paymentTranches.dueAt), asc(paymentTranches.id))
			.limit(QUEUE_PAGE_SIZE)
			.offset((page - 1) * QUEUE_PAGE_SIZE)
			.then((rows) => rows.map((r) => r.id))
	]);
	// Only what the page shows and what decides who may act.
	const rows = await db
		.select({
			id: paymentTranches.id,
			amount: paymentTranches.amount,
			trigger: paymentTranches.trigger,
			dueAt: paymentTranches.dueAt,
			approvedForPaymentBy: paymentTranches.approvedForPaymentBy,
			approvedBy: grants.approvedBy,
			applicantId: applications.applicantId,
			organisationId: applications.organisationId,
			grantId: grants.id,
			applicationId: applications.id,
			title: applications.title,
			language: applications.language,
			currency: funds.currency,
			fundName: funds.name,
			payee: payoutAccounts.holderName,
			accountKind: payoutAccounts.kind,
			account: payoutAccounts.account,
			bic: payoutAccounts.bic
		})
		.from(paymentTranches)
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		// (the unary + keeps the database from starting at every confirmed account instead of the page's ids)
		.innerJoin(payoutAccounts, and(eq(payoutAccounts.grantId, grants.id), sql`+${payoutAccounts.status} = 'confirmed'`))
		.where(ids.length ? inArray(paymentTranches.id, ids) : sql`0`);
	inIdOrder(rows, ids);
	const threshold = ctx.config.SECOND_APPROVAL_ABOVE;
	const actor = ctx.actor!;
	// The actor's organisations, ties and review assignments, once: each row's relations are then worked out in memory.
	const relationsFor = await relationsForList(db, actor.id, rows.map((r) => r.applicationId));
	// What this finance user may do with each row: pay, approve (for another to pay), or neither — the policy's answer.
	const withRights = rows.map(({ approvedBy, applicantId, organisationId, applicationId, approvedForPaymentBy, dueAt, ...r }) => {
		const relations = relationsFor({ id: applicationId, applicantId, organisationId }, { approvedBy, secondApprover: approvedForPaymentBy });
		const facts = { relations, state: 'due' };
		const needsApproval = r.amount > threshold;
		const approved = !!approvedForPaymentBy;
		const payVerdict = may(actor, 'tranche.pay', facts);
		const ownGrant = !payVerdict.ok && payVerdict.why === 'conflict' && payVerdict.relation !== 'second_approver';
		return { ...r, dueDay: dueAt ? dayOf(dueAt, ctx.config.TIME_ZONE) : null, needsApproval, approved, ownGrant, mayPay: payVerdict.ok && (!needsApproval || approved), mayApprove: needsApproval && !approved && may(actor, 'tranche.approve_payment', facts).ok };
	});
	return pageOf(withRights, Number(n), page, QUEUE_PAGE_SIZE, QUEUE_DEPTH);
}

export type TrancheRow = { tranche: typeof paymentTranches.$inferSelect; grant: typeof grants.$inferSelect; app: { id: number; applicantId: string; organisationId: string | null } };

export async function loadTranche(tx: Reader, trancheId: string): Promise<TrancheRow> {
	const [row] = await tx
		.select({ tranche: paymentTranches, grant: grants, app: { id: applications.id, applicantId: applications.applicantId, organisationId: applications.organisationId } })
		.from(paymentTranches)
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.where(eq(paymentTranches.id, trancheId));
	if (!row) throw notFound();
	return row;
}

/** The policy's check of a payment action on a tranche, with the actor's relations to its grant. Refuses: forbidden, invalid_state. */
export async function assertTrancheAction(tx: Reader, actor: Actor, row: TrancheRow, action: Action, stateMessage = 'error_tranche_not_due') {
	assertMay(actor, action, { relations: await relationsTo(tx, actor.id, row.app, row.grant, row.tranche), state: row.tranche.status }, stateMessage);
}

/**
 * Separation of duties, on every way of paying: who approved the grant never pays it, and a
 * payment above the configured amount needs a second finance user's approval first — someone
 * other than who pays. Refuses: forbidden.
 */
export async function assertMayPay(tx: Reader, ctx: Ctx, actor: Actor, row: TrancheRow, action: 'tranche.pay' | 'tranche.send' = 'tranche.pay') {
	await assertTrancheAction(tx, actor, row, action);
	if (row.tranche.amount > ctx.config.SECOND_APPROVAL_ABOVE && !row.tranche.approvedForPaymentBy) throw new DomainError('forbidden', 'error_second_approval_needed');
}

/**
 * Books a tranche as paid: the guarded status change (only from `from`, so one live payment per
 * tranche), the check that a grant's payments never exceed its award, a disbursement ledger row
 * keyed by tranche and attempt, an audit event and the grantee's email. Returns false when the
 * tranche was no longer in `from` (someone else paid it first).
 */
export async function bookPaid(tx: Tx, ctx: Ctx, row: TrancheRow, p: { from: 'due' | 'processing'; attempt: number; method: 'bank_transfer' | 'pain001' | 'stripe'; reference: string; paidAt: Date; actorId: string | null; stripeTransferId?: string }) {
	const paid = await tx
		.update(paymentTranches)
		.set({ status: 'paid', paidAt: p.paidAt, paidBy: p.actorId, attempts: p.attempt, ...(p.stripeTransferId ? { stripeTransferId: p.stripeTransferId } : {}) })
		.where(and(eq(paymentTranches.id, row.tranche.id), eq(paymentTranches.status, p.from)))
		.returning({ id: paymentTranches.id });
	if (!paid.length) return false;
	// Invariant 2: what is paid on a grant never exceeds its award.
	const [{ total }] = await tx
		.select({ total: sql<number>`coalesce(sum(${paymentTranches.amount}), 0)` })
		.from(paymentTranches)
		.where(and(eq(paymentTranches.grantId, row.grant.id), eq(paymentTranches.status, 'paid')));
	if (Number(total) > row.grant.awardedAmount) throw new DomainError('conflict', 'error_over_award');
	await appendLedger(tx, {
		fundId: row.grant.fundId,
		grantId: row.grant.id,
		trancheId: row.tranche.id,
		kind: 'disbursement',
		amount: row.tranche.amount,
		method: p.method,
		reference: p.reference,
		idempotencyKey: `pay:${row.tranche.id}:${p.attempt}`,
		actorId: p.actorId,
		at: ctx.now
	});
	await audit(tx, ctx, { action: 'payment.recorded', entityType: 'grant', entityId: row.grant.id, summary: { trancheId: row.tranche.id, amount: row.tranche.amount, method: p.method, reference: p.reference } });
	await tellGrantee(tx, ctx, row.grant, 'payment-sent', row.tranche.amount);
	return true;
}

/**
 * A paid tranche failed or was reversed: a reversal ledger row (never an edit) and the tranche is
 * due again. Returns false when it was not paid (nothing to reverse: a replay).
 */
export async function bookReversal(tx: Tx, ctx: Ctx, row: TrancheRow, reason: string, actorId: string | null) {
	// Invariant 3: on a cancelled or closed grant the money goes back to the fund, never to the queue.
	// (Every caller loads the row in this same transaction, so its grant is current.)
	const grant = row.grant;
	const ended = grant.status === 'cancelled' || grant.status === 'closed';
	const back = await tx
		.update(paymentTranches)
		.set(ended ? { status: 'cancelled', paidAt: null, paidBy: null } : { status: 'due', dueAt: ctx.now, paidAt: null, paidBy: null, batchId: null, approvedForPaymentBy: null, approvedForPaymentAt: null })
		.where(and(eq(paymentTranches.id, row.tranche.id), eq(paymentTranches.status, 'paid')))
		.returning({ id: paymentTranches.id });
	if (!back.length) return false;
	if (row.tranche.batchId) {
		await tx
			.update(paymentBatchItems)
			.set({ status: 'failed', settledBy: actorId, settledAt: ctx.now })
			.where(and(eq(paymentBatchItems.batchId, row.tranche.batchId), eq(paymentBatchItems.trancheId, row.tranche.id), inArray(paymentBatchItems.status, ['sent', 'paid'])));
		await settleBatchIfDone(tx, row.tranche.batchId);
	}
	await appendLedger(tx, {
		fundId: row.grant.fundId,
		grantId: row.grant.id,
		trancheId: row.tranche.id,
		kind: 'reversal',
		amount: row.tranche.amount,
		reason,
		idempotencyKey: `reverse:${row.tranche.id}:${row.tranche.attempts}`,
		actorId,
		at: ctx.now
	});
	if (ended) {
		// The money is back in the fund. Whatever the grantee still owed back is settled by it first.
		await releaseFromGrant(tx, grant, { amount: row.tranche.amount, key: `release:${row.tranche.id}:returned:${row.tranche.attempts}`, trancheId: row.tranche.id, reason: `returned after the grant was ${grant.status}`, actorId, at: ctx.now });
		const settled = Math.min(await owedBackOf(tx, grant.id), row.tranche.amount);
		if (settled > 0) await appendLedger(tx, { fundId: grant.fundId, grantId: grant.id, trancheId: row.tranche.id, kind: 'offset', amount: settled, reason: 'owed-back money settled by a returned payment', idempotencyKey: `offset:${row.tranche.id}:${row.tranche.attempts}`, actorId, at: ctx.now });
	}
	await audit(tx, ctx, { action: 'payment.failed', entityType: 'grant', entityId: row.grant.id, summary: { trancheId: row.tranche.id, reason, backToFund: ended } });
	await tellGrantee(tx, ctx, row.grant, 'payment-failed', row.tranche.amount);
	return true;
}

/** A sent batch whose every payment is confirmed or failed is settled. */
export async function settleBatchIfDone(tx: Tx, batchId: string) {
	await tx
		.update(paymentBatches)
		.set({ status: 'settled' })
		.where(and(eq(paymentBatches.id, batchId), eq(paymentBatches.status, 'sent'), sql`not exists (select 1 from ${paymentBatchItems} where ${paymentBatchItems.batchId} = ${batchId} and ${paymentBatchItems.status} = 'sent')`));
}

/**
 * Finance records a bank transfer of a due tranche: the paid date and the bank's reference.
 * Refuses: forbidden (role, separation of duties, second approval), not_found, invalid_state
 * (not due), invalid.
 */
export async function recordBankTransfer(ctx: Ctx, trancheId: string, input: { paidDate: string; reference: string }) {
	const actor = requireRoleIn(ctx, ['finance']);
	if (!isIsoDate(input.paidDate)) throw new DomainError('invalid', 'error_date', 'paidDate');
	const reference = input.reference.trim();
	if (!reference || reference.length > 140) throw new DomainError('invalid', 'error_bank_reference', 'reference');
	await ctx.database.write(async (tx) => {
		const row = await loadTranche(tx, trancheId);
		await assertMayPay(tx, ctx, actor, row);
		const ok = await bookPaid(tx, ctx, row, { from: 'due', attempt: row.tranche.attempts + 1, method: 'bank_transfer', reference, paidAt: noonOf(input.paidDate, ctx.config.TIME_ZONE), actorId: actor.id });
		if (!ok) throw new DomainError('invalid_state', 'error_tranche_not_due');
	});
}

/**
 * A second finance user approves a due payment above the configured amount, so that another
 * finance user can pay it. Refuses: forbidden (role, who approved the grant), not_found,
 * invalid_state (not due, not above the amount, already approved).
 */
export async function approvePayment(ctx: Ctx, trancheId: string) {
	const actor = requireRoleIn(ctx, ['finance']);
	await ctx.database.write(async (tx) => {
		const row = await loadTranche(tx, trancheId);
		await assertTrancheAction(tx, actor, row, 'tranche.approve_payment');
		if (row.tranche.amount <= ctx.config.SECOND_APPROVAL_ABOVE) throw new DomainError('invalid_state', 'error_approval_not_needed');
		const done = await tx
			.update(paymentTranches)
			.set({ approvedForPaymentBy: actor.id, approvedForPaymentAt: ctx.now })
			.where(and(eq(paymentTranches.id, trancheId), eq(paymentTranches.status, 'due'), isNull(paymentTranches.approvedForPaymentBy)))
			.returning({ id: paymentTranches.id });
		if (!done.length) throw new DomainError('invalid_state', 'error_tranche_not_due');
		await audit(tx, ctx, { action: 'payment.approved', entityType: 'grant', entityId: row.grant.id, summary: { trancheId, amount: row.tranche.amount } });
	});
}

/**
 * Finance records that a paid tranche failed or was returned: a reversal ledger row (never an
 * edit) and the tranche is due again. Refuses: forbidden, not_found, invalid_state, invalid.
 */
export async function recordFailedPayment(ctx: Ctx, trancheId: string, reasonInput: string) {
	const actor = requireRoleIn(ctx, ['finance']);
	const reason = reasonInput.trim();
	if (!reason) throw new DomainError('invalid', 'error_reason_required', 'reason');
	await ctx.database.write(async (tx) => {
		const row = await loadTranche(tx, trancheId);
		await assertTrancheAction(tx, actor, row, 'tranche.record_failure', 'error_tranche_not_paid');
		if (!(await bookReversal(tx, ctx, row, reason, actor.id))) throw new DomainError('invalid_state', 'error_tranche_not_paid');
	});
}

/**
 * Finance records money paid back by bank (unspent money owed back): a repayment ledger row.
 * Never more than is still owed. Refuses: forbidden, not_found, invalid.
 */
export async function recordRepayment(ctx: Ctx, grantId: string, input: { amount: number | null; paidDate: string; reference: string }) {
	const actor = requireRoleIn(ctx, ['finance']);
	if (!isIsoDate(input.paidDate)) throw new DomainError('invalid', 'error_date', 'paidDate');
	const reference = input.reference.trim();
	if (!reference || reference.length > 140) throw new DomainError('invalid', 'error_bank_reference', 'reference');
	await ctx.database.write(async (tx) => {
		const [grant] = await tx.select().from(grants).where(eq(grants.id, grantId));
		if (!grant) throw notFound();
		const [app] = await tx.select().from(applications).where(eq(applications.id, grant.applicationId));
		assertMay(actor, 'repayment.record', { relations: await relationsTo(tx, actor.id, app, grant), state: grant.status });
		const owed = await owedBackOf(tx, grantId);
		if (input.amount === null || !isMoney(input.amount) || input.amount <= 0) throw new DomainError('invalid', 'error_amount_invalid', 'amount');
		if (input.amount > owed) throw new DomainError('invalid', 'error_repayment_too_much', 'amount');
		await appendLedger(tx, { fundId: grant.fundId, grantId, kind: 'repayment', amount: input.amount, method: 'bank_transfer', reference, idempotencyKey: `repay:bank:${grantId}:${reference}`, actorId: actor.id, at: noonOf(input.paidDate, ctx.config.TIME_ZONE) });
		await audit(tx, ctx, { action: 'payment.repaid', entityType: 'grant', entityId: grantId, summary: { amount: input.amount, reference } });
	});
}

/**
 * Card repayments that paid more than was owed: the excess, to refund through Stripe (the
 * latest 50). Refuses: forbidden.
 */
export async function overpaymentsToRefund(ctx: Ctx) {
	requireRoleIn(ctx, ['finance']);
	const rows = await ctx.database.db
		.select({ at: auditEvents.at, grantId: auditEvents.entityId, summary: auditEvents.summary, title: applications.title, currency: funds.currency })
		.from(auditEvents)
		.innerJoin(grants, eq(grants.id, auditEvents.entityId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		.where(eq(auditEvents.action, 'payment.overpaid'))
		.orderBy(desc(auditEvents.at))
		.limit(50);
	return rows.map(({ summary, ...r }) => {
		const s = summary as { toRefund: number; reference: string };
		return { ...r, toRefund: s.toRefund, reference: s.reference };
	});
}

/** Grants that owe money back, for finance to record repayments. Refuses: forbidden. */
export async function repaymentsOwed(ctx: Ctx) {
	requireRoleIn(ctx, ['finance']);
	// From the grants that still owe (grants.still_owed, kept per ledger row; their own index).
	const rows = await ctx.database.db
		.select({ id: grants.id, owedBack: grants.owedBack, outstanding: grants.stillOwed, title: applications.title, currency: funds.currency })
		.from(grants)
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		.where(sql`${grants.stillOwed} > 0`)
		.orderBy(asc(grants.closedAt))
		.limit(50);
	return rows.map((r) => ({ ...r, repaid: r.owedBack - r.outstanding }));
}

/** The tranches of a selection, for a payment file. Refuses: forbidden. */
export async function tranchesForBatch(ctx: Ctx, trancheIds: string[]) {
	requireRoleIn(ctx, ['finance']);
	if (trancheIds.length === 0) return [];
	return ctx.database.db
		.select({ id: paymentTranches.id, amount: paymentTranches.amount, status: paymentTranches.status, currency: funds.currency, holderName: payoutAccounts.holderName, kind: payoutAccounts.kind, account: payoutAccounts.account, bic: payoutAccounts.bic, applicationId: grants.applicationId })
		.from(paymentTranches)
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		.innerJoin(payoutAccounts, and(eq(payoutAccounts.grantId, grants.id), eq(payoutAccounts.status, 'confirmed')))
		.where(inArray(paymentTranches.id, trancheIds.slice(0, 500)));
}

/** Every fund's figures from the ledger, for finance and officers. Refuses: forbidden. */
export async function allFundFigures(ctx: Ctx) {
	assertMay(ctx.actor, 'fund.view_figures', { relations: [], state: 'active' });
	const list = await ctx.database.db.select({ id: funds.id, name: funds.name }).from(funds).orderBy(asc(funds.name));
	const figures = await fundsFigures(ctx.database.db, list.map((f) => f.id));
	return list.map((f) => ({ ...f, ...figures.get(f.id)! }));
}

/** The fund figures as CSV (amounts in whole currency units with two decimals). Refuses: forbidden. */
export async function fundFiguresCsv(ctx: Ctx) {
	const rows = await allFundFigures(ctx);
	const money = (n: number) => n / 100;
	return toCsv(
		[['fund', 'currency', 'budget', 'committed', 'disbursed', 'repaid', 'available'], ...rows.map((r) => [r.name, r.currency, money(r.budget), money(r.committed), money(r.disbursed), money(r.repaid), money(r.available)])],
		{ decimals: 2 }
	);
}

/** Recently paid tranches (the last 15), so finance can record one the bank returned. Refuses: forbidden. */
export async function recentlyPaid(ctx: Ctx) {
	requireRoleIn(ctx, ['finance']);
	return ctx.database.db
		.select({ id: paymentTranches.id, grantId: grants.id, amount: paymentTranches.amount, paidAt: paymentTranches.paidAt, title: applications.title, currency: funds.currency })
		.from(paymentTranches)
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		.where(eq(paymentTranches.status, 'paid'))
		.orderBy(sql`${paymentTranches.paidAt} desc`)
		.limit(15);
}
