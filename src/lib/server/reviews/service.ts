import { storeWeightedScores } from './read-models.ts';
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Reader } from '../db/client.ts';
import {
	applicationNeighbourhoods,
	applications,
	attachments,
	budgetLines,
	calls,
	criteria,
	funds,
	neighbourhoods,
	organisations,
	reviewAssignments,
	reviewerTies,
	reviews,
	reviewScores,
	users
} from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { DomainError, notFound, type Issue } from '../errors.ts';
import { isMoney, LIMITS, RECOMMENDATIONS, TIE_KINDS, type Recommendation, type TieKind } from '../../domain.ts';
import { weightedScore } from './scoring.ts';
import { fileStore } from '../files/store.ts';
import { assertMay, may } from '../access/policy.ts';
import { relationsTo } from '../access/relations.ts';
import { withdrawConflictedAssignments } from './conflicts.ts';

const requireReviewer = (ctx: Ctx) => requireRoleIn(ctx, ['reviewer']);

// ---------------------------------------------------------------- standing ties

/** A reviewer declares a tie to an organisation (board, work, family…). Refuses: forbidden, not_found, invalid. */
export async function declareTie(ctx: Ctx, organisationId: string, kind: TieKind) {
	const actor = requireReviewer(ctx);
	if (!TIE_KINDS.includes(kind)) throw new DomainError('invalid', 'error_choose_from_list', 'kind');
	await ctx.database.write(async (tx) => {
		const [org] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId));
		if (!org) throw new DomainError('invalid', 'error_choose_from_list', 'organisationId');
		await tx.insert(reviewerTies).values({ userId: actor.id, organisationId, kind, createdAt: ctx.now }).onConflictDoUpdate({ target: [reviewerTies.userId, reviewerTies.organisationId], set: { kind } });
		await audit(tx, ctx, { action: 'reviewer.tie_declared', entityType: 'user', entityId: actor.id, summary: { organisationId, kind } });
		await withdrawConflictedAssignments(tx, ctx, actor.id, organisationId, 'declared_tie');
	});
}

/** A reviewer removes one of their declared ties. Refuses: forbidden. */
export async function removeTie(ctx: Ctx, organisationId: string) {
	const actor = requireReviewer(ctx);
	await ctx.database.write(async (tx) => {
		const gone = await tx.delete(reviewerTies).where(and(eq(reviewerTies.userId, actor.id), eq(reviewerTies.organisationId, organisationId))).returning();
		if (gone.length) await audit(tx, ctx, { action: 'reviewer.tie_removed', entityType: 'user', entityId: actor.id, summary: { organisationId } });
	});
}

/** The reviewer's declared ties, and the organisations they could declare one to. Refuses: forbidden. */
export async function myTies(ctx: Ctx) {
	const actor = requireReviewer(ctx);
	const db = ctx.database.db;
	const ties = await db
		.select({ organisationId: organisations.id, name: organisations.name, kind: reviewerTies.kind })
		.from(reviewerTies)
		.innerJoin(organisations, eq(organisations.id, reviewerTies.organisationId))
		.where(eq(reviewerTies.userId, actor.id))
		.orderBy(asc(organisations.name));
	const orgs = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name)).limit(2000);
	return { ties, organisations: orgs };
}

// ---------------------------------------------------------------- the queue and the form

/** The reviewer's live assignments with due dates and progress. Refuses: forbidden. */
export async function myQueue(ctx: Ctx) {
	const actor = requireReviewer(ctx);
	return ctx.database.db
		.select({
			id: reviewAssignments.id,
			applicationId: applications.id,
			title: applications.title,
			language: applications.language,
			callTitle: calls.title,
			dueAt: reviewAssignments.dueAt,
			conflict: reviewAssignments.conflict,
			draftAt: reviews.updatedAt,
			submittedAt: reviews.submittedAt,
			/** Still open for reviewing: once decided (or withdrawn) there is nothing left to do. */
			open: sql<boolean>`${applications.status} = 'in_review'`.mapWith(Boolean)
		})
		.from(reviewAssignments)
		.innerJoin(applications, eq(applications.id, reviewAssignments.applicationId))
		.innerJoin(calls, eq(calls.id, applications.callId))
		.leftJoin(reviews, eq(reviews.assignmentId, reviewAssignments.id))
		.where(and(eq(reviewAssignments.reviewerId, actor.id), isNull(reviewAssignments.releasedAt)))
		.orderBy(asc(reviewAssignments.dueAt));
}

