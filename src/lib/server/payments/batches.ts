import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { applications, funds, grants, paymentBatches, paymentBatchItems, paymentTranches, payoutAccounts } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { DomainError, notFound } from '../errors.ts';
import { pageOf } from '../pagination.ts';
import { buildPain001 } from './pain001.ts';
import { localDateTime, today } from '../calendar.ts';
import { assertMayPay, bookPaid, bookReversal, loadTranche, settleBatchIfDone } from './service.ts';

export const BATCH_PAGE_SIZE = 20;
export const BATCH_MAX = 500;

/**
 * Finance builds a pain.001 payment file from chosen due tranches. The tranches are taken out of
 * the queue (processing) so nobody pays them twice while the file is on its way; the file is
 * kept with the batch. IBAN payees always; bankgiro and plusgiro payees only in pain.001.001.03
 * files (PAIN001_VERSION=03), as the EPC SEPA schema of 09 knows IBAN only.
 * Refuses: forbidden (role, separation of duties, second approval), invalid (no paying account,
 * nothing payable chosen, mixed currencies), invalid_state (a tranche was taken meanwhile).
 */
export async function createBatch(ctx: Ctx, trancheIds: string[]) {
	const actor = requireRoleIn(ctx, ['finance']);
	const { DEBTOR_IBAN, DEBTOR_BIC, DEBTOR_NAME, MUNICIPALITY_NAME, PAIN001_VERSION: version } = ctx.config;
	if (!DEBTOR_IBAN || !DEBTOR_BIC) throw new DomainError('invalid', 'error_debtor_missing');
	const ids = [...new Set(trancheIds)].slice(0, BATCH_MAX);
	if (ids.length === 0) throw new DomainError('invalid', 'error_batch_empty', 'select');
	const kinds = version === '03' ? ['iban', 'bankgiro', 'plusgiro'] : ['iban'];
	return ctx.database.write(async (tx) => {
		const rows = await tx
			.select({ tranche: paymentTranches, grant: grants, currency: funds.currency, payout: payoutAccounts, app: { id: applications.id, applicantId: applications.applicantId, organisationId: applications.organisationId } })
			.from(paymentTranches)
			.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
			.innerJoin(applications, eq(applications.id, grants.applicationId))
			.innerJoin(funds, eq(funds.id, grants.fundId))
			.innerJoin(payoutAccounts, and(eq(payoutAccounts.grantId, grants.id), eq(payoutAccounts.status, 'confirmed')))
			.where(inArray(paymentTranches.id, ids));
		const chosen = rows.filter((r) => r.tranche.status === 'due' && kinds.includes(r.payout.kind));
		if (chosen.length === 0) throw new DomainError('invalid', 'error_batch_empty', 'select');
		if (new Set(chosen.map((r) => r.currency)).size > 1) throw new DomainError('invalid', 'error_batch_currencies', 'select');
		for (const r of chosen) await assertMayPay(tx, ctx, actor, r);
		const batchId = crypto.randomUUID();
		const day = today(ctx);
		const messageId = `KVARTER-${day.replace(/-/g, '')}-${batchId.slice(0, 8)}`;
		for (const r of chosen) {
			const taken = await tx
				.update(paymentTranches)
				.set({ status: 'processing', batchId })
				.where(and(eq(paymentTranches.id, r.tranche.id), eq(paymentTranches.status, 'due')))
				.returning({ id: paymentTranches.id });
			if (!taken.length) throw new DomainError('invalid_state', 'error_tranche_not_due');
		}
		const xml = buildPain001({
			version,
			messageId,
			createdAt: localDateTime(ctx.now, ctx.config.TIME_ZONE),
			executionDate: day,
			currency: chosen[0].currency,
			debtor: { name: DEBTOR_NAME ?? MUNICIPALITY_NAME, iban: DEBTOR_IBAN.replace(/\s/g, ''), bic: DEBTOR_BIC },
			payments: chosen.map((r) => ({
				endToEndId: r.tranche.id.replace(/-/g, ''),
				amount: r.tranche.amount,
				creditorName: r.payout.holderName,
				iban: r.payout.account,
				kind: r.payout.kind as 'iban' | 'bankgiro' | 'plusgiro',
				bic: r.payout.bic,
				remittance: `Kvarter ${r.grant.applicationId}`
			}))
		});
		const total = chosen.reduce((n, r) => n + r.tranche.amount, 0);
		await tx.insert(paymentBatches).values({ id: batchId, messageId, version, currency: chosen[0].currency, status: 'created', count: chosen.length, total, xml, createdBy: actor.id, createdAt: ctx.now });
		await tx.insert(paymentBatchItems).values(chosen.map((r) => ({ batchId, trancheId: r.tranche.id, attempt: r.tranche.attempts + 1, amount: r.tranche.amount, status: 'pending' as const })));
		await audit(tx, ctx, { action: 'payment.batch_created', entityType: 'payment_batch', entityId: batchId, summary: { messageId, count: chosen.length, total } });
		return { batchId, messageId, count: chosen.length };
	});
}

