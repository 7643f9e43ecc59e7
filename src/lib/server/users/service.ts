import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { userRoles, users, ROLES, type Role } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { deleteUserSessions } from '../auth/session.ts';
import { queueEmail } from '../email/outbox.ts';
import { DomainError, notFound } from '../errors.ts';
import { pageOf } from '../pagination.ts';

export const USERS_PAGE_SIZE = 25;

/** Admins list users, searchable by name or email, 25 a page with their roles. Refuses: forbidden. */
export async function listUsers(ctx: Ctx, input: { q?: string; role?: Role; page?: number }) {
	requireRoleIn(ctx, ['admin']);
	const db = ctx.database.db;
	const conds = [];
	const q = input.q?.trim().toLowerCase();
	if (q) {
		const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		conds.push(or(sql`${users.email} like ${pattern} escape '\\'`, sql`lower(${users.name}) like ${pattern} escape '\\'`));
	}
	if (input.role) conds.push(sql`exists (select 1 from ${userRoles} where ${userRoles.userId} = ${users.id} and ${userRoles.role} = ${input.role})`);
	const where = conds.length ? and(...conds) : undefined;
	const page = Math.max(1, input.page ?? 1);
	const [{ total }] = await db.select({ total: sql<number>`count(*)` }).from(users).where(where);
	const rows = await db
		.select({
			id: users.id,
			name: users.name,
			email: users.email,
			emailVerifiedAt: users.emailVerifiedAt,
			disabledAt: users.disabledAt,
			createdAt: users.createdAt
		})
		.from(users)
		.where(where)
		.orderBy(asc(users.name), asc(users.id))
		.limit(USERS_PAGE_SIZE)
		.offset((page - 1) * USERS_PAGE_SIZE);
	// One query for the roles of the whole page, not one per row.
	const roleRows = rows.length
		? await db.select().from(userRoles).where(inArray(userRoles.userId, rows.map((r) => r.id)))
		: [];
	const withRoles = rows.map((r) => ({ ...r, roles: roleRows.filter((x) => x.userId === r.id).map((x) => x.role) }));
	return pageOf(withRoles, total, page, USERS_PAGE_SIZE);
}

/** One user with roles, for admins. Refuses: forbidden, not_found. */
export async function getUser(ctx: Ctx, id: string) {
	requireRoleIn(ctx, ['admin']);
	const [user] = await ctx.database.db
		.select({
			id: users.id,
			name: users.name,
			email: users.email,
			locale: users.locale,
			emailVerifiedAt: users.emailVerifiedAt,
			disabledAt: users.disabledAt,
			createdAt: users.createdAt
		})
		.from(users)
		.where(eq(users.id, id));
	if (!user) throw notFound();
	const roles = await ctx.database.db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, id));
	return { ...user, roles: roles.map((r) => r.role) };
}

function assertRole(role: string): asserts role is Role {
	if (!(ROLES as readonly string[]).includes(role)) throw new DomainError('invalid', 'error_role_unknown', 'role');
}

/** Admins grant a role; granting one already held changes nothing. Refuses: forbidden, not_found, invalid. */
export async function grantRole(ctx: Ctx, userId: string, role: string) {
	const admin = requireRoleIn(ctx, ['admin']);
	assertRole(role);
	await ctx.database.write(async (tx) => {
		const [user] = await tx.select().from(users).where(eq(users.id, userId));
		if (!user) throw notFound();
		const inserted = await tx
			.insert(userRoles)
			.values({ userId, role, grantedBy: admin.id, grantedAt: ctx.now })
			.onConflictDoNothing()
			.returning();
		if (inserted.length === 0) return;
		await audit(tx, ctx, { action: 'user.role_granted', entityType: 'user', entityId: userId, summary: { role, email: user.email } });
		await queueEmail(tx, ctx, user, { template: 'roles-changed', params: { name: user.name } });
	});
}

/**
 * Admins revoke a role. An admin cannot remove their own admin role, so an install is never
 * left without one. Refuses: forbidden, not_found, invalid.
 */
export async function revokeRole(ctx: Ctx, userId: string, role: string) {
	const admin = requireRoleIn(ctx, ['admin']);
	assertRole(role);
	if (role === 'admin' && userId === admin.id) throw new DomainError('invalid', 'error_cannot_revoke_own_admin', 'role');
	await ctx.database.write(async (tx) => {
		const [user] = await tx.select().from(users).where(eq(users.id, userId));
		if (!user) throw notFound();
		const removed = await tx.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.role, role))).returning();
		if (removed.length === 0) return;
		await audit(tx, ctx, { action: 'user.role_revoked', entityType: 'user', entityId: userId, summary: { role, email: user.email } });
		await queueEmail(tx, ctx, user, { template: 'roles-changed', params: { name: user.name } });
	});
}

/** Admins disable an account (ending all its sessions) or enable it again. Refuses: forbidden, not_found, invalid. */
export async function setUserDisabled(ctx: Ctx, userId: string, disabled: boolean) {
	const admin = requireRoleIn(ctx, ['admin']);
	if (userId === admin.id && disabled) throw new DomainError('invalid', 'error_cannot_disable_self');
	await ctx.database.write(async (tx) => {
		const [user] = await tx.select().from(users).where(eq(users.id, userId));
		if (!user) throw notFound();
		if (!!user.disabledAt === disabled) return;
		await tx.update(users).set({ disabledAt: disabled ? ctx.now : null }).where(eq(users.id, userId));
		if (disabled) await deleteUserSessions(tx, userId);
		await audit(tx, ctx, { action: disabled ? 'user.disabled' : 'user.enabled', entityType: 'user', entityId: userId, summary: { email: user.email } });
	});
}

