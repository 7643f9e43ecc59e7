import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, sql } from 'drizzle-orm';
import { createTestDb, createUser, TEST_PASSWORD, type TestDb } from '../testing/db.ts';
import { auditEvents, emailOutbox, emailTokens, sessions, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import {
	changePassword,
	confirmEmailChange,
	requestEmailChange,
	requestPasswordReset,
	resetPassword,
	signIn,
	signUp,
	verifyEmail
} from './service.ts';
import { validateSessionToken } from './session.ts';

let db: TestDb;
beforeAll(async () => {
	db = await createTestDb();
});
afterAll(() => db.cleanup());

const MIN = 60_000;

/** The link of the newest email sent to `to`. */
async function lastLink(to: string) {
	const [mail] = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to)).orderBy(desc(emailOutbox.id)).limit(1);
	const match = mail?.textBody.match(/https?:\/\/\S+token=([a-z2-7]+)/);
	return { mail, token: match?.[1] ?? '' };
}

async function refusal(p: Promise<unknown>) {
	try {
		await p;
	} catch (err) {
		if (err instanceof DomainError) return { code: err.code, key: err.messageKey, field: err.field, params: err.params };
		throw err;
	}
	throw new Error('expected a refusal');
}

/** null when the call succeeds, else what refused it. */
const outcomeOf = (p: Promise<unknown>) => p.then(() => null, (err) => refusal(Promise.reject(err)));

const count = async (table: typeof users | typeof sessions | typeof emailOutbox) =>
	(await db.database.db.select({ n: sql<number>`count(*)` }).from(table))[0].n;

describe('sign-up and verification', () => {
	it('creates an unverified account and emails a verification link in the chosen language', async () => {
		await signUp(db.ctx(), { name: 'Leila Karimi', email: ' Leila@Example.org ', password: 'tre små grodor hoppar', locale: 'sv' });
		const [user] = await db.database.db.select().from(users).where(eq(users.email, 'leila@example.org'));
		expect(user).toMatchObject({ name: 'Leila Karimi', locale: 'sv', emailVerifiedAt: null });
		expect(user.passwordHash).toMatch(/^\$argon2id\$/);
		const { mail, token } = await lastLink('leila@example.org');
		expect(mail.subject).toBe('Bekräfta din e-postadress för Kvarter');
		expect(mail.textBody).toContain('http://localhost:5173/verify-email?token=');
		expect(token).toHaveLength(32);
		// Only the hash of the link is stored.
		expect(await db.database.db.select().from(emailTokens).where(eq(emailTokens.id, token))).toEqual([]);

		await expect(refusal(signIn(db.ctx(), { email: 'leila@example.org', password: 'tre små grodor hoppar' }))).resolves.toMatchObject({
			key: 'error_email_not_verified'
		});
		// Signing in unverified sends a fresh link; the first one still works (people open the first email).
		const fresh = await lastLink('leila@example.org');
		expect(fresh.token).not.toBe(token);
		await verifyEmail(db.ctx(), token);
		const signedIn = await signIn(db.ctx(), { email: 'leila@example.org', password: 'tre små grodor hoppar' });
		expect(signedIn.locale).toBe('sv');
		// A verification link works once.
		await expect(refusal(verifyEmail(db.ctx(), token))).resolves.toMatchObject({ code: 'invalid', key: 'error_link_invalid' });
	});

	it('refuses a common password and changes nothing', async () => {
		const before = await count(users);
		await expect(refusal(signUp(db.ctx(), { name: 'X', email: 'x@example.org', password: 'password1', locale: 'en' }))).resolves.toMatchObject({
			code: 'invalid',
			key: 'error_password_common',
			field: 'password'
		});
		expect(await count(users)).toBe(before);
	});

	it('does not reveal an existing account: the owner gets an email instead', async () => {
		const existing = await createUser(db, { email: 'owner@example.org' });
		const usersBefore = await count(users);
		await signUp(db.ctx(), { name: 'Someone', email: 'owner@example.org', password: 'ett helt annat lösenord', locale: 'en' });
		expect(await count(users)).toBe(usersBefore);
		const { mail } = await lastLink(existing.email);
		expect(mail.template).toBe('account-exists');
	});
});

