import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { emailTokens, trustedDevices, users, type EmailTokenPurpose, type Locale } from '../db/schema/index.ts';
import type { Reader, Tx } from '../db/client.ts';
import { audit } from '../audit/service.ts';
import { queueEmail } from '../email/outbox.ts';
import { DomainError } from '../errors.ts';
import { requireActor } from './authorize.ts';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { createSession, deleteSessionByToken, deleteUserSessions } from './session.ts';
import { clearAttempts, consumeAttempt, emailLimits, tryConsume, refundAttempt, signInLimits, takeAttempt } from './throttle.ts';
import { generateToken, hashToken, isWellFormedToken } from './tokens.ts';

const MINUTE = 60_000;
export const VERIFY_TTL_MS = 48 * 60 * MINUTE;
export const RESET_TTL_MS = 60 * MINUTE;
export const CHANGE_EMAIL_TTL_MS = 24 * 60 * MINUTE;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

async function findUserByEmail(ctx: Ctx, email: string) {
	const [user] = await ctx.database.db.select().from(users).where(eq(users.email, normaliseEmail(email)));
	return user;
}

async function issueEmailToken(tx: Tx, ctx: Ctx, userId: string, purpose: EmailTokenPurpose, ttlMs: number, newEmail?: string) {
	// A new reset or email-change link replaces any earlier unused one. Verification links all keep
	// working until they expire: signing in before verifying sends another, and the first one the
	// person opens (often the first email) must still work.
	if (purpose !== 'verify_email') {
		await tx
			.update(emailTokens)
			.set({ usedAt: ctx.now })
			.where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
	}
	const token = generateToken();
	await tx.insert(emailTokens).values({
		id: hashToken(token),
		userId,
		purpose,
		newEmail: newEmail ?? null,
		createdAt: ctx.now,
		expiresAt: new Date(ctx.now.getTime() + ttlMs)
	});
	return token;
}

/** Marks a link used and returns it; refuses unknown, used or expired links. Refuses: invalid. */
async function consumeEmailToken(tx: Tx, ctx: Ctx, token: string, purpose: EmailTokenPurpose) {
	if (!isWellFormedToken(token)) throw new DomainError('invalid', 'error_link_invalid');
	const [row] = await tx
		.update(emailTokens)
		.set({ usedAt: ctx.now })
		.where(
			and(
				eq(emailTokens.id, hashToken(token)),
				eq(emailTokens.purpose, purpose),
				isNull(emailTokens.usedAt),
				gt(emailTokens.expiresAt, ctx.now)
			)
		)
		.returning();
	if (!row) throw new DomainError('invalid', 'error_link_invalid');
	return row;
}

const link = (ctx: Ctx, path: string, token: string) => `${ctx.config.PUBLIC_ORIGIN}${path}?token=${token}`;

export interface SignUpInput {
	name: string;
	email: string;
	password: string;
	locale: Locale;
}

/**
 * Anyone may sign up. Sends a verification link; an address that already has an account gets
 * an email saying so instead, and the page shows the same "check your email" either way, so
 * sign-up does not reveal who has an account. Refuses: invalid (password), throttled.
 */
export async function signUp(ctx: Ctx, input: SignUpInput) {
	const email = normaliseEmail(input.email);
	const problem = passwordProblem(input.password, { email, name: input.name, site: ctx.config.MUNICIPALITY_NAME });
	if (problem) throw new DomainError('invalid', problem, 'password');
	const limits = emailLimits('signup', email, ctx.ip);
	// The attempt is taken before the password is hashed or any email queued.
	await takeAttempt(ctx.database, limits, ctx.now, 'email');
	const passwordHash = await hashPassword(input.password);
	await ctx.database.write(async (tx) => {
		const [existing] = await tx.select().from(users).where(eq(users.email, email));
		if (existing) {
			await queueEmail(tx, ctx, existing, {
				template: 'account-exists',
				params: {
					name: existing.name,
					signInUrl: `${ctx.config.PUBLIC_ORIGIN}/sign-in`,
					resetUrl: `${ctx.config.PUBLIC_ORIGIN}/forgot-password`
				}
			});
			await audit(tx, ctx, { action: 'user.sign_up_existing', entityType: 'user', entityId: existing.id, actorId: null });
			return;
		}
		const id = crypto.randomUUID();
		await tx.insert(users).values({ id, email, name: input.name.trim(), passwordHash, locale: input.locale, createdAt: ctx.now });
		const token = await issueEmailToken(tx, ctx, id, 'verify_email', VERIFY_TTL_MS);
		await queueEmail(tx, ctx, { email, locale: input.locale }, {
			template: 'verify-email',
			params: { name: input.name.trim(), url: link(ctx, '/verify-email', token) }
		});
		await audit(tx, ctx, { action: 'user.signed_up', entityType: 'user', entityId: id, actorId: id, summary: { locale: input.locale } });
	});
}

