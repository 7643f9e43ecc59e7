import { and, desc, eq } from 'drizzle-orm';
import type { Actor, Ctx } from '../context.ts';
import type { Reader } from '../db/client.ts';
import { applications, grants, users, writeOffs } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireActor } from '../auth/authorize.ts';
import { DomainError, notFound } from '../errors.ts';
import { isMoney } from '../../domain.ts';
import { appendLedger } from './book.ts';
import { owedBackOf } from './figures.ts';
import { assertMay, may, type Relation } from '../access/policy.ts';
import { relationsTo } from '../access/relations.ts';

/**
 * Money owed back that will not come back is written off by two people: a finance user and a
 * programme officer, different persons, with a reason. One proposes (acting in one of the two
 * roles), a person holding the other role confirms; only the confirmation books a `write_off`
 * ledger row, after which the money is no longer owed and no longer committed in the fund.
 */

async function loadGrantFor(db: Reader, actor: Actor, grantId: string) {
	const [row] = await db.select({ grant: grants, app: { id: applications.id, applicantId: applications.applicantId, organisationId: applications.organisationId } }).from(grants).innerJoin(applications, eq(applications.id, grants.applicationId)).where(eq(grants.id, grantId));
	if (!row) throw notFound();
	return { ...row, relations: await relationsTo(db, actor.id, row.app, row.grant) };
}

/**
 * Whether the actor may confirm a proposed write-off: the policy (not the proposer, not tied to
 * the grantee) and the other role than the one the proposal was made in. Refuses: forbidden, invalid_state.
 */
function assertMayConfirm(actor: Actor, w: typeof writeOffs.$inferSelect, relations: Relation[]) {
	assertMay(actor, 'write_off.confirm', { relations: w.proposedBy === actor.id ? [...relations, 'proposer'] : relations, state: w.status }, 'error_transition_not_allowed');
	if (!actor.roles.includes(w.proposedAs === 'finance' ? 'officer' : 'finance')) throw new DomainError('forbidden', 'error_write_off_other_role');
}

/** The role the actor acts in: finance if they hold it, else officer (a person holding both chooses by proposing as finance). */
const roleOf = (actor: Actor, prefer?: 'finance' | 'officer'): 'finance' | 'officer' | null =>
	prefer && actor.roles.includes(prefer) ? prefer : actor.roles.includes('finance') ? 'finance' : actor.roles.includes('officer') ? 'officer' : null;

/**
 * A finance user or an officer proposes writing off money still owed back, with a reason.
 * Refuses: forbidden (role, tied to the grantee), not_found, invalid (amount, reason),
 * invalid_state (grant not ended, nothing owed, a proposal already waiting).
 */
export async function proposeWriteOff(ctx: Ctx, grantId: string, input: { amount: number | null; reason: string; as?: 'finance' | 'officer' }) {
	const actor = requireActor(ctx);
	const reason = input.reason.trim();
	if (!reason) throw new DomainError('invalid', 'error_reason_required', 'reason');
	if (reason.length > 1000) throw new DomainError('invalid', 'error_too_long', 'reason', { max: 1000 });
	return ctx.database.write(async (tx) => {
		const g = await loadGrantFor(tx, actor, grantId);
		const as = roleOf(actor, input.as);
		if (!as) throw notFound();
		assertMay(actor, 'write_off.propose', { relations: g.relations, state: g.grant.status }, 'error_nothing_owed');
		const owed = await owedBackOf(tx, grantId);
		if (owed <= 0) throw new DomainError('invalid_state', 'error_nothing_owed');
		if (input.amount === null || !isMoney(input.amount) || input.amount <= 0) throw new DomainError('invalid', 'error_amount_invalid', 'amount');
		if (input.amount > owed) throw new DomainError('invalid', 'error_write_off_too_much', 'amount');
		const [pending] = await tx.select({ id: writeOffs.id }).from(writeOffs).where(and(eq(writeOffs.grantId, grantId), eq(writeOffs.status, 'proposed')));
		if (pending) throw new DomainError('invalid_state', 'error_write_off_pending');
		const id = crypto.randomUUID();
		await tx.insert(writeOffs).values({ id, grantId, amount: input.amount, reason, status: 'proposed', proposedBy: actor.id, proposedAs: as, proposedAt: ctx.now });
		await audit(tx, ctx, { action: 'payment.write_off_proposed', entityType: 'grant', entityId: grantId, summary: { writeOffId: id, amount: input.amount, as, reason } });
		return id;
	});
}

