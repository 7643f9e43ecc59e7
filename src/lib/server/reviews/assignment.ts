import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Tx } from '../db/client.ts';
import { applications, callReviewers, calls, reviewAssignments, userRoles, users } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { assertMayOnApplication } from '../access/relations.ts';
import { queueEmail } from '../email/outbox.ts';
import { DomainError, notFound } from '../errors.ts';
import { conflictOf, conflictPairs } from './conflicts.ts';
import { dayOf } from '../calendar.ts';

const DAY = 24 * 60 * 60 * 1000;
const requireStaff = (ctx: Ctx) => requireRoleIn(ctx, ['officer', 'admin']);

/** Staff appoint a user with the reviewer role to a call's pool. Refuses: forbidden, not_found, invalid. */
export async function appointReviewer(ctx: Ctx, callId: string, userId: string) {
	const actor = requireStaff(ctx);
	await ctx.database.write(async (tx) => {
		const [call] = await tx.select().from(calls).where(eq(calls.id, callId));
		if (!call) throw notFound();
		const [role] = await tx.select().from(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.role, 'reviewer')));
		if (!role) throw new DomainError('invalid', 'error_not_a_reviewer', 'userId');
		const added = await tx.insert(callReviewers).values({ callId, userId, appointedBy: actor.id, createdAt: ctx.now }).onConflictDoNothing().returning();
		if (added.length) await audit(tx, ctx, { action: 'call.reviewer_appointed', entityType: 'call', entityId: callId, summary: { userId } });
	});
}

/** Staff take a reviewer out of a call's pool (their live assignments stay). Refuses: forbidden. */
export async function dismissReviewer(ctx: Ctx, callId: string, userId: string) {
	requireStaff(ctx);
	await ctx.database.write(async (tx) => {
		const removed = await tx.delete(callReviewers).where(and(eq(callReviewers.callId, callId), eq(callReviewers.userId, userId))).returning();
		if (removed.length) await audit(tx, ctx, { action: 'call.reviewer_dismissed', entityType: 'call', entityId: callId, summary: { userId } });
	});
}

/** The pool of a call with each reviewer's live load, and the reviewers who could join. Refuses: forbidden. */
export async function reviewerPool(ctx: Ctx, callId: string) {
	requireStaff(ctx);
	const db = ctx.database.db;
	const pool = await db
		.select({
			userId: users.id,
			name: users.name,
			email: users.email,
			load: sql<number>`(select count(*) from ${reviewAssignments} ra join ${applications} a on a.id = ra.application_id
				where ra.reviewer_id = ${users.id} and ra.released_at is null and a.call_id = ${callId})`
		})
		.from(callReviewers)
		.innerJoin(users, eq(users.id, callReviewers.userId))
		.where(eq(callReviewers.callId, callId))
		.orderBy(asc(users.name));
	const candidates = await db
		.select({ userId: users.id, name: users.name, email: users.email })
		.from(userRoles)
		.innerJoin(users, eq(users.id, userRoles.userId))
		.where(and(eq(userRoles.role, 'reviewer'), isNull(users.disabledAt)))
		.orderBy(asc(users.name));
	return { pool, candidates: candidates.filter((c) => !pool.some((p) => p.userId === c.userId)) };
}

async function insertAssignment(tx: Tx, ctx: Ctx, applicationId: number, reviewerId: string, reviewDays: number) {
	const id = crypto.randomUUID();
	const dueAt = new Date(ctx.now.getTime() + reviewDays * DAY);
	await tx.insert(reviewAssignments).values({ id, applicationId, reviewerId, assignedBy: ctx.actor!.id, assignedAt: ctx.now, dueAt });
	await audit(tx, ctx, { action: 'review.assigned', entityType: 'application', entityId: String(applicationId), summary: { reviewerId, assignmentId: id } });
	const [reviewer] = await tx.select().from(users).where(eq(users.id, reviewerId));
	await queueEmail(tx, ctx, reviewer, {
		template: 'review-assigned',
		params: { name: reviewer.name, number: applicationId, url: `${ctx.config.PUBLIC_ORIGIN}/reviews/${id}`, due: dayOf(dueAt, ctx.config.TIME_ZONE) }
	});
	return id;
}

/**
 * Staff assign a reviewer to an application in review, by hand. Never a reviewer with a conflict.
 * Refuses: forbidden, not_found, invalid_state, invalid (conflict, not a reviewer, already assigned).
 */
export async function assignReviewer(ctx: Ctx, applicationId: number, reviewerId: string) {
	requireStaff(ctx);
	return ctx.database.write(async (tx) => {
		const [app] = await tx.select().from(applications).where(eq(applications.id, applicationId));
		if (!app) throw notFound();
		await assertMayOnApplication(tx, ctx.actor!, 'application.assign_reviewers', app, 'error_not_in_review');
		const [role] = await tx.select().from(userRoles).innerJoin(users, eq(users.id, userRoles.userId)).where(and(eq(userRoles.userId, reviewerId), eq(userRoles.role, 'reviewer'), isNull(users.disabledAt)));
		if (!role) throw new DomainError('invalid', 'error_not_a_reviewer', 'reviewerId');
		const conflict = await conflictOf(tx, reviewerId, app);
		if (conflict) throw new DomainError('invalid', `error_conflict_${conflict}`, 'reviewerId');
		const [live] = await tx
			.select({ id: reviewAssignments.id })
			.from(reviewAssignments)
			.where(and(eq(reviewAssignments.applicationId, applicationId), eq(reviewAssignments.reviewerId, reviewerId), isNull(reviewAssignments.releasedAt)));
		if (live) throw new DomainError('invalid', 'error_already_assigned', 'reviewerId');
		const [call] = await tx.select().from(calls).where(eq(calls.id, app.callId));
		return insertAssignment(tx, ctx, applicationId, reviewerId, call.reviewDays);
	});
}