/** Whoever holds the link confirms the address. Refuses: invalid (unknown, used or expired link). */
export async function verifyEmail(ctx: Ctx, token: string) {
	return ctx.database.write(async (tx) => {
		const row = await consumeEmailToken(tx, ctx, token, 'verify_email');
		await tx.update(users).set({ emailVerifiedAt: ctx.now }).where(and(eq(users.id, row.userId), isNull(users.emailVerifiedAt)));
		await audit(tx, ctx, { action: 'user.email_verified', entityType: 'user', entityId: row.userId, actorId: row.userId });
		return row.userId;
	});
}

export interface SignInResult {
	token: string;
	userId: string;
	locale: Locale;
	/** The cookie that marks this browser as one the person signs in from (set it for a year). */
	deviceToken: string;
}

const DEVICES_KEPT = 10;

/** The known browser behind a device cookie, when it belongs to `userId`. */
async function knownDevice(db: Reader, userId: string | undefined, deviceToken: string | null | undefined) {
	if (!userId || !deviceToken || !isWellFormedToken(deviceToken)) return null;
	const [row] = await db.select({ id: trustedDevices.id }).from(trustedDevices).where(and(eq(trustedDevices.id, hashToken(deviceToken)), eq(trustedDevices.userId, userId)));
	return row?.id ?? null;
}

/**
 * Checks email and password and starts a new session. Refuses with one message for an unknown
 * email or a wrong password; unverified addresses get a fresh link. The attempt is counted and
 * recorded before the password is checked, so parallel guesses cannot pass the limit. A browser
 * the person signed in from before (its device cookie) has a limit of its own, so failures sent
 * from elsewhere never lock the owner out. Refuses: invalid, throttled.
 */
export async function signIn(ctx: Ctx, input: { email: string; password: string; deviceToken?: string | null }): Promise<SignInResult> {
	const email = normaliseEmail(input.email);
	const user = await findUserByEmail(ctx, email);
	const device = await knownDevice(ctx.database.db, user?.id, input.deviceToken);
	const limits = signInLimits(email, ctx.ip, device);
	await takeAttempt(ctx.database, limits, ctx.now, 'email');
	// Verify against a dummy hash for unknown addresses so response time does not reveal them.
	const ok = (await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password)) && !!user;
	if (!user || !ok || user.disabledAt) {
		await ctx.database.write(async (tx) => {
			await audit(tx, ctx, {
				action: 'auth.sign_in_failed',
				entityType: 'user',
				entityId: user?.id ?? null,
				actorId: null,
				summary: { reason: !user ? 'unknown_email' : !ok ? 'wrong_password' : 'disabled', knownBrowser: !!device }
			});
		});
		throw new DomainError('invalid', 'error_sign_in_failed', 'password');
	}
	if (!user.emailVerifiedAt) {
		await ctx.database.write(async (tx) => {
			if (!(await tryConsume(tx, emailLimits('verify', email, ctx.ip), ctx.now))) return;
			const token = await issueEmailToken(tx, ctx, user.id, 'verify_email', VERIFY_TTL_MS);
			await queueEmail(tx, ctx, user, { template: 'verify-email', params: { name: user.name, url: link(ctx, '/verify-email', token) } });
		});
		throw new DomainError('invalid', 'error_email_not_verified', 'email');
	}
	return ctx.database.write(async (tx) => {
		await clearAttempts(tx, [limits[0].bucket]);
		if (limits[1]) await refundAttempt(tx, limits[1].bucket, ctx.now);
		const token = await createSession(tx, user.id, ctx.now, ctx.ip);
		// A fresh device cookie each time; the oldest beyond the last ten are forgotten.
		if (device) await tx.delete(trustedDevices).where(eq(trustedDevices.id, device));
		const deviceToken = generateToken();
		await tx.insert(trustedDevices).values({ id: hashToken(deviceToken), userId: user.id, createdAt: ctx.now });
		await tx.run(sql`delete from trusted_devices where user_id = ${user.id} and id not in (select id from trusted_devices where user_id = ${user.id} order by created_at desc limit ${DEVICES_KEPT})`);
		await audit(tx, ctx, { action: 'auth.signed_in', entityType: 'user', entityId: user.id, actorId: user.id });
		return { token, userId: user.id, locale: user.locale, deviceToken };
	});
}

