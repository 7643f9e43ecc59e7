import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Reader, Tx } from '../db/client.ts';
import { applications, calls, criteria, funds } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { DomainError, notFound } from '../errors.ts';
import { APPLICANT_KINDS, isMoney, CURRENCIES, FUND_STATUSES, PAYMENT_TRIGGERS, type ApplicantKind, type Currency, type PaymentStep } from '../../domain.ts';
import { isIsoDate } from '../time.ts';
import { renderMarkdown } from './markdown.ts';
import { fundFigures } from '../ledger/figures.ts';
import { assertMay } from '../access/policy.ts';
import { formatMoneyIn } from '../../money.ts';
import type { Locale } from '../../roles.ts';

const STAFF = ['officer', 'admin'] as const;
const requireStaff = (ctx: Ctx) => requireRoleIn(ctx, [...STAFF]);

// ---------------------------------------------------------------- funds

export interface FundInput {
	name: string;
	currency: Currency;
	budget: number;
	periodStart: string;
	periodEnd: string;
}

function validateFund(input: FundInput) {
	const name = input.name.trim();
	if (!name || name.length > 120) throw new DomainError('invalid', 'error_fund_name', 'name');
	if (!CURRENCIES.includes(input.currency)) throw new DomainError('invalid', 'error_currency', 'currency');
	if (!isMoney(input.budget) || input.budget <= 0) throw new DomainError('invalid', 'error_budget', 'budget');
	if (!isIsoDate(input.periodStart)) throw new DomainError('invalid', 'error_date', 'periodStart');
	if (!isIsoDate(input.periodEnd) || input.periodEnd < input.periodStart) throw new DomainError('invalid', 'error_period_end', 'periodEnd');
	return { ...input, name };
}

/** Officers and admins create a fund. Refuses: forbidden, invalid. */
export async function createFund(ctx: Ctx, input: FundInput) {
	requireStaff(ctx);
	const values = validateFund(input);
	return ctx.database.write(async (tx) => {
		const id = crypto.randomUUID();
		await tx.insert(funds).values({ id, ...values, createdAt: ctx.now });
		await audit(tx, ctx, { action: 'fund.created', entityType: 'fund', entityId: id, summary: { name: values.name, budget: values.budget, currency: values.currency } });
		return id;
	});
}

/**
 * Officers and admins change a fund's name, budget, period and status. The budget never goes
 * below what the fund has committed; the currency is fixed once the fund has a call; a closed
 * fund takes no new calls and no approvals. Refuses: forbidden, not_found, invalid.
 */
export async function updateFund(ctx: Ctx, id: string, input: FundInput & { status: (typeof FUND_STATUSES)[number] }) {
	const values = validateFund(input);
	if (!FUND_STATUSES.includes(input.status)) throw new DomainError('invalid', 'error_choose_from_list', 'status');
	await ctx.database.write(async (tx) => {
		const [fund] = await tx.select().from(funds).where(eq(funds.id, id));
		if (!fund) throw notFound();
		assertMay(ctx.actor, 'fund.edit', { relations: [], state: fund.status });
		const figures = await fundFigures(tx, id);
		if (values.budget < figures.committed) throw new DomainError('invalid', 'error_budget_below_committed', 'budget', { committed: formatMoneyIn(ctx.locale, figures.committed, fund.currency) });
		const [{ n }] = await tx.select({ n: sql<number>`count(*)` }).from(calls).where(eq(calls.fundId, id));
		if (values.currency !== fund.currency && Number(n) > 0) throw new DomainError('invalid', 'error_currency', 'currency');
		await tx.update(funds).set({ name: values.name, currency: values.currency, budget: values.budget, periodStart: values.periodStart, periodEnd: values.periodEnd, status: input.status }).where(eq(funds.id, id));
		await audit(tx, ctx, { action: 'fund.updated', entityType: 'fund', entityId: id, summary: { budget: [fund.budget, values.budget], status: [fund.status, input.status] } });
	});
}

/** Officers and admins list funds with their calls' count. Refuses: forbidden. */
export async function listFunds(ctx: Ctx) {
	requireStaff(ctx);
	return ctx.database.db
		.select({
			id: funds.id,
			name: funds.name,
			currency: funds.currency,
			budget: funds.budget,
			periodStart: funds.periodStart,
			periodEnd: funds.periodEnd,
			status: funds.status,
			callCount: sql<number>`(select count(*) from ${calls} where ${calls.fundId} = ${funds.id})`
		})
		.from(funds)
		.orderBy(desc(funds.periodStart), asc(funds.name));
}