/**
 * The actor's live assignment, or "not found": also when released (a declared conflict) and
 * whenever the reviewer has a conflict with the applicant now — their own application, a
 * membership of or a tie to the organisation — checked each time the review is opened, saved
 * or submitted, not only at assignment.
 */
async function liveAssignment(db: Reader, ctx: Ctx, assignmentId: string) {
	const actor = requireReviewer(ctx);
	const [row] = await db
		.select({ a: reviewAssignments, app: { id: applications.id, applicantId: applications.applicantId, organisationId: applications.organisationId, status: applications.status } })
		.from(reviewAssignments)
		.innerJoin(applications, eq(applications.id, reviewAssignments.applicationId))
		.where(and(eq(reviewAssignments.id, assignmentId), eq(reviewAssignments.reviewerId, actor.id), isNull(reviewAssignments.releasedAt)));
	if (!row) throw notFound();
	const v = may(actor, 'review.work', { relations: await relationsTo(db, actor.id, row.app), state: row.app.status });
	if (!v.ok && v.why !== 'state') throw notFound();
	return row.a;
}

/**
 * The reviewer declares "no conflict" (and may then score) or "conflict" with a reason (which
 * hands the assignment back to the pool). Refuses: not_found, invalid_state, invalid.
 */
export async function declareConflict(ctx: Ctx, assignmentId: string, conflict: boolean, reasonInput: string) {
	const reason = reasonInput.trim();
	if (conflict && !reason) throw new DomainError('invalid', 'error_conflict_reason', 'reason');
	if (reason.length > 500) throw new DomainError('invalid', 'error_too_long', 'reason', { max: 500 });
	await ctx.database.write(async (tx) => {
		const a = await liveAssignment(tx, ctx, assignmentId);
		if (a.conflict) throw new DomainError('invalid_state', 'error_already_declared');
		await tx
			.update(reviewAssignments)
			.set(conflict ? { conflict: 'declared', conflictReason: reason, declaredAt: ctx.now, releasedAt: ctx.now } : { conflict: 'none', declaredAt: ctx.now })
			.where(eq(reviewAssignments.id, assignmentId));
		await audit(tx, ctx, {
			action: conflict ? 'review.conflict_declared' : 'review.no_conflict_declared',
			entityType: 'application',
			entityId: String(a.applicationId),
			summary: conflict ? { assignmentId, reason } : { assignmentId }
		});
	});
}

/**
 * What the reviewer's page loads: the application as they may see it (without names, contact
 * and file names when the call hides identity), the criteria, their own review, and the other
 * reviews only once theirs is submitted. Refuses: not_found, forbidden.
 */