/** The payment file of a batch, exactly as it was built. Refuses: forbidden, not_found. */
export async function batchFile(ctx: Ctx, batchId: string) {
	requireRoleIn(ctx, ['finance']);
	const [b] = await ctx.database.db.select({ messageId: paymentBatches.messageId, xml: paymentBatches.xml }).from(paymentBatches).where(eq(paymentBatches.id, batchId));
	if (!b) throw notFound();
	return b;
}

/** Payment batches, newest first. Refuses: forbidden. */
export async function listBatches(ctx: Ctx, page = 1) {
	requireRoleIn(ctx, ['finance']);
	const db = ctx.database.db;
	const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(paymentBatches);
	const p = Math.max(1, page);
	const rows = await db
		.select({ id: paymentBatches.id, messageId: paymentBatches.messageId, status: paymentBatches.status, count: paymentBatches.count, total: paymentBatches.total, currency: paymentBatches.currency, createdAt: paymentBatches.createdAt, sentAt: paymentBatches.sentAt })
		.from(paymentBatches)
		.orderBy(desc(paymentBatches.createdAt))
		.limit(BATCH_PAGE_SIZE)
		.offset((p - 1) * BATCH_PAGE_SIZE);
	return pageOf(rows, Number(n), p, BATCH_PAGE_SIZE);
}

/** One batch with its payments. Refuses: forbidden, not_found. */
export async function getBatch(ctx: Ctx, batchId: string) {
	requireRoleIn(ctx, ['finance']);
	const db = ctx.database.db;
	const [batch] = await db.select().from(paymentBatches).where(eq(paymentBatches.id, batchId));
	if (!batch) throw notFound();
	const items = await db
		.select({ trancheId: paymentBatchItems.trancheId, amount: paymentBatchItems.amount, status: paymentBatchItems.status, title: applications.title, grantId: grants.id, payee: payoutAccounts.holderName, accountKind: payoutAccounts.kind, account: payoutAccounts.account })
		.from(paymentBatchItems)
		.innerJoin(paymentTranches, eq(paymentTranches.id, paymentBatchItems.trancheId))
		.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.leftJoin(payoutAccounts, and(eq(payoutAccounts.grantId, grants.id), eq(payoutAccounts.status, 'confirmed')))
		.where(eq(paymentBatchItems.batchId, batchId))
		.orderBy(applications.title);
	const { xml: _xml, ...rest } = batch;
	return { batch: rest, items };
}

/**
 * Finance marks a batch sent to the bank: each payment is booked as disbursed (the money has
 * left the municipality's account) and the grantees are told. Refuses: forbidden, not_found, invalid_state.
 */