/** Staff take an assignment back (a submitted review stays). Refuses: forbidden, not_found. */
export async function unassignReviewer(ctx: Ctx, assignmentId: string) {
	requireStaff(ctx);
	await ctx.database.write(async (tx) => {
		const [row] = await tx
			.update(reviewAssignments)
			.set({ releasedAt: ctx.now })
			.where(and(eq(reviewAssignments.id, assignmentId), isNull(reviewAssignments.releasedAt)))
			.returning();
		if (!row) throw notFound();
		await audit(tx, ctx, { action: 'review.unassigned', entityType: 'application', entityId: String(row.applicationId), summary: { reviewerId: row.reviewerId, assignmentId } });
	});
}

export interface AutoAssignReport {
	assigned: number;
	unfilled: { applicationId: number; title: string; missing: number; reason: 'pool_too_small' | 'conflicts' }[];
}

/**
 * Fills every application in review of the call up to its reviewers-per-application from the
 * call's pool, always giving the next slot to the least-loaded reviewer without a conflict, so
 * loads differ by at most one where the pool allows. Reports what could not be filled and why.
 * Refuses: forbidden, not_found.
 */
export async function autoAssign(ctx: Ctx, callId: string): Promise<AutoAssignReport> {
	requireStaff(ctx);
	return ctx.database.write(async (tx) => {
		const [call] = await tx.select().from(calls).where(eq(calls.id, callId));
		if (!call) throw notFound();
		// Only reviewers who still hold the role and whose account is not disabled.
		const pool = (
			await tx
				.select({ u: callReviewers.userId })
				.from(callReviewers)
				.innerJoin(users, eq(users.id, callReviewers.userId))
				.innerJoin(userRoles, and(eq(userRoles.userId, callReviewers.userId), eq(userRoles.role, 'reviewer')))
				.where(and(eq(callReviewers.callId, callId), isNull(users.disabledAt)))
		).map((r) => r.u);
		const apps = await tx
			.select({ id: applications.id, title: applications.title, applicantId: applications.applicantId, organisationId: applications.organisationId })
			.from(applications)
			.where(and(eq(applications.callId, callId), eq(applications.status, 'in_review')))
			.orderBy(asc(applications.id));
		const all = apps.length
			? await tx
					.select({ applicationId: reviewAssignments.applicationId, reviewerId: reviewAssignments.reviewerId, releasedAt: reviewAssignments.releasedAt, conflict: reviewAssignments.conflict })
					.from(reviewAssignments)
					.where(inArray(reviewAssignments.applicationId, apps.map((a) => a.id)))
			: [];
		const live = all.filter((a) => a.releasedAt === null);
		const declared = new Set(all.filter((a) => a.conflict === 'declared').map((a) => `${a.reviewerId}|${a.applicationId}`));
		const ties = await conflictPairs(tx, pool);
		const load = new Map(pool.map((u) => [u, 0]));
		for (const a of live) if (load.has(a.reviewerId)) load.set(a.reviewerId, load.get(a.reviewerId)! + 1);
		const report: AutoAssignReport = { assigned: 0, unfilled: [] };
		// Applications with the fewest reviewers go first, so that slots spread evenly.
		const reviewersOf = new Map<number, Set<string>>(apps.map((a) => [a.id, new Set<string>()]));
		for (const a of live) reviewersOf.get(a.applicationId)?.add(a.reviewerId);
		const ordered = [...apps].sort((a, b) => reviewersOf.get(a.id)!.size - reviewersOf.get(b.id)!.size || a.id - b.id);
		for (const app of ordered) {
			const have = reviewersOf.get(app.id)!;
			let missing = call.reviewersPerApplication - have.size;
			let blockedByConflict = false;
			while (missing > 0) {
				const eligible = pool.filter((u) => {
					if (have.has(u)) return false;
					const conflicted = u === app.applicantId || (app.organisationId && ties.has(`${u}|${app.organisationId}`)) || declared.has(`${u}|${app.id}`);
					if (conflicted) blockedByConflict = true;
					return !conflicted;
				});
				if (eligible.length === 0) break;
				eligible.sort((a, b) => load.get(a)! - load.get(b)! || a.localeCompare(b));
				const pick = eligible[0];
				await insertAssignment(tx, ctx, app.id, pick, call.reviewDays);
				have.add(pick);
				load.set(pick, load.get(pick)! + 1);
				report.assigned++;
				missing--;
			}
			if (missing > 0) report.unfilled.push({ applicationId: app.id, title: app.title, missing, reason: blockedByConflict ? 'conflicts' : 'pool_too_small' });
		}
		await audit(tx, ctx, { action: 'call.auto_assigned', entityType: 'call', entityId: callId, summary: { assigned: report.assigned, unfilled: report.unfilled.length } });
		return report;
	});
}

/** Live assignments of an application with their reviewers, for staff. Refuses: forbidden. */
export async function assignmentsOf(ctx: Ctx, applicationId: number) {
	requireStaff(ctx);
	return ctx.database.db
		.select({ id: reviewAssignments.id, reviewerId: users.id, name: users.name, dueAt: reviewAssignments.dueAt, conflict: reviewAssignments.conflict, releasedAt: reviewAssignments.releasedAt })
		.from(reviewAssignments)
		.innerJoin(users, eq(users.id, reviewAssignments.reviewerId))
		.where(eq(reviewAssignments.applicationId, applicationId))
		.orderBy(asc(reviewAssignments.assignedAt));
}
