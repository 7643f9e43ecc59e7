import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { addDays, dayOf, today } from '../calendar.ts';
import type { Ctx } from '../context.ts';
import { applications, calls, funds, grants, milestones, organisationMembers, paymentTranches, payoutAccounts, reports, reviewAssignments, reviews, writeOffs } from '../db/schema/index.ts';
import { holdsRole } from '../access/policy.ts';
import { withoutStake } from '../access/relations.ts';
import type { TodoKind } from '../../todo.ts';
import { ownApplicationIds, ownApplications } from '../applications/service.ts';
import { keptUntilChange } from '../audit/service.ts';

/**
 * What waits for one person, by kind, each linking to the place to act. Officers: applications to
 * screen, reports and payout changes to confirm, applications still lacking reviewers (by call),
 * overdue reports; reviewers: reviews to do; finance: payments and second approvals; officers and
 * finance: write-offs to confirm; everyone: changes asked for, offers to accept, reports due soon,
 * drafts for calls still open. What the policy forbids the person (their own organisation's work, a
 * tie, a declared conflict, the grant they approved) is never listed.
 */
export type { TodoKind };

export interface TodoEntry {
	id: string;
	title: string;
	href: string;
	/** A day the entry is due or was sent, in the municipality's calendar. */
	day?: string | null;
	amount?: { value: number; currency: string };
	/** The language the title is written in (marked on the page). */
	lang?: string | null;
	/** For a call's applications that lack reviewers: how many. */
	count?: number;
}
export interface TodoGroup {
	kind: TodoKind;
	/** How many wait, counted up to a cap (see `capped`). */
	total: number;
	/** More than `total` wait: counting stopped at the cap. */
	capped: boolean;
	entries: TodoEntry[];
	/** A list of all of them, where there is one. */
	all?: string;
}

/** Entries shown per kind. */
export const TODO_SHOWN = 10;
/** Reports due within this many days are listed for the grantee. */
const REPORT_SOON_DAYS = 14;

/** One kind's rows: at most `limit`, in the kind's order when `ordered` (else in any order, read only to count). A row with `n` stands for n things. */
type Rows = (limit: number, ordered: boolean) => PromiseLike<Record<string, unknown>[]>;
/** The header counts each kind up to this many (it shows "99+"): reading stops there, however much waits. */
export const TODO_COUNT_CAP = 100;
/** The to-do page counts each kind up to this many (it shows "1000+"). */
export const TODO_PAGE_CAP = 1000;

/**
 * The person's to-do: only kinds with something waiting, in a fixed order. Each kind's first
 * `shown` entries are read in order; its total is counted by reading at most `cap` + 1 more, in
 * no order (with `shown: 0` only the totals, up to TODO_COUNT_CAP).
 */