export async function markBatchSent(ctx: Ctx, batchId: string) {
	const actor = requireRoleIn(ctx, ['finance']);
	await ctx.database.write(async (tx) => {
		const [batch] = await tx.select().from(paymentBatches).where(eq(paymentBatches.id, batchId));
		if (!batch) throw notFound();
		const moved = await tx.update(paymentBatches).set({ status: 'sent', sentBy: actor.id, sentAt: ctx.now }).where(and(eq(paymentBatches.id, batchId), eq(paymentBatches.status, 'created'))).returning({ id: paymentBatches.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_batch_not_open');
		const items = await tx.select().from(paymentBatchItems).where(and(eq(paymentBatchItems.batchId, batchId), eq(paymentBatchItems.status, 'pending')));
		for (const item of items) {
			const row = await loadTranche(tx, item.trancheId);
			await assertMayPay(tx, ctx, actor, row, 'tranche.send');
			const ok = await bookPaid(tx, ctx, row, { from: 'processing', attempt: item.attempt, method: 'pain001', reference: batch.messageId, paidAt: ctx.now, actorId: actor.id });
			if (!ok) throw new DomainError('invalid_state', 'error_tranche_not_due');
			await tx.update(paymentBatchItems).set({ status: 'sent' }).where(and(eq(paymentBatchItems.batchId, batchId), eq(paymentBatchItems.trancheId, item.trancheId)));
		}
		await audit(tx, ctx, { action: 'payment.batch_sent', entityType: 'payment_batch', entityId: batchId, summary: { messageId: batch.messageId, count: items.length } });
	});
}

/** Finance cancels a batch not yet sent: its tranches are due again. Refuses: forbidden, not_found, invalid_state. */
export async function cancelBatch(ctx: Ctx, batchId: string) {
	requireRoleIn(ctx, ['finance']);
	await ctx.database.write(async (tx) => {
		const [batch] = await tx.select().from(paymentBatches).where(eq(paymentBatches.id, batchId));
		if (!batch) throw notFound();
		const moved = await tx.update(paymentBatches).set({ status: 'cancelled' }).where(and(eq(paymentBatches.id, batchId), eq(paymentBatches.status, 'created'))).returning({ id: paymentBatches.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_batch_not_open');
		await tx.update(paymentTranches).set({ status: 'due', batchId: null }).where(and(eq(paymentTranches.batchId, batchId), eq(paymentTranches.status, 'processing')));
		await tx.update(paymentBatchItems).set({ status: 'removed' }).where(eq(paymentBatchItems.batchId, batchId));
		await audit(tx, ctx, { action: 'payment.batch_cancelled', entityType: 'payment_batch', entityId: batchId, summary: { messageId: batch.messageId } });
	});
}

/**
 * After the bank's statement, finance settles each payment of a sent batch: confirmed as paid,
 * or failed (a reversal ledger row; the tranche is due again). When none is left open, the batch
 * is settled. Refuses: forbidden, not_found, invalid_state, invalid (a failure needs a reason).
 */
export async function settleBatchItem(ctx: Ctx, batchId: string, trancheId: string, outcome: 'paid' | 'failed', reasonInput = '') {
	const actor = requireRoleIn(ctx, ['finance']);
	const reason = reasonInput.trim();
	if (outcome === 'failed' && !reason) throw new DomainError('invalid', 'error_reason_required', 'reason');
	await ctx.database.write(async (tx) => {
		const [item] = await tx.select().from(paymentBatchItems).where(and(eq(paymentBatchItems.batchId, batchId), eq(paymentBatchItems.trancheId, trancheId)));
		if (!item) throw notFound();
		if (item.status !== 'sent') throw new DomainError('invalid_state', 'error_batch_item_settled');
		if (outcome === 'failed') {
			const row = await loadTranche(tx, trancheId);
			if (!(await bookReversal(tx, ctx, row, reason, actor.id))) throw new DomainError('invalid_state', 'error_tranche_not_paid');
			return;
		}
		await tx.update(paymentBatchItems).set({ status: 'paid', settledBy: actor.id, settledAt: ctx.now }).where(and(eq(paymentBatchItems.batchId, batchId), eq(paymentBatchItems.trancheId, trancheId), eq(paymentBatchItems.status, 'sent')));
		await settleBatchIfDone(tx, batchId);
		await audit(tx, ctx, { action: 'payment.confirmed', entityType: 'payment_batch', entityId: batchId, summary: { trancheId } });
	});
}
