import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { grants, ledgerEntries, type LedgerKind } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';

export interface LedgerEntry {
	fundId: string;
	grantId?: string | null;
	trancheId?: string | null;
	kind: LedgerKind;
	amount: number;
	method?: 'bank_transfer' | 'stripe' | 'pain001' | null;
	reference?: string | null;
	reason?: string | null;
	idempotencyKey: string;
	actorId: string | null;
	at: Date;
}

/**
 * Appends one ledger row inside the caller's transaction. A key already booked with the same
 * movement is a harmless retry (returns false); the same key with different parameters is
 * refused, so a mistaken retry can never book a different amount. Refuses: conflict.
 */
export async function appendLedger(tx: Tx, e: LedgerEntry): Promise<boolean> {
	if (!Number.isSafeInteger(e.amount) || e.amount < 0) throw new Error(`ledger amount must be a non-negative integer: ${e.amount}`);
	const [existing] = await tx.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, e.idempotencyKey));
	if (existing) {
		const same = existing.kind === e.kind && existing.amount === e.amount && existing.trancheId === (e.trancheId ?? null) && existing.fundId === e.fundId;
		if (!same) throw new DomainError('conflict', 'error_idempotency_mismatch');
		return false;
	}
	await tx.insert(ledgerEntries).values({
		fundId: e.fundId,
		grantId: e.grantId ?? null,
		trancheId: e.trancheId ?? null,
		kind: e.kind,
		amount: e.amount,
		method: e.method ?? null,
		reference: e.reference ?? null,
		reason: e.reason ?? null,
		idempotencyKey: e.idempotencyKey,
		actorId: e.actorId,
		at: e.at
	});
	return true;
}

/**
 * Releases part of a grant's award back to its fund: a release ledger row and the grant's
 * released amount, together (reconcile compares the two). Nothing is booked for zero.
 */
export async function releaseFromGrant(
	tx: Tx,
	grant: { id: string; fundId: string },
	p: { amount: number; key: string; reason: string; actorId: string | null; at: Date; trancheId?: string }
) {
	if (p.amount <= 0) return;
	const booked = await appendLedger(tx, { fundId: grant.fundId, grantId: grant.id, trancheId: p.trancheId ?? null, kind: 'release', amount: p.amount, idempotencyKey: p.key, actorId: p.actorId, at: p.at, reason: p.reason });
	if (booked) await tx.update(grants).set({ releasedAmount: sql`${grants.releasedAmount} + ${p.amount}` }).where(eq(grants.id, grant.id));
}
