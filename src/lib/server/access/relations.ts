import { and, eq } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { organisationMembers, reviewAssignments, reviewerTies } from '../db/schema/index.ts';
import type { Relation } from './policy.ts';

export interface ApplicationParties {
	id: number;
	applicantId: string;
	organisationId: string | null;
}

/**
 * How a person relates to an application (and to the grant made from it): the grantee side
 * (who applied, or a member of the applying organisation; the owner or the lone resident is
 * `grantee_owner`), a declared tie to the organisation, a conflict declared on it, a live review
 * assignment, and — given the grant — who approved it.
 */
export async function relationsTo(db: Reader, personId: string, app: ApplicationParties, grant?: { approvedBy: string } | null): Promise<Relation[]> {
	const out: Relation[] = [];
	if (app.organisationId) {
		const [[member], [tie]] = await Promise.all([
			db.select({ role: organisationMembers.role }).from(organisationMembers).where(and(eq(organisationMembers.organisationId, app.organisationId), eq(organisationMembers.userId, personId))),
			db.select({ kind: reviewerTies.kind }).from(reviewerTies).where(and(eq(reviewerTies.organisationId, app.organisationId), eq(reviewerTies.userId, personId)))
		]);
		if (member || app.applicantId === personId) out.push('grantee');
		if (member?.role === 'owner') out.push('grantee_owner');
		if (tie) out.push('tied');
	} else if (app.applicantId === personId) {
		out.push('grantee', 'grantee_owner');
	}
	const assignments = await db
		.select({ releasedAt: reviewAssignments.releasedAt, conflict: reviewAssignments.conflict })
		.from(reviewAssignments)
		.where(and(eq(reviewAssignments.applicationId, app.id), eq(reviewAssignments.reviewerId, personId)));
	if (assignments.some((a) => a.conflict === 'declared')) out.push('declared_conflict');
	if (assignments.some((a) => a.releasedAt === null)) out.push('assigned_reviewer');
	if (grant && grant.approvedBy === personId) out.push('approver');
	return out;
}