/** One fund and its calls, for staff. Refuses: forbidden, not_found. */
export async function getFund(ctx: Ctx, id: string) {
	requireStaff(ctx);
	const [fund] = await ctx.database.db.select().from(funds).where(eq(funds.id, id));
	if (!fund) throw notFound();
	const figures = await fundFigures(ctx.database.db, id);
	const fundCalls = await ctx.database.db
		.select({ id: calls.id, title: calls.title, status: calls.status, opensAt: calls.opensAt, closesAt: calls.closesAt })
		.from(calls)
		.where(eq(calls.fundId, id))
		.orderBy(desc(calls.opensAt));
	return { fund, figures, calls: fundCalls };
}

// ---------------------------------------------------------------- calls

export interface CriterionInput {
	name: string;
	guidance: string;
	weight: number;
	scaleMax: number;
}

export interface CallInput {
	title: string;
	description: string;
	opensAt: Date;
	closesAt: Date | null;
	minAmount: number;
	maxAmount: number;
	eligibleKinds: ApplicantKind[];
	reviewersPerApplication: number;
	decisionDays: number;
	paymentTemplate: PaymentStep[];
	criteria: CriterionInput[];
	/** Reviewers do not see who applied. */
	hideIdentity?: boolean;
	/** Days a reviewer has for an assignment. */
	reviewDays?: number;
	/** Grant terms in each language (the version rises whenever they change). */
	terms?: { en: string; sv: string; nl: string };
	/** Milestones of each grant, months after acceptance; the last is the final report. */
	milestoneTemplate?: { title: string; months: number }[];
	/** The language the call's texts are written in (the officer's own when not given). */
	language?: Locale;
}

/** Every rule a call's settings must meet; the first broken one is refused with its field. */
export function validateCall(input: CallInput) {
	const title = input.title.trim();
	if (!title || title.length > 200) throw new DomainError('invalid', 'error_call_title', 'title');
	if (input.description.length > 20_000) throw new DomainError('invalid', 'error_too_long', 'description', { max: 20_000 });
	if (input.closesAt && input.closesAt <= input.opensAt) throw new DomainError('invalid', 'error_closes_before_opens', 'closesAt');
	if (!isMoney(input.minAmount) || input.minAmount <= 0) throw new DomainError('invalid', 'error_amount_positive', 'minAmount');
	if (!isMoney(input.maxAmount) || input.maxAmount < input.minAmount) throw new DomainError('invalid', 'error_max_below_min', 'maxAmount');
	if (input.eligibleKinds.length === 0 || !input.eligibleKinds.every((k) => APPLICANT_KINDS.includes(k))) {
		throw new DomainError('invalid', 'error_eligible_kinds', 'eligibleKinds');
	}
	if (!Number.isInteger(input.reviewersPerApplication) || input.reviewersPerApplication < 1 || input.reviewersPerApplication > 10) {
		throw new DomainError('invalid', 'error_reviewers_per_application', 'reviewersPerApplication');
	}
	if (!Number.isInteger(input.decisionDays) || input.decisionDays < 1 || input.decisionDays > 365) {
		throw new DomainError('invalid', 'error_decision_days', 'decisionDays');
	}
	if (input.reviewDays !== undefined && (!Number.isInteger(input.reviewDays) || input.reviewDays < 1 || input.reviewDays > 90)) {
		throw new DomainError('invalid', 'error_review_days', 'reviewDays');
	}
	for (const text of Object.values(input.terms ?? {})) if (text.length > 20_000) throw new DomainError('invalid', 'error_too_long', 'terms', { max: 20_000 });
	for (const m of input.milestoneTemplate ?? []) {
		if (!m.title.trim() || m.title.length > 200 || !Number.isInteger(m.months) || m.months < 0 || m.months > 60) {
			throw new DomainError('invalid', 'error_milestone_template', 'milestoneTemplate');
		}
	}
	const steps = input.paymentTemplate;
	if (
		steps.length === 0 ||
		steps.some((s) => !Number.isInteger(s.percent) || s.percent < 1 || s.percent > 100 || !PAYMENT_TRIGGERS.includes(s.trigger)) ||
		// A milestone tranche names a milestone of the template other than the final one (that is 'final_report').
		steps.some((s) => s.trigger === 'milestone' && (!Number.isInteger(s.milestone) || s.milestone! < 0 || s.milestone! >= Math.max(0, (input.milestoneTemplate?.length ?? 0) - 1))) ||
		steps.reduce((n, s) => n + s.percent, 0) !== 100
	) {
		throw new DomainError('invalid', 'error_payment_template', 'paymentTemplate');
	}
	for (const c of input.criteria) {
		if (!c.name.trim() || c.name.length > 100) throw new DomainError('invalid', 'error_criterion_name', 'criteria');
		if (c.guidance.length > 1000) throw new DomainError('invalid', 'error_too_long', 'criteria', { max: 1000 });
		if (!Number.isInteger(c.weight) || c.weight < 1 || c.weight > 100) throw new DomainError('invalid', 'error_criterion_weight', 'criteria');
		if (!Number.isInteger(c.scaleMax) || c.scaleMax < 2 || c.scaleMax > 10) throw new DomainError('invalid', 'error_criterion_scale', 'criteria');
	}
	return { ...input, title };
}