describe('throttling that cannot be raced or used to lock people out', () => {
	it('lets at most five of fifty parallel wrong passwords reach the password check, and the owner in from their known browser', async () => {
		const user = await createUser(db, { email: 'race@example.org' });
		const now = new Date('2026-11-04T10:00:00Z');
		// The owner signed in from this browser before: it has a device cookie.
		const before = await signIn(db.ctx(null, new Date('2026-11-01T10:00:00Z'), '10.1.1.1'), { email: user.email, password: TEST_PASSWORD });
		const results = await Promise.all(Array.from({ length: 50 }, (_, i) => outcomeOf(signIn(db.ctx(null, now, `10.2.${i}.1`), { email: user.email, password: `wrong guess ${i}` }))));
		const checked = results.filter((r) => r?.key === 'error_sign_in_failed').length;
		expect(checked).toBe(5);
		expect(results.filter((r) => r?.code === 'throttled')).toHaveLength(45);
		const failures = await db.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'auth.sign_in_failed'), eq(auditEvents.entityId, user.id)));
		expect(failures).toHaveLength(5);
		// Any other browser is locked out for now…
		expect(await refusal(signIn(db.ctx(null, now, '10.3.0.1'), { email: user.email, password: TEST_PASSWORD }))).toMatchObject({ code: 'throttled' });
		// …but the owner, from their own browser, signs in during the attack.
		const during = await signIn(db.ctx(null, now, '10.1.1.1'), { email: user.email, password: TEST_PASSWORD, deviceToken: before.deviceToken });
		expect(during.userId).toBe(user.id);
		// A device cookie of another account, or a made-up one, counts for nothing.
		const other = await createUser(db);
		const theirs = await signIn(db.ctx(null, now, '10.4.0.1'), { email: other.email, password: TEST_PASSWORD });
		expect(await refusal(signIn(db.ctx(null, now, '10.3.0.2'), { email: user.email, password: TEST_PASSWORD, deviceToken: theirs.deviceToken }))).toMatchObject({ code: 'throttled' });
		expect(await refusal(signIn(db.ctx(null, now, '10.3.0.3'), { email: user.email, password: TEST_PASSWORD, deviceToken: 'a'.repeat(32) }))).toMatchObject({ code: 'throttled' });
	});

	it('queues at most three of fifty parallel reset requests for one address', async () => {
		const user = await createUser(db, { email: 'flood@example.org' });
		const now = new Date('2026-11-05T10:00:00Z');
		const results = await Promise.all(Array.from({ length: 50 }, (_, i) => outcomeOf(requestPasswordReset(db.ctx(null, now, `10.5.${i}.1`), user.email))));
		expect(results.filter((r) => r === null)).toHaveLength(3);
		const mails = await db.database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.template, 'reset-password')));
		expect(mails).toHaveLength(3);
	});

	it('throttles email change requests, so they cannot be used to probe addresses', async () => {
		const user = await createUser(db);
		const now = new Date('2026-11-06T10:00:00Z');
		for (let i = 0; i < 3; i++) await requestEmailChange(db.ctx(user, now), { password: TEST_PASSWORD, newEmail: `probe${i}@example.org` });
		expect(await refusal(requestEmailChange(db.ctx(user, now), { password: TEST_PASSWORD, newEmail: 'probe9@example.org' }))).toMatchObject({ code: 'throttled', field: 'newEmail' });
	});
});

describe('signing in', () => {
	it('refuses a wrong password with one message, records the failure, and throttles after five', async () => {
		const user = await createUser(db, { email: 'throttle@example.org' });
		const ctx = db.ctx(null, new Date('2026-11-02T10:00:00Z'), '10.0.0.7');
		for (let i = 0; i < 5; i++) {
			await expect(refusal(signIn(ctx, { email: user.email, password: 'wrong password here' }))).resolves.toMatchObject({
				key: 'error_sign_in_failed',
				field: 'password'
			});
		}
		// Even the right password is refused while throttled, with the wait in minutes.
		const throttled = await refusal(signIn(ctx, { email: user.email, password: TEST_PASSWORD }));
		expect(throttled).toMatchObject({ code: 'throttled', key: 'error_throttled', params: { minutes: 15 } });
		const failures = await db.database.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'auth.sign_in_failed'), eq(auditEvents.entityId, user.id)));
		expect(failures).toHaveLength(5);
		expect(JSON.stringify(failures)).not.toContain('wrong password');
		// Fifteen minutes later the account can sign in again.
		const later = db.ctx(null, new Date('2026-11-02T10:16:00Z'), '10.0.0.7');
		const ok = await signIn(later, { email: user.email, password: TEST_PASSWORD });
		expect(ok.userId).toBe(user.id);
	});

	it('throttles by IP address across accounts', async () => {
		const ctx = db.ctx(null, new Date('2026-11-03T10:00:00Z'), '10.0.0.99');
		for (let i = 0; i < 30; i++) {
			await refusal(signIn(ctx, { email: `nobody${i}@example.org`, password: 'whatever it is' }));
		}
		await expect(refusal(signIn(ctx, { email: 'nobody-else@example.org', password: 'whatever it is' }))).resolves.toMatchObject({ code: 'throttled' });
	});

	it('records a successful sign-in and creates a new session each time', async () => {
		const user = await createUser(db);
		const a = await signIn(db.ctx(), { email: user.email, password: TEST_PASSWORD });
		const b = await signIn(db.ctx(), { email: user.email, password: TEST_PASSWORD });
		expect(a.token).not.toBe(b.token);
		expect(await db.database.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(2);
		const events = await db.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'auth.signed_in'), eq(auditEvents.entityId, user.id)));
		expect(events).toHaveLength(2);
	});
});