export async function getReviewForm(ctx: Ctx, assignmentId: string) {
	const db = ctx.database.db;
	const a = await liveAssignment(db, ctx, assignmentId);
	const [row] = await db
		.select({ app: applications, call: calls, currency: funds.currency, org: organisations, applicantName: users.name })
		.from(applications)
		.innerJoin(calls, eq(calls.id, applications.callId))
		.innerJoin(funds, eq(funds.id, calls.fundId))
		.innerJoin(users, eq(users.id, applications.applicantId))
		.leftJoin(organisations, eq(organisations.id, applications.organisationId))
		.where(eq(applications.id, a.applicationId));
	const hide = row.call.hideIdentity;
	const [crit, own, lines, ns, files] = await Promise.all([
		db.select().from(criteria).where(eq(criteria.callId, row.call.id)).orderBy(asc(criteria.position)),
		db.select().from(reviews).where(eq(reviews.assignmentId, assignmentId)),
		db.select({ item: budgetLines.item, category: budgetLines.category, amount: budgetLines.amount }).from(budgetLines).where(eq(budgetLines.applicationId, a.applicationId)).orderBy(asc(budgetLines.position)),
		db.select({ name: neighbourhoods.name, priority: neighbourhoods.priority }).from(applicationNeighbourhoods).innerJoin(neighbourhoods, eq(neighbourhoods.id, applicationNeighbourhoods.neighbourhoodId)).where(eq(applicationNeighbourhoods.applicationId, a.applicationId)),
		db.select({ id: attachments.id, fileName: attachments.fileName, size: attachments.size }).from(attachments).where(eq(attachments.applicationId, a.applicationId))
	]);
	const review = own[0] ?? null;
	const scores = review ? await db.select().from(reviewScores).where(eq(reviewScores.reviewId, review.id)) : [];
	const app = row.app;
	const declared = a.conflict === 'none';
	return {
		assignment: { id: a.id, dueAt: a.dueAt, conflict: a.conflict },
		/** Whether reviewing is still open: an application decided meanwhile shows the review read-only. */
		open: row.app.status === 'in_review',
		call: { id: row.call.id, title: row.call.title, language: row.call.language, hideIdentity: hide, currency: row.currency, minAmount: row.call.minAmount, maxAmount: row.call.maxAmount },
		application: {
			id: app.id,
			title: app.title,
			language: app.language,
			summary: app.summary,
			// Until "no conflict" is declared only the title and summary (and who applied, when shown) are visible.
			description: declared ? app.description : '',
			targetGroups: declared ? app.targetGroups : [],
			expectedParticipants: declared ? app.expectedParticipants : null,
			volunteers: declared ? app.volunteers : null,
			partners: declared && !hide ? app.partners : '',
			startDate: declared ? app.startDate : null,
			endDate: declared ? app.endDate : null,
			requestedAmount: app.requestedAmount,
			coFunding: declared ? app.coFunding : 0,
			applicantKind: app.applicantKind,
			applicantName: hide ? null : (row.org?.name ?? row.applicantName),
			neighbourhoods: ns,
			budgetLines: declared ? lines : [],
			attachments: declared && !hide ? files : [],
			attachmentCount: files.length
		},
		criteria: crit.map((c) => ({ id: c.id, name: c.name, guidance: c.guidance, scaleMax: c.scaleMax, weight: c.weight })),
		review: review && {
			recommendation: review.recommendation,
			suggestedAmount: review.suggestedAmount,
			commentsForStaff: review.commentsForStaff,
			language: review.language,
			submittedAt: review.submittedAt,
			scores: Object.fromEntries(scores.map((s) => [s.criterionId, { score: s.score, justification: s.justification }]))
		},
		others: review?.submittedAt ? await otherReviews(db, a.applicationId, review.id, crit) : null
	};
}

async function otherReviews(db: Reader, applicationId: number, ownReviewId: string, crit: (typeof criteria.$inferSelect)[]) {
	const rows = await db
		.select({ id: reviews.id, recommendation: reviews.recommendation, language: reviews.language, submittedAt: reviews.submittedAt })
		.from(reviews)
		.where(and(eq(reviews.applicationId, applicationId), ne(reviews.id, ownReviewId)));
	const submitted = rows.filter((r) => r.submittedAt);
	const allScores = submitted.length ? await db.select().from(reviewScores).where(inArray(reviewScores.reviewId, submitted.map((r) => r.id))) : [];
	const out = [];
	for (const [i, r] of submitted.entries()) {
		const scores = allScores.filter((s) => s.reviewId === r.id);
		out.push({
			label: i + 1,
			recommendation: r.recommendation,
			/** The language its justifications are written in. */
			language: r.language,
			score: weightedScore(crit, scores),
			scores: crit.map((c) => ({ name: c.name, score: scores.find((s) => s.criterionId === c.id)?.score ?? null, justification: scores.find((s) => s.criterionId === c.id)?.justification ?? '' }))
		});
	}
	return out;
}

export interface ReviewInput {
	scores: Record<string, { score: number | null; justification: string }>;
	recommendation: Recommendation | null;
	suggestedAmount: number | null;
	commentsForStaff: string;
}

/**
 * The reviewer saves a draft (submit = false) or submits and locks their review (submit = true:
 * every criterion scored with a justification, and a recommendation).
 * Refuses: not_found, invalid_state (no declaration yet, already submitted), invalid (issues).
 */
