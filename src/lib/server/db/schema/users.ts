import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

import { LOCALES, ROLES } from '../../../roles.ts';

export { LOCALES, ROLES, type Locale, type Role } from '../../../roles.ts';

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const users = sqliteTable(
	'users',
	{
		id: text('id').primaryKey(),
		email: text('email').notNull(),
		name: text('name').notNull(),
		passwordHash: text('password_hash').notNull(),
		locale: text('locale', { enum: LOCALES }).notNull().default('en'),
		emailVerifiedAt: integer('email_verified_at', { mode: 'timestamp_ms' }),
		disabledAt: integer('disabled_at', { mode: 'timestamp_ms' }),
		/** Wants a morning email listing what waits for them (their to-do), on days when something does. */
		todoDigest: integer('todo_digest', { mode: 'boolean' }).notNull().default(false),
		/** The municipality's day (YYYY-MM-DD) of the last digest, so that one goes out per day. */
		todoDigestOn: text('todo_digest_on'),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now)
	},
	(t) => [uniqueIndex('users_email_unique').on(t.email), index('users_name_idx').on(t.name), index('users_created_idx').on(t.createdAt)]
);

export const userRoles = sqliteTable(
	'user_roles',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ROLES }).notNull(),
		grantedBy: text('granted_by'),
		grantedAt: integer('granted_at', { mode: 'timestamp_ms' }).notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.userId, t.role] }), index('user_roles_role_idx').on(t.role)]
);

/** The primary key is the SHA-256 of the session token; the token itself is never stored. */
export const sessions = sqliteTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
		ip: text('ip')
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

export const EMAIL_TOKEN_PURPOSES = ['verify_email', 'reset_password', 'change_email'] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/** Single-use links sent by email; only the SHA-256 of the token is stored. */
export const emailTokens = sqliteTable(
	'email_tokens',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		purpose: text('purpose', { enum: EMAIL_TOKEN_PURPOSES }).notNull(),
		newEmail: text('new_email'),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		usedAt: integer('used_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('email_tokens_user_idx').on(t.userId, t.purpose)]
);

/** Attempts counted for throttling (sign-in failures, reset requests), per account and per IP. */
export const authAttempts = sqliteTable(
	'auth_attempts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		bucket: text('bucket').notNull(),
		at: integer('at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('auth_attempts_bucket_idx').on(t.bucket, t.at), index('auth_attempts_at_idx').on(t.at)]
);

/**
 * Browsers a person has signed in from (OWASP's "device cookie"): only the SHA-256 of the random
 * cookie is kept. Sign-in from a known browser is throttled on its own, so failures sent from
 * elsewhere never lock the owner out.
 */
export const trustedDevices = sqliteTable(
	'trusted_devices',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('trusted_devices_user_idx').on(t.userId, t.createdAt)]
);
