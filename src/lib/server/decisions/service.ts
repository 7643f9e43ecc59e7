import { and, eq, ne } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { applications, calls, funds, grants, milestones, paymentTranches, users } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { queueEmail } from '../email/outbox.ts';
import { DomainError, notFound } from '../errors.ts';
import { LIMITS } from '../../domain.ts';
import { formatMoneyIn } from '../../money.ts';
import { milestone_final_default } from '../../paraglide/messages.js';
import { partyOf } from '../applications/service.ts';
import { transition } from '../applications/workflow.ts';
import { appendLedger } from '../ledger/book.ts';
import { fundFigures } from '../ledger/figures.ts';
import { assertMay } from '../access/policy.ts';
import { relationsTo } from '../access/relations.ts';
import { addMonths, today } from '../calendar.ts';
import { endGrant } from '../grants/service.ts';

/** Splits an amount by percentages into integer parts that add up to it exactly (the last takes the rest). */
export function splitByPercent(amount: number, percents: number[]): number[] {
	const parts = percents.map((p) => Math.floor((amount * p) / 100));
	parts[parts.length - 1] += amount - parts.reduce((a, b) => a + b, 0);
	return parts;
}

export type Decision = { applicationId: number; outcome: 'approve'; amount: number; conditions: string } | { applicationId: number; outcome: 'reject'; reason: string };

/**
 * Staff decide one application in review. Approval (full or reduced amount, with conditions)
 * creates the grant and its payment tranches from the call's template in the same write
 * transaction that checks the fund still covers it; rejection records the reason the applicant
 * reads. Either way the applicant is emailed. Refuses: forbidden (own application), not_found,
 * invalid_state, invalid (amount, reason), conflict (fund exhausted).
 */
