import { and, eq, inArray, isNull, ne, notInArray, or, type SQL } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { applications, organisationMembers, reviewAssignments, reviewerTies } from '../db/schema/index.ts';
import { assertMay, type Action, type Person, type Relation } from './policy.ts';
import { arg, once } from '../db/prepared.ts';

export interface ApplicationParties {
	id: number;
	applicantId: string;
	organisationId: string | null;
}

/** What is known of one person and one application (and grant), from which relations follow. */
export interface RelationFacts {
	/** The person's role in the applying organisation, if they belong to it. */
	memberRole?: string | null;
	/** A standing tie the person declared to the applying organisation. */
	tied?: boolean;
	/** The person's review assignments on the application. */
	assignments?: { releasedAt: Date | null; conflict: string | null }[];
	/** Who approved the grant, and who gave its tranche the second approval. */
	approvedBy?: string | null;
	secondApprover?: string | null;
}

/**
 * How a person relates to an application (and to the grant made from it): the grantee side
 * (who applied, or a member of the applying organisation; the owner or the lone resident is
 * `grantee_owner`), a declared tie to the organisation, a conflict declared on it, a live review
 * assignment, who approved the grant and who gave a tranche's second approval. The one
 * definition; lists that know the facts for many rows call it without a query per row.
 */
export function relationsOf(personId: string, app: ApplicationParties, f: RelationFacts): Relation[] {
	const out: Relation[] = [];
	if (app.organisationId) {
		if (f.memberRole || app.applicantId === personId) out.push('grantee');
		if (f.memberRole === 'owner') out.push('grantee_owner');
		if (f.tied) out.push('tied');
	} else if (app.applicantId === personId) {
		out.push('grantee', 'grantee_owner');
	}
	if (f.assignments?.some((a) => a.conflict === 'declared')) out.push('declared_conflict');
	if (f.assignments?.some((a) => a.releasedAt === null)) out.push('assigned_reviewer');
	if (f.approvedBy === personId) out.push('approver');
	if (f.secondApprover === personId) out.push('second_approver');
	return out;
}

/** `relationsOf` with the facts read from the database (three small queries). */
export async function relationsTo(db: Reader, personId: string, app: ApplicationParties, grant?: { approvedBy: string } | null, tranche?: { approvedForPaymentBy: string | null }): Promise<Relation[]> {
	// Asked on every application's page and before every action on one: built once (db/prepared.ts).
	const organisationId = app.organisationId;
	const [member, tie, assignments] = await Promise.all([
		organisationId
			? once(db, 'relations.member', (d) => d.select({ role: organisationMembers.role }).from(organisationMembers).where(and(eq(organisationMembers.organisationId, arg('o')), eq(organisationMembers.userId, arg('p')))).prepare()).all({ o: organisationId, p: personId })
			: [],
		organisationId ? once(db, 'relations.tie', (d) => d.select({ kind: reviewerTies.kind }).from(reviewerTies).where(and(eq(reviewerTies.organisationId, arg('o')), eq(reviewerTies.userId, arg('p')))).prepare()).all({ o: organisationId, p: personId }) : [],
		once(db, 'relations.assignments', (d) =>
			d
				.select({ releasedAt: reviewAssignments.releasedAt, conflict: reviewAssignments.conflict })
				.from(reviewAssignments)
				.where(and(eq(reviewAssignments.applicationId, arg('a')), eq(reviewAssignments.reviewerId, arg('p'))))
				.prepare()
		).all({ a: app.id, p: personId })
	]);
	return relationsOf(personId, app, { memberRole: member[0]?.role ?? null, tied: tie.length > 0, assignments, approvedBy: grant?.approvedBy, secondApprover: tranche?.approvedForPaymentBy });
}

/**
 * The policy's `assertMay` for an application the person can already see, with the relations
 * read from the database, its status as the state: the check every application service makes.
 */
export async function assertMayOnApplication(db: Reader, person: Person, action: Action, app: ApplicationParties & { status: string }, stateMessage?: string) {
	assertMay(person, action, { relations: await relationsTo(db, person.id, app), state: app.status }, stateMessage);
}

/**
 * `relationsOf` for a list: the person's organisations, ties and review assignments on the
 * listed applications are read once (three queries whatever the length), then each row's
 * relations are worked out in memory.
 */
export async function relationsForList(db: Reader, personId: string, applicationIds: number[]) {
	const [memberships, ties, assignments] = await Promise.all([
		db.select({ o: organisationMembers.organisationId, role: organisationMembers.role }).from(organisationMembers).where(eq(organisationMembers.userId, personId)),
		db.select({ o: reviewerTies.organisationId }).from(reviewerTies).where(eq(reviewerTies.userId, personId)),
		// A short list names its applications; a long one (a call's ranking) reads all of the person's
		// assignments, which are few, rather than binding thousands of ids.
		applicationIds.length === 0
			? []
			: db
					.select({ applicationId: reviewAssignments.applicationId, releasedAt: reviewAssignments.releasedAt, conflict: reviewAssignments.conflict })
					.from(reviewAssignments)
					.where(applicationIds.length <= 500 ? and(eq(reviewAssignments.reviewerId, personId), inArray(reviewAssignments.applicationId, applicationIds)) : eq(reviewAssignments.reviewerId, personId))
	]);
	const byApplication = Map.groupBy(assignments, (a) => a.applicationId);
	return (app: ApplicationParties, more: Pick<RelationFacts, 'approvedBy' | 'secondApprover'> = {}) =>
		relationsOf(personId, app, {
			memberRole: memberships.find((x) => x.o === app.organisationId)?.role ?? null,
			tied: ties.some((x) => x.o === app.organisationId),
			assignments: byApplication.get(app.id),
			...more
		});
}

/**
 * Where the person has a stake that the policy's CONFLICTED relations exclude (see relationsOf):
 * the applications they made, those of organisations they belong to or declared a tie to, and
 * those they declared a review conflict on — as one SQL condition on `applications`, for lists
 * that filter in the database (the to-do).
 */
export async function withoutStake(db: Reader, personId: string): Promise<SQL> {
	const [members, ties, conflicts] = await Promise.all([
		db.select({ o: organisationMembers.organisationId }).from(organisationMembers).where(eq(organisationMembers.userId, personId)),
		db.select({ o: reviewerTies.organisationId }).from(reviewerTies).where(eq(reviewerTies.userId, personId)),
		db.select({ a: reviewAssignments.applicationId }).from(reviewAssignments).where(and(eq(reviewAssignments.reviewerId, personId), eq(reviewAssignments.conflict, 'declared')))
	]);
	const orgs = [...new Set([...members, ...ties].map((x) => x.o))];
	const conds: SQL[] = [ne(applications.applicantId, personId)];
	if (orgs.length) conds.push(or(isNull(applications.organisationId), notInArray(applications.organisationId, orgs))!);
	if (conflicts.length) conds.push(notInArray(applications.id, conflicts.map((c) => c.a)));
	return and(...conds)!;
}