async function replaceCriteria(tx: Tx, callId: string, list: CriterionInput[]) {
	await tx.delete(criteria).where(eq(criteria.callId, callId));
	if (list.length) {
		await tx.insert(criteria).values(
			list.map((c, i) => ({ id: crypto.randomUUID(), callId, position: i, name: c.name.trim(), guidance: c.guidance.trim(), weight: c.weight, scaleMax: c.scaleMax }))
		);
	}
}

/**
 * Reviews can only exist for applications that reached review, so once any application of the
 * call is in review (or decided) its criteria are locked.
 */
async function criteriaLocked(db: Reader, callId: string) {
	const [row] = await db
		.select({ n: sql<number>`count(*)` })
		.from(applications)
		.where(and(eq(applications.callId, callId), inArray(applications.status, ['in_review', 'approved', 'rejected'])));
	return row.n > 0;
}

/** Officers and admins create a draft call in a fund. Refuses: forbidden, invalid, not_found. */
export async function createCall(ctx: Ctx, fundId: string, input: CallInput) {
	requireStaff(ctx);
	const values = validateCall(input);
	return ctx.database.write(async (tx) => {
		const [fund] = await tx.select().from(funds).where(eq(funds.id, fundId));
		if (!fund) throw notFound();
		if (fund.status !== 'active') throw new DomainError('invalid', 'error_fund_closed');
		if (values.maxAmount > fund.budget) throw new DomainError('invalid', 'error_max_above_fund', 'maxAmount');
		const id = crypto.randomUUID();
		const { criteria: list, terms, ...call } = values;
		await tx.insert(calls).values({ id, fundId, ...call, language: call.language ?? ctx.actor!.locale, ...(terms ? { termsEn: terms.en, termsSv: terms.sv, termsNl: terms.nl } : {}), createdAt: ctx.now });
		await replaceCriteria(tx, id, list);
		await audit(tx, ctx, { action: 'call.created', entityType: 'call', entityId: id, summary: { title: call.title, fundId } });
		return id;
	});
}

/**
 * Officers and admins change a call. Criteria cannot change once a review can exist.
 * Refuses: forbidden, invalid, not_found, invalid_state (criteria locked).
 */
export async function updateCall(ctx: Ctx, id: string, input: CallInput) {
	requireStaff(ctx);
	const values = validateCall(input);
	await ctx.database.write(async (tx) => {
		const [call] = await tx.select().from(calls).where(eq(calls.id, id));
		if (!call) throw notFound();
		const [fund] = await tx.select().from(funds).where(eq(funds.id, call.fundId));
		if (values.maxAmount > fund.budget) throw new DomainError('invalid', 'error_max_above_fund', 'maxAmount');
		const before = await tx.select().from(criteria).where(eq(criteria.callId, id)).orderBy(asc(criteria.position));
		const { criteria: list, terms, ...rest } = values;
		const same =
			before.length === list.length &&
			before.every((c, i) => c.name === list[i].name.trim() && c.guidance === list[i].guidance.trim() && c.weight === list[i].weight && c.scaleMax === list[i].scaleMax);
		if (!same) {
			if (await criteriaLocked(tx, id)) throw new DomainError('invalid_state', 'error_criteria_locked', 'criteria');
			if (call.status === 'published' && list.length === 0) throw new DomainError('invalid', 'error_publish_needs_criteria', 'criteria');
			await replaceCriteria(tx, id, list);
		}
		const termsChanged = !!terms && (terms.en !== call.termsEn || terms.sv !== call.termsSv || terms.nl !== call.termsNl);
		await tx
			.update(calls)
			.set({ ...rest, ...(terms ? { termsEn: terms.en, termsSv: terms.sv, termsNl: terms.nl } : {}), ...(termsChanged ? { termsVersion: call.termsVersion + 1 } : {}) })
			.where(eq(calls.id, id));
		await audit(tx, ctx, { action: 'call.updated', entityType: 'call', entityId: id, summary: { title: rest.title, criteriaChanged: !same } });
	});
}

