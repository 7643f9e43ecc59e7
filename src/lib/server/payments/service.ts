import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { applications, calls, funds, grants, organisations, paymentTranches, payoutAccounts, users } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { DomainError, notFound } from '../errors.ts';
import { pageOf } from '../pagination.ts';
import { isIsoDate } from '../time.ts';
import { appendLedger, fundFigures } from './ledger.ts';
import type { Tx } from '../db/client.ts';
import { queueEmail } from '../email/outbox.ts';
import { ownerOf } from '../grants/service.ts';
import { buildPain001 } from './pain001.ts';
import { formatMoneyIn } from '../../money.ts';

export const QUEUE_PAGE_SIZE = 50;

/** Emails the grantee (the organisation's owner, or the resident) that a payment went out or failed. */
async function tellGrantee(tx: Tx, ctx: Ctx, grant: typeof grants.$inferSelect, template: 'payment-sent' | 'payment-failed', amount: number) {
	const [app] = await tx.select().from(applications).where(eq(applications.id, grant.applicationId));
	const [fund] = await tx.select({ currency: funds.currency }).from(funds).where(eq(funds.id, grant.fundId));
	const owner = await ownerOf(tx, app);
	const formatted = formatMoneyIn(owner.locale, amount, fund.currency);
	await queueEmail(tx, ctx, owner, { template, params: { name: owner.name, title: app.title, number: app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grant.id}`, message: formatted } });
}

export interface QueueFilter {
	fundId?: string;
	callId?: string;
	method?: 'iban' | 'bankgiro' | 'plusgiro';
	page?: number;
}

/**
 * Finance's queue: tranches that are due, with the payee's confirmed payout details (never
 * details still waiting for an officer's confirmation). Refuses: forbidden.
 */
export async function dueTranches(ctx: Ctx, filter: QueueFilter = {}) {
	requireRoleIn(ctx, ['finance']);
	const db = ctx.database.db;
	const where: SQL[] = [eq(paymentTranches.status, 'due')];
	if (filter.fundId) where.push(eq(grants.fundId, filter.fundId));
	if (filter.callId) where.push(eq(applications.callId, filter.callId));
	if (filter.method) where.push(eq(payoutAccounts.kind, filter.method));
	const cond = and(...where);
	const base = db
		.select({ n: sql<number>`count(*)` })
		.from(paymentTranches)
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(payoutAccounts, and(eq(payoutAccounts.grantId, grants.id), eq(payoutAccounts.status, 'confirmed')));
	const [{ n }] = await base.where(cond);
	const page = Math.max(1, filter.page ?? 1);
	const rows = await db
		.select({
			id: paymentTranches.id,
			amount: paymentTranches.amount,
			percent: paymentTranches.percent,
			trigger: paymentTranches.trigger,
			attempts: paymentTranches.attempts,
			grantId: grants.id,
			applicationId: applications.id,
			title: applications.title,
			currency: funds.currency,
			fundName: funds.name,
			callTitle: calls.title,
			payee: payoutAccounts.holderName,
			accountKind: payoutAccounts.kind,
			account: payoutAccounts.account,
			bic: payoutAccounts.bic,
			grantee: sql<string>`coalesce(${organisations.name}, ${users.name})`
		})
		.from(paymentTranches)
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(calls, eq(calls.id, applications.callId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		.innerJoin(users, eq(users.id, applications.applicantId))
		.leftJoin(organisations, eq(organisations.id, applications.organisationId))
		.innerJoin(payoutAccounts, and(eq(payoutAccounts.grantId, grants.id), eq(payoutAccounts.status, 'confirmed')))
		.where(cond)
		.orderBy(asc(paymentTranches.id))
		.limit(QUEUE_PAGE_SIZE)
		.offset((page - 1) * QUEUE_PAGE_SIZE);
	return pageOf(rows, Number(n), page, QUEUE_PAGE_SIZE);
}

/**
 * Finance records a bank transfer of a due tranche: the paid date and the bank's reference.
 * One live payment per tranche (the guarded status change); never by who approved the grant;
 * a disbursement ledger row with a key derived from the tranche and attempt.
 * Refuses: forbidden (role, separation of duties), not_found, invalid_state (not due), invalid.
 */
export async function recordBankTransfer(ctx: Ctx, trancheId: string, input: { paidDate: string; reference: string }) {
	const actor = requireRoleIn(ctx, ['finance']);
	if (!isIsoDate(input.paidDate)) throw new DomainError('invalid', 'error_date', 'paidDate');
	const reference = input.reference.trim();
	if (!reference || reference.length > 140) throw new DomainError('invalid', 'error_bank_reference', 'reference');
	await ctx.database.write(async (tx) => {
		const [row] = await tx
			.select({ tranche: paymentTranches, grant: grants })
			.from(paymentTranches)
			.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
			.where(eq(paymentTranches.id, trancheId));
		if (!row) throw notFound();
		if (row.grant.approvedBy === actor.id) throw new DomainError('forbidden', 'error_separation_of_duties');
		const paid = await tx
			.update(paymentTranches)
			.set({ status: 'paid', paidAt: new Date(`${input.paidDate}T12:00:00Z`), paidBy: actor.id, attempts: row.tranche.attempts + 1 })
			.where(and(eq(paymentTranches.id, trancheId), eq(paymentTranches.status, 'due')))
			.returning({ id: paymentTranches.id });
		if (!paid.length) throw new DomainError('invalid_state', 'error_tranche_not_due');
		// Invariant 2: what is paid on a grant never exceeds its award.
		const [{ total }] = await tx
			.select({ total: sql<number>`coalesce(sum(${paymentTranches.amount}), 0)` })
			.from(paymentTranches)
			.where(and(eq(paymentTranches.grantId, row.grant.id), eq(paymentTranches.status, 'paid')));
		if (Number(total) > row.grant.awardedAmount) throw new DomainError('conflict', 'error_over_award');
		await appendLedger(tx, {
			fundId: row.grant.fundId,
			grantId: row.grant.id,
			trancheId,
			kind: 'disbursement',
			amount: row.tranche.amount,
			method: 'bank_transfer',
			reference,
			idempotencyKey: `pay:${trancheId}:${row.tranche.attempts + 1}`,
			actorId: actor.id,
			at: ctx.now
		});
		await audit(tx, ctx, { action: 'payment.recorded', entityType: 'grant', entityId: row.grant.id, summary: { trancheId, amount: row.tranche.amount, reference } });
		await tellGrantee(tx, ctx, row.grant, 'payment-sent', row.tranche.amount);
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
		const [row] = await tx.select({ tranche: paymentTranches, grant: grants }).from(paymentTranches).innerJoin(grants, eq(grants.id, paymentTranches.grantId)).where(eq(paymentTranches.id, trancheId));
		if (!row) throw notFound();
		const back = await tx
			.update(paymentTranches)
			.set({ status: 'due', paidAt: null, paidBy: null })
			.where(and(eq(paymentTranches.id, trancheId), eq(paymentTranches.status, 'paid')))
			.returning({ id: paymentTranches.id });
		if (!back.length) throw new DomainError('invalid_state', 'error_tranche_not_paid');
		await appendLedger(tx, {
			fundId: row.grant.fundId,
			grantId: row.grant.id,
			trancheId,
			kind: 'reversal',
			amount: row.tranche.amount,
			reason,
			idempotencyKey: `reverse:${trancheId}:${row.tranche.attempts}`,
			actorId: actor.id,
			at: ctx.now
		});
		await audit(tx, ctx, { action: 'payment.failed', entityType: 'grant', entityId: row.grant.id, summary: { trancheId, reason } });
		await tellGrantee(tx, ctx, row.grant, 'payment-failed', row.tranche.amount);
	});
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
	requireRoleIn(ctx, ['finance', 'officer', 'admin']);
	const list = await ctx.database.db.select({ id: funds.id, name: funds.name }).from(funds).orderBy(asc(funds.name));
	return Promise.all(list.map(async (f) => ({ ...f, ...(await fundFigures(ctx.database.db, f.id)) })));
}

/** The fund figures as CSV (amounts in whole currency units with two decimals). Refuses: forbidden. */
export async function fundFiguresCsv(ctx: Ctx) {
	const rows = await allFundFigures(ctx);
	const money = (n: number) => (n / 100).toFixed(2);
	const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
	return ['fund,currency,budget,committed,disbursed,repaid,available', ...rows.map((r) => [quote(r.name), r.currency, money(r.budget), money(r.committed), money(r.disbursed), money(r.repaid), money(r.available)].join(','))].join('\r\n') + '\r\n';
}

/** Recently paid tranches (the last 50), so finance can record a failure. Refuses: forbidden. */
export async function recentlyPaid(ctx: Ctx) {
	requireRoleIn(ctx, ['finance']);
	return ctx.database.db
		.select({ id: paymentTranches.id, amount: paymentTranches.amount, paidAt: paymentTranches.paidAt, title: applications.title, currency: funds.currency })
		.from(paymentTranches)
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(funds, eq(funds.id, grants.fundId))
		.where(eq(paymentTranches.status, 'paid'))
		.orderBy(sql`${paymentTranches.paidAt} desc`)
		.limit(50);
}

/**
 * A pain.001 file for the chosen due tranches with IBAN payees (bankgiro and plusgiro are paid
 * by hand); the end-to-end id of each payment is its tranche. Nothing is marked paid until finance
 * records the bank's confirmation. Refuses: forbidden, invalid (no paying account configured,
 * nothing payable chosen, mixed currencies).
 */
export async function paymentFile(ctx: Ctx, trancheIds: string[]) {
	requireRoleIn(ctx, ['finance']);
	const { DEBTOR_IBAN, DEBTOR_BIC, DEBTOR_NAME, MUNICIPALITY_NAME } = ctx.config;
	if (!DEBTOR_IBAN || !DEBTOR_BIC) throw new DomainError('invalid', 'error_debtor_missing');
	const chosen = (await tranchesForBatch(ctx, trancheIds)).filter((t) => t.status === 'due' && t.kind === 'iban');
	if (chosen.length === 0) throw new DomainError('invalid', 'error_batch_empty', 'select');
	const currencies = new Set(chosen.map((t) => t.currency));
	if (currencies.size > 1) throw new DomainError('invalid', 'error_batch_currencies', 'select');
	const messageId = `KVARTER-${ctx.now.toISOString().slice(0, 10).replace(/-/g, '')}-${crypto.randomUUID().slice(0, 8)}`;
	const xml = buildPain001({
		messageId,
		createdAt: ctx.now,
		executionDate: ctx.now.toISOString().slice(0, 10),
		currency: chosen[0].currency,
		debtor: { name: DEBTOR_NAME ?? MUNICIPALITY_NAME, iban: DEBTOR_IBAN.replace(/\s/g, ''), bic: DEBTOR_BIC },
		payments: chosen.map((t) => ({ endToEndId: t.id.replace(/-/g, ''), amount: t.amount, creditorName: t.holderName, iban: t.account, bic: t.bic, remittance: `Kvarter ${t.applicationId}` }))
	});
	await ctx.database.write((tx) => audit(tx, ctx, { action: 'payment.file_created', entityType: 'payment_file', entityId: messageId, summary: { tranches: chosen.map((t) => t.id), count: chosen.length } }));
	return { messageId, xml, count: chosen.length };
}