/** Ends the current session. */
export async function signOut(ctx: Ctx, token: string) {
	await ctx.database.write(async (tx) => {
		await deleteSessionByToken(tx, token);
		if (ctx.actor) await audit(tx, ctx, { action: 'auth.signed_out', entityType: 'user', entityId: ctx.actor.id });
	});
}

/**
 * Sends a single-use reset link if the address has an account; says nothing either way.
 * Refuses: throttled.
 */
export async function requestPasswordReset(ctx: Ctx, emailInput: string) {
	const email = normaliseEmail(emailInput);
	const limits = emailLimits('reset', email, ctx.ip);
	await ctx.database.write(async (tx) => {
		await consumeAttempt(tx, limits, ctx.now, 'email');
		const [user] = await tx.select().from(users).where(eq(users.email, email));
		if (!user || user.disabledAt) return;
		const token = await issueEmailToken(tx, ctx, user.id, 'reset_password', RESET_TTL_MS);
		await queueEmail(tx, ctx, user, {
			template: 'reset-password',
			params: { name: user.name, url: link(ctx, '/reset-password', token), minutes: RESET_TTL_MS / MINUTE }
		});
		await audit(tx, ctx, { action: 'auth.reset_requested', entityType: 'user', entityId: user.id, actorId: null });
	});
}

/** Sets a new password from a reset link; ends every session of the account. Refuses: invalid. */
export async function resetPassword(ctx: Ctx, token: string, password: string) {
	if (!isWellFormedToken(token)) throw new DomainError('invalid', 'error_link_invalid');
	const [pending] = await ctx.database.db
		.select({ email: users.email, name: users.name })
		.from(emailTokens)
		.innerJoin(users, eq(users.id, emailTokens.userId))
		.where(eq(emailTokens.id, hashToken(token)));
	const problem = passwordProblem(password, { ...pending, site: ctx.config.MUNICIPALITY_NAME });
	if (problem) throw new DomainError('invalid', problem, 'password');
	const passwordHash = await hashPassword(password);
	await ctx.database.write(async (tx) => {
		const row = await consumeEmailToken(tx, ctx, token, 'reset_password');
		const [user] = await tx
			.update(users)
			// Following a reset link proves the address too.
			.set({ passwordHash, emailVerifiedAt: ctx.now })
			.where(eq(users.id, row.userId))
			.returning();
		await deleteUserSessions(tx, row.userId);
		await queueEmail(tx, ctx, user, { template: 'password-changed', params: { name: user.name } });
		await audit(tx, ctx, { action: 'auth.password_reset', entityType: 'user', entityId: row.userId, actorId: row.userId });
	});
}

async function assertCurrentPassword(ctx: Ctx, userId: string, password: string) {
	const [user] = await ctx.database.db.select().from(users).where(eq(users.id, userId));
	if (!user || !(await verifyPassword(user.passwordHash, password))) {
		throw new DomainError('invalid', 'error_current_password_wrong', 'currentPassword');
	}
	return user;
}

