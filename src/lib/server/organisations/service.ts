import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Reader } from '../db/client.ts';
import { neighbourhoods, organisationInvitations, organisationJoinRequests, organisationMembers, organisations, users } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireActor } from '../auth/authorize.ts';
import { generateToken, hashToken, isWellFormedToken } from '../auth/tokens.ts';
import { queueEmail } from '../email/outbox.ts';
import { DomainError, notFound } from '../errors.ts';
import { ORGANISATION_KINDS, type OrganisationKind } from '../../domain.ts';
import { normaliseOrgNumber } from './org-number.ts';
import { withdrawConflictedAssignments } from '../reviews/conflicts.ts';
import { assertMay, may } from '../access/policy.ts';

export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export interface OrganisationInput {
	kind: OrganisationKind;
	name: string;
	orgNumber: string;
	address: string;
	neighbourhoodId: string;
	contactEmail: string;
	contactPhone: string;
}

async function validate(db: Reader, ctx: Ctx, input: OrganisationInput) {
	if (!ORGANISATION_KINDS.includes(input.kind)) throw new DomainError('invalid', 'error_org_kind', 'kind');
	const name = input.name.trim();
	if (!name || name.length > 150) throw new DomainError('invalid', 'error_org_name', 'name');
	let orgNumber: string | null = null;
	// An informal group has no registration; associations and schools must give a valid number.
	if (input.kind !== 'informal_group' || input.orgNumber.trim()) {
		orgNumber = normaliseOrgNumber(input.orgNumber, ctx.config.COUNTRY);
		if (!orgNumber) throw new DomainError('invalid', ctx.config.COUNTRY === 'SE' ? 'error_org_number_se' : 'error_org_number_be', 'orgNumber');
	}
	if (input.address.length > 300) throw new DomainError('invalid', 'error_too_long', 'address', { max: 300 });
	let neighbourhoodId: string | null = null;
	if (input.neighbourhoodId) {
		const [n] = await db.select({ id: neighbourhoods.id }).from(neighbourhoods).where(eq(neighbourhoods.id, input.neighbourhoodId));
		if (!n) throw new DomainError('invalid', 'error_neighbourhood_unknown', 'neighbourhoodId');
		neighbourhoodId = n.id;
	}
	const contactEmail = input.contactEmail.trim().toLowerCase();
	if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contactEmail) || contactEmail.length > 254) throw new DomainError('invalid', 'error_email_invalid', 'contactEmail');
	if (input.contactPhone.length > 40) throw new DomainError('invalid', 'error_too_long', 'contactPhone', { max: 40 });
	return { kind: input.kind, name, orgNumber, address: input.address.trim(), neighbourhoodId, contactEmail, contactPhone: input.contactPhone.trim() };
}

/**
 * An organisation number is registered once: whoever else belongs to it joins through an
 * invitation from a member. Refuses: conflict (the number is taken).
 */
async function assertNumberFree(db: Reader, orgNumber: string | null, self: string | null) {
	if (!orgNumber) return;
	const [taken] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.orgNumber, orgNumber));
	if (taken && taken.id !== self) throw new DomainError('conflict', 'error_org_number_taken', 'orgNumber');
}

/**
 * A programme officer verifies an organisation against the official register; only then is its
 * organisation number published as its identifier in open data. Members of it cannot verify it.
 * Refuses: forbidden, not_found, invalid_state (already verified).
 */
export async function verifyOrganisation(ctx: Ctx, organisationId: string) {
	const actor = requireActor(ctx);
	await ctx.database.write(async (tx) => {
		const [org] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
		if (!org) throw notFound();
		assertMay(actor, 'organisation.verify', await verifyFacts(tx, actor.id, org), 'error_already_verified');
		if (!org.orgNumber) throw new DomainError('invalid_state', 'error_org_no_number');
		await tx.update(organisations).set({ verifiedAt: ctx.now, verifiedBy: actor.id }).where(eq(organisations.id, organisationId));
		await audit(tx, ctx, { action: 'organisation.verified', entityType: 'organisation', entityId: organisationId, summary: { orgNumber: org.orgNumber } });
	});
}