export async function saveReview(ctx: Ctx, assignmentId: string, input: ReviewInput, submit: boolean) {
	await ctx.database.write(async (tx) => {
		const a = await liveAssignment(tx, ctx, assignmentId);
		if (a.conflict !== 'none') throw new DomainError('invalid_state', 'error_declare_first');
		const [app] = await tx.select().from(applications).where(eq(applications.id, a.applicationId));
		assertMay(ctx.actor, 'review.work', { relations: await relationsTo(tx, ctx.actor!.id, app), state: app.status }, 'error_not_in_review');
		const crit = await tx.select().from(criteria).where(eq(criteria.callId, app.callId)).orderBy(asc(criteria.position));
		const issues: Issue[] = [];
		for (const c of crit) {
			const s = input.scores[c.id] ?? { score: null, justification: '' };
			if (s.score !== null && (!Number.isInteger(s.score) || s.score < 1 || s.score > c.scaleMax)) {
				issues.push({ field: `score-${c.id}`, messageKey: 'error_score_range', params: { name: c.name, max: c.scaleMax } });
			}
			if (s.justification.length > 2000) issues.push({ field: `justification-${c.id}`, messageKey: 'error_too_long', params: { max: 2000 } });
			if (submit && s.score === null) issues.push({ field: `score-${c.id}`, messageKey: 'error_score_required', params: { name: c.name } });
			if (submit && !s.justification.trim()) issues.push({ field: `justification-${c.id}`, messageKey: 'error_justification_required', params: { name: c.name } });
		}
		if (input.recommendation !== null && !RECOMMENDATIONS.includes(input.recommendation)) issues.push({ field: 'recommendation', messageKey: 'error_choose_from_list' });
		if (submit && input.recommendation === null) issues.push({ field: 'recommendation', messageKey: 'error_recommendation_required' });
		if (input.suggestedAmount !== null && !isMoney(input.suggestedAmount)) {
			issues.push({ field: 'suggestedAmount', messageKey: 'error_amount_invalid' });
		}
		if (input.commentsForStaff.length > LIMITS.message) issues.push({ field: 'commentsForStaff', messageKey: 'error_too_long', params: { max: LIMITS.message } });
		if (issues.length) throw new DomainError('invalid', issues[0].messageKey, issues[0].field, issues[0].params, issues);

		const [existing] = await tx.select().from(reviews).where(eq(reviews.assignmentId, assignmentId));
		if (existing?.submittedAt) throw new DomainError('invalid_state', 'error_review_locked');
		const id = existing?.id ?? crypto.randomUUID();
		const values = {
			recommendation: input.recommendation,
			suggestedAmount: input.suggestedAmount,
			commentsForStaff: input.commentsForStaff.trim(),
			language: ctx.actor!.locale,
			updatedAt: ctx.now,
			submittedAt: submit ? ctx.now : null
		};
		if (existing) await tx.update(reviews).set(values).where(eq(reviews.id, id));
		else await tx.insert(reviews).values({ id, assignmentId, applicationId: a.applicationId, reviewerId: a.reviewerId, ...values });
		await tx.delete(reviewScores).where(eq(reviewScores.reviewId, id));
		const rows = crit.map((c) => ({ reviewId: id, criterionId: c.id, score: input.scores[c.id]?.score ?? null, justification: (input.scores[c.id]?.justification ?? '').trim() }));
		if (rows.length) await tx.insert(reviewScores).values(rows);
		if (submit) await storeWeightedScores(tx, [id]);
		await audit(tx, ctx, { action: submit ? 'review.submitted' : 'review.saved', entityType: 'application', entityId: String(a.applicationId), summary: { assignmentId } });
	});
}


/**
 * A file of an application under review, for its reviewer once they declared no conflict, and
 * only when the call shows identity (file names and letters may name the applicant).
 * Refuses: not_found, forbidden.
 */
export async function readFileForReview(ctx: Ctx, assignmentId: string, fileId: string) {
	const db = ctx.database.db;
	const a = await liveAssignment(db, ctx, assignmentId);
	if (a.conflict !== 'none' || !/^[a-z0-9-]{36}$/.test(fileId)) throw notFound();
	const [row] = await db
		.select({ file: attachments, hide: calls.hideIdentity })
		.from(attachments)
		.innerJoin(applications, eq(applications.id, attachments.applicationId))
		.innerJoin(calls, eq(calls.id, applications.callId))
		.where(and(eq(attachments.id, fileId), eq(attachments.applicationId, a.applicationId)));
	if (!row || row.hide) throw notFound();
	const bytes = await fileStore(ctx.config).read(fileId);
	return { fileName: row.file.fileName, contentType: row.file.contentType, bytes };
}