/** The signed-in user changes their password; every other session ends. Refuses: invalid, forbidden. */
export async function changePassword(ctx: Ctx, currentToken: string, input: { currentPassword: string; newPassword: string }) {
	const actor = requireActor(ctx);
	const user = await assertCurrentPassword(ctx, actor.id, input.currentPassword);
	const problem = passwordProblem(input.newPassword, { email: user.email, name: user.name, site: ctx.config.MUNICIPALITY_NAME });
	if (problem) throw new DomainError('invalid', problem, 'newPassword');
	const passwordHash = await hashPassword(input.newPassword);
	await ctx.database.write(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
		await deleteUserSessions(tx, actor.id, currentToken);
		await queueEmail(tx, ctx, user, { template: 'password-changed', params: { name: user.name } });
		await audit(tx, ctx, { action: 'auth.password_changed', entityType: 'user', entityId: actor.id });
	});
}

/**
 * The signed-in user asks to move to a new address (after re-entering their password). The new
 * address gets a confirmation link — or, when it already belongs to an account, a notice saying
 * so — and the old one is told; the answer is the same either way, so nobody learns who has an
 * account. Throttled per account and IP. Refuses: invalid, throttled, forbidden.
 */
export async function requestEmailChange(ctx: Ctx, input: { password: string; newEmail: string }) {
	const actor = requireActor(ctx);
	const limits = emailLimits('change_email', actor.email, ctx.ip);
	// Taken before the password is checked: guessing the password here is throttled too.
	await takeAttempt(ctx.database, limits, ctx.now, 'newEmail');
	const user = await assertCurrentPassword(ctx, actor.id, input.password);
	const newEmail = normaliseEmail(input.newEmail);
	if (newEmail === user.email) throw new DomainError('invalid', 'error_email_same', 'newEmail');
	await ctx.database.write(async (tx) => {
		const [taken] = await tx.select({ id: users.id, name: users.name, locale: users.locale }).from(users).where(eq(users.email, newEmail));
		if (taken) {
			await queueEmail(tx, ctx, { email: newEmail, locale: taken.locale }, {
				template: 'email-in-use',
				params: { name: taken.name, signInUrl: `${ctx.config.PUBLIC_ORIGIN}/sign-in`, resetUrl: `${ctx.config.PUBLIC_ORIGIN}/forgot-password` }
			});
		} else {
			const token = await issueEmailToken(tx, ctx, user.id, 'change_email', CHANGE_EMAIL_TTL_MS, newEmail);
			await queueEmail(tx, ctx, { email: newEmail, locale: user.locale }, {
				template: 'confirm-new-email',
				params: { name: user.name, newEmail, url: link(ctx, '/account/confirm-email', token) }
			});
		}
		await queueEmail(tx, ctx, user, { template: 'email-change-requested', params: { name: user.name, newEmail } });
		await audit(tx, ctx, { action: 'user.email_change_requested', entityType: 'user', entityId: user.id, summary: { newEmail, inUse: !!taken } });
	});
}

/** Whoever holds the link sent to the new address confirms it. Refuses: invalid, conflict. */
export async function confirmEmailChange(ctx: Ctx, token: string) {
	return ctx.database.write(async (tx) => {
		const row = await consumeEmailToken(tx, ctx, token, 'change_email');
		const newEmail = row.newEmail!;
		const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, newEmail));
		if (taken) throw new DomainError('conflict', 'error_email_taken');
		const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
		await tx.update(users).set({ email: newEmail, emailVerifiedAt: ctx.now }).where(eq(users.id, row.userId));
		await audit(tx, ctx, {
			action: 'user.email_changed',
			entityType: 'user',
			entityId: row.userId,
			actorId: row.userId,
			summary: { from: before?.email, to: newEmail }
		});
	});
}

/** The signed-in user sets their name and preferred language. Refuses: forbidden. */
export async function updateProfile(ctx: Ctx, input: { name: string; locale: Locale }) {
	const actor = requireActor(ctx);
	await ctx.database.write(async (tx) => {
		await tx.update(users).set({ name: input.name.trim(), locale: input.locale }).where(eq(users.id, actor.id));
		await audit(tx, ctx, { action: 'user.profile_updated', entityType: 'user', entityId: actor.id, summary: { locale: input.locale } });
	});
}