/** Officers and admins publish a draft call. Refuses: forbidden, not_found, invalid (no criteria, fund closed). */
export async function publishCall(ctx: Ctx, id: string) {
	requireStaff(ctx);
	await ctx.database.write(async (tx) => {
		const [call] = await tx.select().from(calls).where(eq(calls.id, id));
		if (!call) throw notFound();
		if (call.status === 'published') return;
		const [{ n }] = await tx.select({ n: sql<number>`count(*)` }).from(criteria).where(eq(criteria.callId, id));
		if (n === 0) throw new DomainError('invalid', 'error_publish_needs_criteria', 'criteria');
		const [fund] = await tx.select().from(funds).where(eq(funds.id, call.fundId));
		if (fund.status !== 'active') throw new DomainError('invalid', 'error_fund_closed');
		await tx.update(calls).set({ status: 'published', publishedAt: ctx.now }).where(eq(calls.id, id));
		await audit(tx, ctx, { action: 'call.published', entityType: 'call', entityId: id, summary: { title: call.title } });
	});
}

/** A call with its criteria and fund, for staff editing. Refuses: forbidden, not_found. */
export async function getCallForStaff(ctx: Ctx, id: string) {
	requireStaff(ctx);
	const [row] = await ctx.database.db.select({ call: calls, fund: funds }).from(calls).innerJoin(funds, eq(funds.id, calls.fundId)).where(eq(calls.id, id));
	if (!row) throw notFound();
	const list = await ctx.database.db.select().from(criteria).where(eq(criteria.callId, id)).orderBy(asc(criteria.position));
	return { ...row, criteria: list, criteriaLocked: await criteriaLocked(ctx.database.db, id) };
}

export type CallPhase = 'upcoming' | 'open' | 'closed';
export const callPhase = (call: { opensAt: Date; closesAt: Date | null }, now: Date): CallPhase =>
	now < call.opensAt ? 'upcoming' : call.closesAt && now >= call.closesAt ? 'closed' : 'open';

/** Anyone sees the published calls that are open now or open later, soonest closing first. */
export async function listPublicCalls(ctx: Pick<Ctx, 'database' | 'now'>) {
	const rows = await ctx.database.db
		.select({
			id: calls.id,
			title: calls.title,
			language: calls.language,
			opensAt: calls.opensAt,
			closesAt: calls.closesAt,
			minAmount: calls.minAmount,
			maxAmount: calls.maxAmount,
			eligibleKinds: calls.eligibleKinds,
			currency: funds.currency,
			fundName: funds.name
		})
		.from(calls)
		.innerJoin(funds, eq(funds.id, calls.fundId))
		.where(and(eq(calls.status, 'published'), or(isNull(calls.closesAt), gt(calls.closesAt, ctx.now))))
		.orderBy(asc(sql`coalesce(${calls.closesAt}, 9e15)`), asc(calls.title));
	return rows.map((r) => ({ ...r, phase: callPhase(r, ctx.now) }));
}

/** A published call's public page; a draft is "not found" to everyone but staff. Refuses: not_found. */
export async function getPublicCall(ctx: Pick<Ctx, 'database' | 'now' | 'actor'>, id: string) {
	const [row] = await ctx.database.db.select({ call: calls, fund: funds }).from(calls).innerJoin(funds, eq(funds.id, calls.fundId)).where(eq(calls.id, id));
	const staff = !!ctx.actor && ctx.actor.roles.some((r) => (STAFF as readonly string[]).includes(r));
	if (!row || (row.call.status !== 'published' && !staff)) throw notFound();
	const list = await ctx.database.db
		.select({ name: criteria.name, guidance: criteria.guidance, weight: criteria.weight })
		.from(criteria)
		.where(eq(criteria.callId, id))
		.orderBy(asc(criteria.position));
	return {
		call: { ...row.call, descriptionHtml: renderMarkdown(row.call.description) },
		currency: row.fund.currency,
		fundName: row.fund.name,
		criteria: list,
		phase: callPhase(row.call, ctx.now)
	};
}

/** Calls staff can filter lists by. Refuses: forbidden. */
export async function listCallsForStaff(ctx: Ctx) {
	requireStaff(ctx);
	return ctx.database.db
		.select({ id: calls.id, title: calls.title, status: calls.status, opensAt: calls.opensAt, closesAt: calls.closesAt, fundName: funds.name })
		.from(calls)
		.innerJoin(funds, eq(funds.id, calls.fundId))
		.orderBy(desc(calls.opensAt));
}


/** Calls to filter finance's queue by (finance may see call titles). Refuses: forbidden. */
export async function listCallsForStaffOrFinance(ctx: Ctx) {
	requireRoleIn(ctx, ['officer', 'admin', 'finance']);
	return ctx.database.db.select({ id: calls.id, title: calls.title }).from(calls).orderBy(desc(calls.opensAt));
}