export async function decide(ctx: Ctx, d: Decision) {
	const actor = requireRoleIn(ctx, ['officer', 'admin']);
	if (d.outcome === 'reject') {
		if (!d.reason.trim()) throw new DomainError('invalid', 'error_reason_required', `reason-${d.applicationId}`);
		if (d.reason.length > LIMITS.message) throw new DomainError('invalid', 'error_too_long', `reason-${d.applicationId}`, { max: LIMITS.message });
	} else {
		if (d.conditions.length > LIMITS.message) throw new DomainError('invalid', 'error_too_long', `conditions-${d.applicationId}`, { max: LIMITS.message });
	}
	return ctx.database.write(async (tx) => {
		const [app] = await tx.select().from(applications).where(eq(applications.id, d.applicationId));
		if (!app) throw notFound();
		const party = await partyOf(tx, actor, app);
		if (!party) throw notFound();
		const t = transition(d.outcome);
		// Nobody decides where they are the applicant, a member of its organisation or tied to it.
		assertMay(actor, 'application.decide', { relations: await relationsTo(tx, actor.id, app), state: app.status });
		const [call] = await tx.select().from(calls).where(eq(calls.id, app.callId));
		const [owner] = await tx.select().from(users).where(eq(users.id, app.applicantId));
		const [fund] = await tx.select().from(funds).where(eq(funds.id, call.fundId));
		const url = `${ctx.config.PUBLIC_ORIGIN}/applications/${app.id}`;
		if (d.outcome === 'approve') {
			if (!Number.isSafeInteger(d.amount) || d.amount <= 0 || d.amount > app.requestedAmount) {
				throw new DomainError('invalid', 'error_award_amount', `amount-${d.applicationId}`);
			}
			if (fund.status !== 'active') throw new DomainError('invalid_state', 'error_fund_closed', `amount-${d.applicationId}`);
			// Invariant 1: what the fund has committed (owed-back money included until repaid) never exceeds its budget.
			const { available } = await fundFigures(tx, fund.id);
			if (d.amount > available) {
				const left = formatMoneyIn(ctx.locale, available, fund.currency);
				throw new DomainError('conflict', 'error_fund_exhausted', `amount-${d.applicationId}`, { available: left });
			}
			const grantId = crypto.randomUUID();
			await tx.insert(grants).values({ id: grantId, applicationId: app.id, fundId: fund.id, awardedAmount: d.amount, conditions: d.conditions.trim(), approvedBy: actor.id, createdAt: ctx.now });
			await appendLedger(tx, { fundId: fund.id, grantId, kind: 'commitment', amount: d.amount, idempotencyKey: `commit:${grantId}`, actorId: actor.id, at: ctx.now, reason: `application ${app.id}` });
			const parts = splitByPercent(d.amount, call.paymentTemplate.map((s) => s.percent));
			await tx.insert(paymentTranches).values(
				call.paymentTemplate.map((s, i) => ({ id: crypto.randomUUID(), grantId, position: i, percent: s.percent, amount: parts[i], trigger: s.trigger, milestonePosition: s.trigger === 'milestone' ? (s.milestone ?? null) : null }))
			);
			// Milestones from the call's template (months after today); without one, a final report at the
			// project's end, named in the grantee's language (the one who writes it).
			const template = call.milestoneTemplate.length ? call.milestoneTemplate : [{ title: milestone_final_default({}, { locale: owner.locale }), months: 0 }];
			await tx.insert(milestones).values(
				template.map((m, i) => {
					const end = app.endDate && m.months === 0 ? app.endDate : addMonths(today(ctx), m.months);
					return { id: crypto.randomUUID(), grantId, position: i, title: m.title, language: call.milestoneTemplate.length ? call.language : owner.locale, dueDate: end, isFinal: i === template.length - 1 };
				})
			);
			await tx.update(applications).set({ status: t.to, decidedAt: ctx.now, decidedBy: actor.id, updatedAt: ctx.now }).where(eq(applications.id, app.id));
			await audit(tx, ctx, { action: 'application.approved', entityType: 'application', entityId: String(app.id), summary: { grantId, amount: d.amount, requested: app.requestedAmount } });
			await audit(tx, ctx, { action: 'grant.offered', entityType: 'grant', entityId: grantId, summary: { applicationId: app.id, amount: d.amount } });
			await queueEmail(tx, ctx, owner, {
				template: 'application-approved',
				// The email leads to the offer, where it is accepted.
				params: { name: owner.name, title: app.title, number: app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}`, amount: d.amount, currency: fund.currency, conditions: d.conditions.trim() }
			});
			return { grantId };
		}
		await tx
			.update(applications)
			.set({ status: t.to, decidedAt: ctx.now, decidedBy: actor.id, decisionReason: d.reason.trim(), updatedAt: ctx.now })
			.where(eq(applications.id, app.id));
		await audit(tx, ctx, { action: 'application.rejected', entityType: 'application', entityId: String(app.id), summary: { reason: d.reason.trim().slice(0, 200) } });
		await queueEmail(tx, ctx, owner, { template: 'application-rejected', params: { name: owner.name, title: app.title, number: app.id, url, message: d.reason.trim() } });
		return { grantId: null };
	});
}

/** Several decisions at once from the ranking; each stands or falls on its own. Refuses nothing itself. */
export async function decideMany(ctx: Ctx, decisions: Decision[]) {
	const results: { applicationId: number; ok: boolean; error?: DomainError }[] = [];
	for (const d of decisions) {
		try {
			await decide(ctx, d);
			results.push({ applicationId: d.applicationId, ok: true });
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			results.push({ applicationId: d.applicationId, ok: false, error: err });
		}
	}
	return results;
}

/**
 * Staff reverse a decision taken by mistake: the application returns to review, an approval's
 * grant and its unpaid tranches are cancelled (releasing the money to the fund). Audited with
 * the reason; the applicant is told. Refuses: forbidden, not_found, invalid_state (money
 * already paid), invalid (reason missing).
 */
export async function reverseDecision(ctx: Ctx, applicationId: number, reasonInput: string) {
	const actor = requireRoleIn(ctx, ['officer', 'admin']);
	const reason = reasonInput.trim();
	if (!reason) throw new DomainError('invalid', 'error_reason_required', 'reverseReason');
	if (reason.length > LIMITS.message) throw new DomainError('invalid', 'error_too_long', 'reverseReason', { max: LIMITS.message });
	await ctx.database.write(async (tx) => {
		const [app] = await tx.select().from(applications).where(eq(applications.id, applicationId));
		if (!app) throw notFound();
		const party = await partyOf(tx, actor, app);
		if (!party) throw notFound();
		const t = transition('reverse_decision');
		const [grant] = await tx.select().from(grants).where(and(eq(grants.applicationId, applicationId), ne(grants.status, 'cancelled')));
		assertMay(actor, 'application.reverse_decision', { relations: await relationsTo(tx, actor.id, app, grant), state: app.status });
		if (grant) {
			const tranches = await tx.select().from(paymentTranches).where(eq(paymentTranches.grantId, grant.id));
			if (tranches.some((tr) => tr.status !== 'scheduled') || grant.status !== 'offered') throw new DomainError('invalid_state', 'error_grant_under_way');
			await endGrant(tx, ctx, grant, 'cancelled', reason, 'reversed');
		}
		await tx.update(applications).set({ status: t.to, decidedAt: null, decidedBy: null, decisionReason: null, updatedAt: ctx.now }).where(eq(applications.id, applicationId));
		await audit(tx, ctx, { action: 'application.decision_reversed', entityType: 'application', entityId: String(applicationId), summary: { from: app.status, reason, grantId: grant?.id ?? null } });
		const [owner] = await tx.select().from(users).where(eq(users.id, app.applicantId));
		await queueEmail(tx, ctx, owner, {
			template: 'application-message',
			params: { name: owner.name, title: app.title, number: app.id, url: `${ctx.config.PUBLIC_ORIGIN}/applications/${app.id}`, message: reason }
		});
	});
}