describe('password reset', () => {
	it('sends a single-use link, sets the new password and ends every session', async () => {
		const user = await createUser(db, { email: 'reset@example.org' });
		const old = await signIn(db.ctx(), { email: user.email, password: TEST_PASSWORD });
		await requestPasswordReset(db.ctx(), 'RESET@example.org');
		const { mail, token } = await lastLink(user.email);
		expect(mail.template).toBe('reset-password');
		await resetPassword(db.ctx(), token, 'a brand new passphrase');
		expect(await validateSessionToken(db.database, old.token, new Date())).toBeNull();
		await expect(refusal(signIn(db.ctx(), { email: user.email, password: TEST_PASSWORD }))).resolves.toMatchObject({ key: 'error_sign_in_failed' });
		expect((await signIn(db.ctx(), { email: user.email, password: 'a brand new passphrase' })).userId).toBe(user.id);
		// Reused link: refused, password unchanged.
		await expect(refusal(resetPassword(db.ctx(), token, 'yet another passphrase'))).resolves.toMatchObject({ key: 'error_link_invalid' });
		expect((await signIn(db.ctx(), { email: user.email, password: 'a brand new passphrase' })).userId).toBe(user.id);
	});

	it('refuses an expired link and changes nothing', async () => {
		const user = await createUser(db, { email: 'expired@example.org' });
		const t0 = new Date('2026-11-04T09:00:00Z');
		await requestPasswordReset(db.ctx(null, t0), user.email);
		const { token } = await lastLink(user.email);
		const [before] = await db.database.db.select().from(users).where(eq(users.id, user.id));
		await expect(refusal(resetPassword(db.ctx(null, new Date(t0.getTime() + 61 * MIN)), token, 'too late passphrase'))).resolves.toMatchObject({
			key: 'error_link_invalid'
		});
		const [after] = await db.database.db.select().from(users).where(eq(users.id, user.id));
		expect(after.passwordHash).toBe(before.passwordHash);
	});

	it('says nothing about unknown addresses and refuses garbage tokens', async () => {
		const mails = await count(emailOutbox);
		await requestPasswordReset(db.ctx(), 'nobody-here@example.org');
		expect(await count(emailOutbox)).toBe(mails);
		await expect(refusal(resetPassword(db.ctx(), '<script>', 'whatever passphrase'))).resolves.toMatchObject({ key: 'error_link_invalid' });
	});

	it('throttles reset requests so that nobody’s inbox can be flooded', async () => {
		const user = await createUser(db);
		const ctx = db.ctx(null, new Date('2026-11-05T09:00:00Z'), '10.1.1.1');
		for (let i = 0; i < 3; i++) await requestPasswordReset(ctx, user.email);
		await expect(refusal(requestPasswordReset(ctx, user.email))).resolves.toMatchObject({ code: 'throttled', params: { minutes: 60 } });
		const sent = await db.database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.template, 'reset-password')));
		expect(sent).toHaveLength(3);
	});
});

describe('changing password and email', () => {
	it('ends every other session when the password changes, keeping the current one', async () => {
		const user = await createUser(db);
		const here = await signIn(db.ctx(), { email: user.email, password: TEST_PASSWORD });
		const elsewhere = await signIn(db.ctx(), { email: user.email, password: TEST_PASSWORD });
		await expect(refusal(changePassword(db.ctx(user), here.token, { currentPassword: 'not it at all', newPassword: 'ny fin lösenfras' }))).resolves.toMatchObject({
			field: 'currentPassword'
		});
		await changePassword(db.ctx(user), here.token, { currentPassword: TEST_PASSWORD, newPassword: 'ny fin lösenfras' });
		expect(await validateSessionToken(db.database, here.token, new Date())).not.toBeNull();
		expect(await validateSessionToken(db.database, elsewhere.token, new Date())).toBeNull();
	});

	it('moves to a new address only after the link sent there is opened', async () => {
		const user = await createUser(db, { email: 'old@example.org' });
		const taken = await createUser(db, { email: 'taken@example.org' });
		// An address in use answers exactly as a free one does; its owner gets a notice, no link.
		await requestEmailChange(db.ctx(user), { password: TEST_PASSWORD, newEmail: taken.email });
		const notice = await lastLink(taken.email);
		expect(notice.mail.template).toBe('email-in-use');
		expect(notice.token).toBe('');
		expect(await db.database.db.select().from(emailTokens).where(eq(emailTokens.newEmail, taken.email))).toEqual([]);
		await expect(refusal(requestEmailChange(db.ctx(user), { password: 'wrong one here', newEmail: 'new@example.org' }))).resolves.toMatchObject({
			field: 'currentPassword'
		});
		await requestEmailChange(db.ctx(user), { password: TEST_PASSWORD, newEmail: 'New@Example.org' });
		const [still] = await db.database.db.select().from(users).where(eq(users.id, user.id));
		expect(still.email).toBe('old@example.org');
		expect((await lastLink('old@example.org')).mail.template).toBe('email-change-requested');
		const { token } = await lastLink('new@example.org');
		await confirmEmailChange(db.ctx(), token);
		const [moved] = await db.database.db.select().from(users).where(eq(users.id, user.id));
		expect(moved.email).toBe('new@example.org');
	});
});