export async function todoFor(ctx: Ctx, opts: { shown?: number; cap?: number } = {}): Promise<TodoGroup[]> {
	const actor = ctx.actor;
	if (!actor) return [];
	const shown = opts.shown ?? TODO_SHOWN;
	const cap = shown === 0 ? TODO_COUNT_CAP : (opts.cap ?? TODO_PAGE_CAP);
	const by = (ordered: boolean, ...order: SQL[]) => (ordered ? order : []);
	const db = ctx.database.db;
	const day = today(ctx);
	const free = await withoutStake(db, actor.id);
	const dayOfAt = (d: Date | null) => (d ? dayOf(d, ctx.config.TIME_ZONE) : null);
	const kinds: { kind: TodoKind; all?: string; rows: Rows; entry: (r: never) => TodoEntry }[] = [];
	const add = <R>(kind: TodoKind, rows: (limit: number, ordered: boolean) => PromiseLike<R[]>, entry: (r: R) => TodoEntry, all?: string) =>
		kinds.push({ kind, rows: rows as unknown as Rows, entry: entry as (r: never) => TodoEntry, all });

	if (holdsRole(actor, 'application.screen'))
		add(
			'screen',
			(limit, ordered) => db.select({ id: applications.id, title: applications.title, lang: applications.language, at: applications.submittedAt }).from(applications).where(and(eq(applications.status, 'submitted'), free)).orderBy(...by(ordered, asc(applications.submittedAt))).limit(limit),
			(r) => ({ id: String(r.id), title: r.title, lang: r.lang, href: `/staff/applications/${r.id}`, day: dayOfAt(r.at) }),
			'/staff/applications?status=submitted&sort=oldest'
		);
	if (holdsRole(actor, 'report.review'))
		add(
			'reports',
			(limit, ordered) =>
				db
					.select({ grantId: reports.grantId, milestoneId: reports.milestoneId, title: applications.title, lang: applications.language, milestone: milestones.title, at: reports.submittedAt })
					.from(reports)
					.innerJoin(milestones, eq(milestones.id, reports.milestoneId))
					.innerJoin(grants, eq(grants.id, reports.grantId))
					.innerJoin(applications, eq(applications.id, grants.applicationId))
					.where(and(eq(reports.status, 'submitted'), inArray(grants.status, ['active', 'completed']), free))
					.orderBy(...by(ordered, asc(reports.submittedAt)))
					.limit(limit),
			(r) => ({ id: r.milestoneId, title: `${r.title} – ${r.milestone}`, lang: r.lang, href: `/grants/${r.grantId}/reports/${r.milestoneId}`, day: dayOfAt(r.at) })
		);
	if (holdsRole(actor, 'grant.confirm_payout'))
		add(
			'payout',
			(limit, ordered) =>
				db
					.select({ id: payoutAccounts.id, grantId: grants.id, title: applications.title, lang: applications.language, at: payoutAccounts.createdAt })
					.from(payoutAccounts)
					.innerJoin(grants, eq(grants.id, payoutAccounts.grantId))
					.innerJoin(applications, eq(applications.id, grants.applicationId))
					.where(and(eq(payoutAccounts.status, 'pending'), inArray(grants.status, ['active', 'completed']), free))
					.orderBy(...by(ordered, asc(payoutAccounts.createdAt)))
					.limit(limit),
			(r) => ({ id: r.id, title: r.title, lang: r.lang, href: `/grants/${r.grantId}`, day: dayOfAt(r.at) })
		);
	if (holdsRole(actor, 'application.assign_reviewers')) {
		// Grouped by call (where assigning is done); the total counts applications. Per call, from the
		// kept number of live reviewers (application_scores) and its index, so only those lacking some are read.
		const lacking = db
			.select({
				id: calls.id,
				title: calls.title,
				lang: calls.language,
				// Written out with table names: inside a subquery the query builder leaves columns unqualified.
				n: sql<number>`(select count(*) from application_scores s join applications on applications.id = s.application_id
					where s.call_id = calls.id and s.status = 'in_review' and s.live_reviewers < calls.reviewers_per_application and ${free})`.as('n')
			})
			.from(calls)
			.as('lacking');
		add(
			'assign',
			(limit, ordered) =>
				db
					.select()
					.from(lacking)
					.where(gt(lacking.n, 0))
					.orderBy(...by(ordered, asc(lacking.title)))
					.limit(limit),
			(r) => ({ id: r.id, title: r.title, lang: r.lang, href: `/staff/calls/${r.id}/review`, count: Number(r.n) })
		);
	}
	if (holdsRole(actor, 'report.review'))
		add(
			'overdue',
			(limit, ordered) =>
				db
					.select({ id: milestones.id, grantId: grants.id, title: applications.title, lang: applications.language, milestone: milestones.title, due: milestones.dueDate })
					.from(milestones)
					.innerJoin(grants, eq(grants.id, milestones.grantId))
					.innerJoin(applications, eq(applications.id, grants.applicationId))
					.where(and(eq(milestones.accepted, false), lt(milestones.dueDate, day), sql`+${grants.status} = 'active'`, free)) // from the open milestones past due (their index), not from every active grant
					.orderBy(...by(ordered, asc(milestones.dueDate)))
					.limit(limit),
			(r) => ({ id: r.id, title: `${r.title} – ${r.milestone}`, lang: r.lang, href: `/grants/${r.grantId}/reports/${r.id}`, day: r.due }),
			'/staff/grants?overdue=1'
		);
	if (holdsRole(actor, 'review.work'))
		add(
			'reviews',
			(limit, ordered) =>
				db
					.select({ id: reviewAssignments.id, title: applications.title, lang: applications.language, due: reviewAssignments.dueAt })
					.from(reviewAssignments)
					.innerJoin(applications, eq(applications.id, reviewAssignments.applicationId))
					.leftJoin(reviews, eq(reviews.assignmentId, reviewAssignments.id))
					.where(and(eq(reviewAssignments.reviewerId, actor.id), isNull(reviewAssignments.releasedAt), eq(applications.status, 'in_review'), isNull(reviews.submittedAt), free))
					.orderBy(...by(ordered, asc(reviewAssignments.dueAt)))
					.limit(limit),
			(r) => ({ id: r.id, title: r.title, lang: r.lang, href: `/reviews/${r.id}`, day: dayOfAt(r.due) }),
			'/reviews'
		);
	if (holdsRole(actor, 'tranche.pay')) {
		// Finance's queue (payments/service.ts dueTranches): due, with confirmed payout details, not
		// on a grant they approved; above the threshold a payment needs another's second approval first.
		const threshold = ctx.config.SECOND_APPROVAL_ABOVE;
		const due = and(eq(paymentTranches.status, 'due'), ne(grants.approvedBy, actor.id), free);
		const tranches = (where: SQL | undefined) => (limit: number, ordered: boolean) =>
			db
				.select({ id: paymentTranches.id, grantId: grants.id, title: applications.title, lang: applications.language, amount: paymentTranches.amount, currency: funds.currency, due: paymentTranches.dueAt })
				.from(paymentTranches)
				.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
				.innerJoin(applications, eq(applications.id, grants.applicationId))
				.innerJoin(funds, eq(funds.id, grants.fundId))
				.innerJoin(payoutAccounts, and(eq(payoutAccounts.grantId, grants.id), eq(payoutAccounts.status, 'confirmed')))
				.where(where)
				.orderBy(...by(ordered, asc(paymentTranches.dueAt), asc(paymentTranches.id)))
				.limit(limit);
		const entry = (r: { id: string; grantId: string; title: string; lang: string | null; amount: number; currency: string; due: Date | null }) => ({ id: r.id, title: r.title, lang: r.lang, href: `/grants/${r.grantId}`, day: dayOfAt(r.due), amount: { value: r.amount, currency: r.currency } });
		add('payments', tranches(and(due, or(lte(paymentTranches.amount, threshold), and(isNotNull(paymentTranches.approvedForPaymentBy), ne(paymentTranches.approvedForPaymentBy, actor.id))))), entry, '/finance');
		add('second_approvals', tranches(and(due, gt(paymentTranches.amount, threshold), isNull(paymentTranches.approvedForPaymentBy))), entry, '/finance');
	}
	if (holdsRole(actor, 'write_off.confirm')) {
		// The confirmer holds the role the proposer did not act in.
		const proposedAs = (['finance', 'officer'] as const).filter((r) => actor.roles.includes(r === 'finance' ? 'officer' : 'finance'));
		add(
			'write_offs',
			(limit, ordered) =>
				db
					.select({ id: writeOffs.id, grantId: grants.id, title: applications.title, lang: applications.language, amount: writeOffs.amount, currency: funds.currency, at: writeOffs.proposedAt })
					.from(writeOffs)
					.innerJoin(grants, eq(grants.id, writeOffs.grantId))
					.innerJoin(applications, eq(applications.id, grants.applicationId))
					.innerJoin(funds, eq(funds.id, grants.fundId))
					.where(and(eq(writeOffs.status, 'proposed'), ne(writeOffs.proposedBy, actor.id), inArray(writeOffs.proposedAs, proposedAs), free))
					.orderBy(...by(ordered, asc(writeOffs.proposedAt)))
					.limit(limit),
			(r) => ({ id: r.id, title: r.title, lang: r.lang, href: `/grants/${r.grantId}`, day: dayOfAt(r.at), amount: { value: r.amount, currency: r.currency } })
		);
	}

	// The applicant's side: their own applications and those of their organisations.
	const mine = ownApplications(db, actor.id);
	add(
		'changes',
		(limit, ordered) => db.select({ id: applications.id, title: applications.title, lang: applications.language, at: applications.updatedAt }).from(applications).where(and(eq(applications.status, 'needs_changes'), mine)).orderBy(...by(ordered, asc(applications.updatedAt))).limit(limit),
		(r) => ({ id: String(r.id), title: r.title, lang: r.lang, href: `/applications/${r.id}/edit`, day: dayOfAt(r.at) }),
		'/applications'
	);
	// Offers are accepted by the organisation's owner, or the resident who applied alone (grant.accept).
	const owned = or(
		and(isNull(applications.organisationId), eq(applications.applicantId, actor.id)),
		inArray(applications.organisationId, db.select({ id: organisationMembers.organisationId }).from(organisationMembers).where(and(eq(organisationMembers.userId, actor.id), eq(organisationMembers.role, 'owner'))))
	);
	add(
		'offers',
		(limit, ordered) =>
			db
				.select({ id: grants.id, title: applications.title, lang: applications.language, amount: grants.awardedAmount, currency: funds.currency })
				.from(grants)
				.innerJoin(applications, eq(applications.id, grants.applicationId))
				.innerJoin(funds, eq(funds.id, grants.fundId))
				.where(and(eq(grants.status, 'offered'), owned))
				.orderBy(...by(ordered, asc(grants.createdAt)))
				.limit(limit),
		(r) => ({ id: r.id, title: r.title, lang: r.lang, href: `/grants/${r.id}`, amount: { value: r.amount, currency: r.currency } }),
		'/grants'
	);
	add(
		'reports_due',
		(limit, ordered) =>
			db
				.select({ id: milestones.id, grantId: grants.id, title: applications.title, lang: applications.language, milestone: milestones.title, due: milestones.dueDate })
				.from(milestones)
				.innerJoin(grants, eq(grants.id, milestones.grantId))
				.innerJoin(applications, eq(applications.id, grants.applicationId))
				.leftJoin(reports, eq(reports.milestoneId, milestones.id))
				.where(
					and(
						// From the person's own grants (the unary + keeps the database from walking every active grant instead).
						inArray(grants.applicationId, ownApplicationIds(db, actor.id)),
						sql`+${grants.status} = 'active'`,
						lte(milestones.dueDate, addDays(day, REPORT_SOON_DAYS)),
						or(isNull(reports.status), inArray(reports.status, ['draft', 'changes_requested']))
					)
				)
				.orderBy(...by(ordered, asc(milestones.dueDate)))
				.limit(limit),
		(r) => ({ id: r.id, title: `${r.title} – ${r.milestone}`, lang: r.lang, href: `/grants/${r.grantId}/reports/${r.id}`, day: r.due }),
		'/grants'
	);
	add(
		'drafts',
		(limit, ordered) =>
			db
				.select({ id: applications.id, title: applications.title, lang: applications.language, closes: calls.closesAt })
				.from(applications)
				.innerJoin(calls, eq(calls.id, applications.callId))
				// The person's own applications (their index), not every draft (the unary + keeps the status index out).
				.where(and(sql`+${applications.status} = 'draft'`, eq(applications.applicantId, actor.id), eq(calls.status, 'published'), or(isNull(calls.closesAt), gt(calls.closesAt, ctx.now))))
				.orderBy(...by(ordered, asc(calls.closesAt)))
				.limit(limit),
		(r) => ({ id: String(r.id), title: r.title, lang: r.lang, href: `/applications/${r.id}/edit`, day: dayOfAt(r.closes) }),
		'/applications'
	);

	const groups = await Promise.all(
		kinds.map(async ({ kind, rows, entry, all }): Promise<TodoGroup> => {
			const entries = shown > 0 ? await rows(shown, true) : [];
			const counted = entries.length < shown ? entries : await rows(cap + 1, false);
			const total = counted.reduce((n, r) => n + Number(r.n ?? 1), 0);
			return { kind, total: Math.min(total, cap), capped: total > cap, entries: entries.map((r) => entry(r as never)), all };
		})
	);
	return groups.filter((g) => g.total > 0);
}

/**
 * The header's counts and the to-do pages, kept per person (and roles) until the next audited
 * write, or this process's next write, and for at most a minute (audit/service.ts changeMarker):
 * every page a signed-in person opens shows the count, and working it out reads every kind of work.
 */
const keptCounts = keptUntilChange<number>(10_000);
const keptPages = keptUntilChange<TodoGroup[]>(1_000);

/** Whose kept answers: a person, as the roles they hold now. */
const personKey = (actor: NonNullable<Ctx['actor']>) => `${actor.id} ${actor.roles.join(',')}`;

/** The to-do page: what waits for the person (todoFor), kept until something changes. */
export async function todoPage(ctx: Ctx) {
	return ctx.actor ? keptPages(ctx, personKey(ctx.actor), () => todoFor(ctx)) : [];
}

/** How many things wait for the person (the header's count). */
export async function todoCount(ctx: Ctx) {
	return ctx.actor ? keptCounts(ctx, personKey(ctx.actor), async () => (await todoFor(ctx, { shown: 0 })).reduce((n, g) => n + g.total, 0)) : 0;
}