async function verifyFacts(db: Reader, personId: string, org: { id: string; verifiedAt: Date | null }) {
	const role = await membershipOf(db, org.id, personId);
	return { relations: role ? (['grantee'] as const) : [], state: org.verifiedAt ? 'verified' : 'unverified' };
}

/** Whether the person may verify the organisation now (for pages: the policy's answer). */
export async function mayVerifyOrganisation(ctx: Ctx, organisationId: string) {
	const [org] = await ctx.database.db.select().from(organisations).where(eq(organisations.id, organisationId));
	return !!org && may(ctx.actor, 'organisation.verify', await verifyFacts(ctx.database.db, ctx.actor!.id, org)).ok;
}

/** Any signed-in user creates an organisation and becomes its owner. Refuses: forbidden, invalid. */
export async function createOrganisation(ctx: Ctx, input: OrganisationInput) {
	const actor = requireActor(ctx);
	const values = await validate(ctx.database.db, ctx, input);
	return ctx.database.write(async (tx) => {
		await assertNumberFree(tx, values.orgNumber, null);
		const id = crypto.randomUUID();
		await tx.insert(organisations).values({ id, ...values, createdAt: ctx.now });
		await tx.insert(organisationMembers).values({ organisationId: id, userId: actor.id, role: 'owner', createdAt: ctx.now });
		await audit(tx, ctx, { action: 'organisation.created', entityType: 'organisation', entityId: id, summary: { name: values.name, kind: values.kind } });
		return id;
	});
}

/** The actor's role in an organisation, or null. */
export async function membershipOf(db: Reader, organisationId: string, userId: string) {
	const [m] = await db
		.select({ role: organisationMembers.role })
		.from(organisationMembers)
		.where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)));
	return m?.role ?? null;
}

/** Members change their organisation's details. Refuses: not_found (not a member), invalid. */
export async function updateOrganisation(ctx: Ctx, id: string, input: OrganisationInput) {
	const actor = requireActor(ctx);
	if (!(await membershipOf(ctx.database.db, id, actor.id))) throw notFound();
	const values = await validate(ctx.database.db, ctx, input);
	await ctx.database.write(async (tx) => {
		await assertNumberFree(tx, values.orgNumber, id);
		const [before] = await tx.select().from(organisations).where(eq(organisations.id, id));
		// A changed number must be verified again before it is published as the official identifier.
		const reverify = before.orgNumber !== values.orgNumber ? { verifiedAt: null, verifiedBy: null } : {};
		await tx.update(organisations).set({ ...values, ...reverify }).where(eq(organisations.id, id));
		await audit(tx, ctx, { action: 'organisation.updated', entityType: 'organisation', entityId: id, summary: { name: values.name } });
	});
}

/** The organisations the actor belongs to, with their role. */
export async function listMyOrganisations(ctx: Ctx) {
	const actor = requireActor(ctx);
	return ctx.database.db
		.select({ id: organisations.id, name: organisations.name, kind: organisations.kind, orgNumber: organisations.orgNumber, role: organisationMembers.role })
		.from(organisationMembers)
		.innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
		.where(eq(organisationMembers.userId, actor.id))
		.orderBy(asc(organisations.name));
}

/** An organisation with members and open invitations, for its members. Refuses: not_found. */
export async function getOrganisation(ctx: Ctx, id: string) {
	const actor = requireActor(ctx);
	const role = await membershipOf(ctx.database.db, id, actor.id);
	if (!role) throw notFound();
	const [org] = await ctx.database.db.select().from(organisations).where(eq(organisations.id, id));
	const members = await ctx.database.db
		.select({ userId: users.id, name: users.name, email: users.email, role: organisationMembers.role })
		.from(organisationMembers)
		.innerJoin(users, eq(users.id, organisationMembers.userId))
		.where(eq(organisationMembers.organisationId, id))
		.orderBy(asc(users.name));
	const invitations = await ctx.database.db
		.select({ email: organisationInvitations.email, expiresAt: organisationInvitations.expiresAt })
		.from(organisationInvitations)
		.where(and(eq(organisationInvitations.organisationId, id), isNull(organisationInvitations.acceptedAt), gt(organisationInvitations.expiresAt, ctx.now)));
	return { organisation: org, role, members, invitations };
}

