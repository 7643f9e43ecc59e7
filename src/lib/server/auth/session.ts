import { and, eq, ne } from 'drizzle-orm';
import type { Actor } from '../context.ts';
import { isStaff } from '../context.ts';
import type { Database, Tx } from '../db/client.ts';
import { sessions, userRoles, users, type Role } from '../db/schema/index.ts';
import { generateToken, hashToken, isWellFormedToken } from './tokens.ts';
import { arg, once } from '../db/prepared.ts';

export const APPLICANT_SLIDING_MS = 30 * 24 * 60 * 60 * 1000;
export const STAFF_IDLE_MS = 30 * 60 * 1000;
export const STAFF_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** Don't write last_seen_at on every request: only when it is this stale. */
const TOUCH_AFTER_MS = { staff: 60 * 1000, applicant: 60 * 60 * 1000 };

export interface SessionInfo {
	id: string;
	createdAt: Date;
	lastSeenAt: Date;
}

/** Creates a session inside the caller's transaction; returns the token for the cookie. */
export async function createSession(tx: Tx, userId: string, now: Date, ip: string | null) {
	const token = generateToken();
	await tx.insert(sessions).values({ id: hashToken(token), userId, createdAt: now, lastSeenAt: now, ip });
	return token;
}

/**
 * When the session ends, given the roles of its user: applicants slide for 30 days from last
 * use; officers, finance and admins end after 30 idle minutes or 12 hours in all.
 */
export function sessionExpiry(session: SessionInfo, roles: readonly Role[]): Date {
	if (isStaff(roles)) {
		return new Date(Math.min(session.lastSeenAt.getTime() + STAFF_IDLE_MS, session.createdAt.getTime() + STAFF_ABSOLUTE_MS));
	}
	return new Date(session.lastSeenAt.getTime() + APPLICANT_SLIDING_MS);
}

/**
 * Looks up the session of a cookie token. Returns null (and deletes the row) when the token is
 * unknown, malformed, expired, or its account is disabled; otherwise slides its expiry.
 */
export async function validateSessionToken(database: Database, token: string, now: Date) {
	if (!isWellFormedToken(token)) return null;
	const id = hashToken(token);
	// Every signed-in request asks this: built once (db/prepared.ts).
	const rows = await once(database.db, 'session.byId', (db) =>
		db
			.select({
				session: { id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt },
				user: { id: users.id, email: users.email, name: users.name, locale: users.locale, disabledAt: users.disabledAt },
				role: userRoles.role
			})
			.from(sessions)
			.innerJoin(users, eq(users.id, sessions.userId))
			.leftJoin(userRoles, eq(userRoles.userId, users.id))
			.where(eq(sessions.id, arg('id')))
			.prepare()
	).all({ id });
	if (rows.length === 0) return null;
	const { session, user } = rows[0];
	const roles = rows.map((r) => r.role).filter((r): r is Role => r !== null);
	const expiresAt = sessionExpiry(session, roles);
	if (user.disabledAt || now >= expiresAt) {
		await database.write((tx) => tx.delete(sessions).where(eq(sessions.id, id)));
		return null;
	}
	const staff = isStaff(roles);
	if (now.getTime() - session.lastSeenAt.getTime() >= (staff ? TOUCH_AFTER_MS.staff : TOUCH_AFTER_MS.applicant)) {
		await database.write((tx) => tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id)));
		session.lastSeenAt = now;
	}
	const actor: Actor = { id: user.id, email: user.email, name: user.name, locale: user.locale, roles };
	return { actor, session, expiresAt: sessionExpiry(session, roles), staff };
}

export async function deleteSessionByToken(tx: Tx, token: string) {
	if (!isWellFormedToken(token)) return;
	await tx.delete(sessions).where(eq(sessions.id, hashToken(token)));
}

/** Ends every session of a user, except the one whose token is given (the current one). */
export async function deleteUserSessions(tx: Tx, userId: string, exceptToken?: string) {
	const cond = exceptToken && isWellFormedToken(exceptToken)
		? and(eq(sessions.userId, userId), ne(sessions.id, hashToken(exceptToken)))
		: eq(sessions.userId, userId);
	await tx.delete(sessions).where(cond);
}
