import { and, eq, isNull } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Reader, Tx } from '../db/client.ts';
import { applications, organisationMembers, reviewAssignments, reviewerTies } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { relationsTo } from '../access/relations.ts';

export type ConflictReason = 'own_application' | 'member' | 'declared_tie' | 'declared_conflict';

/**
 * Why `reviewerId` may not review the application, or null when they may: their own
 * application, a member of the applying organisation (as recorded in Kvarter), a tie they
 * declared to it, or a conflict they declared on this application before. Read from the access
 * policy's relations, so assignment and the review itself judge conflicts alike.
 */
export async function conflictOf(
	db: Reader,
	reviewerId: string,
	app: { id: number; applicantId: string; organisationId: string | null }
): Promise<ConflictReason | null> {
	if (app.applicantId === reviewerId) return 'own_application';
	const relations = await relationsTo(db, reviewerId, app);
	if (relations.includes('grantee')) return 'member';
	if (relations.includes('tied')) return 'declared_tie';
	if (relations.includes('declared_conflict')) return 'declared_conflict';
	return null;
}

/** All (reviewer, organisation) pairs that conflict, for many reviewers at once (auto-assignment). */
export async function conflictPairs(db: Reader, reviewerIds: string[]) {
	if (reviewerIds.length === 0) return new Set<string>();
	const [members, ties] = await Promise.all([
		db.select({ u: organisationMembers.userId, o: organisationMembers.organisationId }).from(organisationMembers),
		db.select({ u: reviewerTies.userId, o: reviewerTies.organisationId }).from(reviewerTies)
	]);
	const wanted = new Set(reviewerIds);
	return new Set([...members, ...ties].filter((r) => wanted.has(r.u)).map((r) => `${r.u}|${r.o}`));
}

/**
 * A tie that appears after assignment (the reviewer joined the applying organisation, or
 * declared a tie to it) withdraws their live assignments on its applications in review: each is
 * released, audited, and the application goes back to the pool for another reviewer.
 */
export async function withdrawConflictedAssignments(tx: Tx, ctx: Ctx, userId: string, organisationId: string, why: 'member' | 'declared_tie') {
	const live = await tx
		.select({ id: reviewAssignments.id, applicationId: reviewAssignments.applicationId })
		.from(reviewAssignments)
		.innerJoin(applications, eq(applications.id, reviewAssignments.applicationId))
		.where(and(eq(reviewAssignments.reviewerId, userId), isNull(reviewAssignments.releasedAt), eq(applications.organisationId, organisationId)));
	for (const a of live) {
		await tx.update(reviewAssignments).set({ releasedAt: ctx.now, conflictReason: why }).where(eq(reviewAssignments.id, a.id));
		await audit(tx, ctx, { action: 'review.withdrawn_for_conflict', entityType: 'application', entityId: String(a.applicationId), summary: { assignmentId: a.id, reviewerId: userId, why } });
	}
	return live.length;
}