/** The owner invites someone by email; the link is valid 14 days. Refuses: not_found, forbidden, invalid. */
export async function inviteMember(ctx: Ctx, organisationId: string, emailInput: string) {
	const actor = requireActor(ctx);
	const role = await membershipOf(ctx.database.db, organisationId, actor.id);
	if (!role) throw notFound();
	if (role !== 'owner') throw new DomainError('forbidden', 'error_owner_only');
	const email = emailInput.trim().toLowerCase();
	if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || email.length > 254) throw new DomainError('invalid', 'error_email_invalid', 'email');
	await ctx.database.write(async (tx) => {
		const [org] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
		const [invitee] = await tx.select({ id: users.id, locale: users.locale }).from(users).where(eq(users.email, email));
		if (invitee && (await membershipOf(tx, organisationId, invitee.id))) throw new DomainError('conflict', 'error_already_member', 'email');
		const token = generateToken();
		await tx.insert(organisationInvitations).values({
			id: hashToken(token),
			organisationId,
			email,
			invitedBy: actor.id,
			createdAt: ctx.now,
			expiresAt: new Date(ctx.now.getTime() + INVITATION_TTL_MS)
		});
		await queueEmail(tx, ctx, { email, locale: invitee?.locale ?? actor.locale }, {
			template: 'organisation-invitation',
			params: { inviter: actor.name, organisation: org.name, url: `${ctx.config.PUBLIC_ORIGIN}/organisations/join?token=${token}` }
		});
		await audit(tx, ctx, { action: 'organisation.member_invited', entityType: 'organisation', entityId: organisationId, summary: { email } });
	});
}

/**
 * A signed-in user accepts an invitation sent to their own address and becomes a member.
 * Refuses: invalid (unknown, used, expired or someone else's link).
 */
export async function acceptInvitation(ctx: Ctx, token: string) {
	const actor = requireActor(ctx);
	if (!isWellFormedToken(token)) throw new DomainError('invalid', 'error_link_invalid');
	return ctx.database.write(async (tx) => {
		const [inv] = await tx
			.select()
			.from(organisationInvitations)
			.where(and(eq(organisationInvitations.id, hashToken(token)), isNull(organisationInvitations.acceptedAt), gt(organisationInvitations.expiresAt, ctx.now)));
		if (!inv) throw new DomainError('invalid', 'error_link_invalid');
		if (inv.email !== actor.email) throw new DomainError('invalid', 'error_invitation_other_email', undefined, { email: inv.email });
		await tx.update(organisationInvitations).set({ acceptedAt: ctx.now, acceptedBy: actor.id }).where(eq(organisationInvitations.id, inv.id));
		await tx.insert(organisationMembers).values({ organisationId: inv.organisationId, userId: actor.id, role: 'member', createdAt: ctx.now }).onConflictDoNothing();
		await audit(tx, ctx, { action: 'organisation.member_joined', entityType: 'organisation', entityId: inv.organisationId, summary: { email: actor.email } });
		await withdrawConflictedAssignments(tx, ctx, actor.id, inv.organisationId, 'member');
		return inv.organisationId;
	});
}


// ---------------------------------------------------------------- joining without an invitation

/**
 * A signed-in person asks to join an organisation already registered, by its number, with a
 * word for the officer; a programme officer approves or refuses. Refuses: invalid (no such
 * number), conflict (already a member), invalid_state (a request is already waiting).
 */