/**
 * A person holding the other role than the proposer's, and not the proposer, confirms a
 * write-off: a `write_off` ledger row (never more than is still owed). Refuses: forbidden
 * (same person, same role only, tied), not_found, invalid_state (not proposed, nothing owed).
 */
export async function confirmWriteOff(ctx: Ctx, writeOffId: string) {
	const actor = requireActor(ctx);
	await ctx.database.write(async (tx) => {
		const [w] = await tx.select().from(writeOffs).where(eq(writeOffs.id, writeOffId));
		if (!w) throw notFound();
		const g = await loadGrantFor(tx, actor, w.grantId);
		assertMayConfirm(actor, w, g.relations);
		const owed = await owedBackOf(tx, w.grantId);
		if (w.amount > owed) throw new DomainError('invalid_state', 'error_write_off_too_much');
		const moved = await tx.update(writeOffs).set({ status: 'confirmed', decidedBy: actor.id, decidedAt: ctx.now }).where(and(eq(writeOffs.id, writeOffId), eq(writeOffs.status, 'proposed'))).returning({ id: writeOffs.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_transition_not_allowed');
		await appendLedger(tx, { fundId: g.grant.fundId, grantId: w.grantId, kind: 'write_off', amount: w.amount, reason: w.reason, idempotencyKey: `write_off:${w.id}`, actorId: actor.id, at: ctx.now });
		await audit(tx, ctx, { action: 'payment.written_off', entityType: 'grant', entityId: w.grantId, summary: { writeOffId: w.id, amount: w.amount, proposedBy: w.proposedBy, confirmedBy: actor.id } });
	});
}

/** The proposer (or anyone who may confirm) withdraws a proposal. Refuses: forbidden, not_found, invalid_state. */
export async function withdrawWriteOff(ctx: Ctx, writeOffId: string) {
	const actor = requireActor(ctx);
	await ctx.database.write(async (tx) => {
		const [w] = await tx.select().from(writeOffs).where(eq(writeOffs.id, writeOffId));
		if (!w) throw notFound();
		const g = await loadGrantFor(tx, actor, w.grantId);
		assertMay(actor, 'write_off.propose', { relations: g.relations, state: g.grant.status });
		const moved = await tx.update(writeOffs).set({ status: 'withdrawn', decidedBy: actor.id, decidedAt: ctx.now }).where(and(eq(writeOffs.id, writeOffId), eq(writeOffs.status, 'proposed'))).returning({ id: writeOffs.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_transition_not_allowed');
		await audit(tx, ctx, { action: 'payment.write_off_withdrawn', entityType: 'grant', entityId: w.grantId, summary: { writeOffId } });
	});
}

/** The grant's write-off proposal waiting for confirmation, and whether the actor may confirm it. */
export async function pendingWriteOff(ctx: Ctx, grantId: string) {
	const actor = requireActor(ctx);
	const [w] = await ctx.database.db
		.select({ w: writeOffs, proposer: users.name })
		.from(writeOffs)
		.innerJoin(users, eq(users.id, writeOffs.proposedBy))
		.where(and(eq(writeOffs.grantId, grantId), eq(writeOffs.status, 'proposed')))
		.orderBy(desc(writeOffs.proposedAt));
	if (!w) return null;
	const g = await loadGrantFor(ctx.database.db, actor, grantId);
	const mayConfirm = (() => {
		try {
			assertMayConfirm(actor, w.w, g.relations);
			return true;
		} catch (err) {
			if (err instanceof DomainError) return false;
			throw err;
		}
	})();
	return { id: w.w.id, amount: w.w.amount, reason: w.w.reason, proposer: w.proposer, proposedAs: w.w.proposedAs, mayConfirm, mayWithdraw: may(actor, 'write_off.propose', { relations: g.relations, state: g.grant.status }).ok };
}