export async function requestToJoin(ctx: Ctx, orgNumberInput: string, messageInput: string) {
	const actor = requireActor(ctx);
	const orgNumber = normaliseOrgNumber(orgNumberInput, ctx.config.COUNTRY);
	if (!orgNumber) throw new DomainError('invalid', ctx.config.COUNTRY === 'SE' ? 'error_org_number_se' : 'error_org_number_be', 'orgNumber');
	const message = messageInput.trim();
	if (message.length > 1000) throw new DomainError('invalid', 'error_too_long', 'message', { max: 1000 });
	return ctx.database.write(async (tx) => {
		const [org] = await tx.select().from(organisations).where(eq(organisations.orgNumber, orgNumber));
		if (!org) throw new DomainError('invalid', 'error_org_not_registered', 'orgNumber');
		if (await membershipOf(tx, org.id, actor.id)) throw new DomainError('conflict', 'error_already_member', 'orgNumber');
		const [waiting] = await tx.select({ id: organisationJoinRequests.id }).from(organisationJoinRequests).where(and(eq(organisationJoinRequests.organisationId, org.id), eq(organisationJoinRequests.userId, actor.id), eq(organisationJoinRequests.status, 'pending')));
		if (waiting) throw new DomainError('invalid_state', 'error_join_pending', 'orgNumber');
		const id = crypto.randomUUID();
		await tx.insert(organisationJoinRequests).values({ id, organisationId: org.id, userId: actor.id, message, status: 'pending', createdAt: ctx.now });
		await audit(tx, ctx, { action: 'organisation.join_requested', entityType: 'organisation', entityId: org.id, summary: { userId: actor.id } });
		return { id, organisationName: org.name };
	});
}

/** Requests to join waiting for an officer, oldest first. Refuses: forbidden. */
export async function listJoinRequests(ctx: Ctx) {
	const actor = requireActor(ctx);
	if (!actor.roles.some((r) => r === 'officer' || r === 'admin')) throw new DomainError('forbidden', 'error_forbidden');
	return ctx.database.db
		.select({ id: organisationJoinRequests.id, message: organisationJoinRequests.message, createdAt: organisationJoinRequests.createdAt, organisation: organisations.name, orgNumber: organisations.orgNumber, name: users.name, email: users.email })
		.from(organisationJoinRequests)
		.innerJoin(organisations, eq(organisations.id, organisationJoinRequests.organisationId))
		.innerJoin(users, eq(users.id, organisationJoinRequests.userId))
		.where(eq(organisationJoinRequests.status, 'pending'))
		.orderBy(asc(organisationJoinRequests.createdAt))
		.limit(200);
}

/**
 * A programme officer approves (the person becomes a member) or refuses a request to join.
 * Nobody decides a request of an organisation they belong to, nor their own. A reviewer who
 * joins loses their assignments on its applications. Refuses: forbidden, not_found, invalid_state.
 */
export async function decideJoinRequest(ctx: Ctx, requestId: string, approve: boolean) {
	const actor = requireActor(ctx);
	await ctx.database.write(async (tx) => {
		const [req] = await tx.select().from(organisationJoinRequests).where(eq(organisationJoinRequests.id, requestId));
		if (!req) throw notFound();
		const tied = req.userId === actor.id || !!(await membershipOf(tx, req.organisationId, actor.id));
		assertMay(actor, 'organisation.decide_join', { relations: tied ? ['grantee'] : [], state: req.status });
		const moved = await tx
			.update(organisationJoinRequests)
			.set({ status: approve ? 'approved' : 'refused', decidedBy: actor.id, decidedAt: ctx.now })
			.where(and(eq(organisationJoinRequests.id, requestId), eq(organisationJoinRequests.status, 'pending')))
			.returning({ id: organisationJoinRequests.id });
		if (!moved.length) throw new DomainError('invalid_state', 'error_transition_not_allowed');
		if (approve) {
			await tx.insert(organisationMembers).values({ organisationId: req.organisationId, userId: req.userId, role: 'member', createdAt: ctx.now }).onConflictDoNothing();
			await withdrawConflictedAssignments(tx, ctx, req.userId, req.organisationId, 'member');
		}
		await audit(tx, ctx, { action: approve ? 'organisation.join_approved' : 'organisation.join_refused', entityType: 'organisation', entityId: req.organisationId, summary: { userId: req.userId } });
	});
}
