import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { neighbourhoods, userRoles, users, type Locale, type Role } from '../db/schema/index.ts';
import { hashPassword } from '../auth/password.ts';

/** Every demo account signs in with this password (README lists them). */
export const DEMO_PASSWORD = 'kvarter-demo-2026';

export const DEMO_USERS: { email: string; name: string; locale: Locale; roles: Role[] }[] = [
	{ email: 'admin@kvarter.demo', name: 'Annika Lindqvist', locale: 'sv', roles: ['admin'] },
	{ email: 'officer@kvarter.demo', name: 'Pieter Janssens', locale: 'nl', roles: ['officer'] },
	{ email: 'reviewer@kvarter.demo', name: 'Fatima Yilmaz', locale: 'sv', roles: ['reviewer'] },
	{ email: 'ruben@kvarter.demo', name: 'Ruben Claes', locale: 'nl', roles: ['reviewer'] },
	{ email: 'lotte@kvarter.demo', name: 'Lotte Peeters', locale: 'en', roles: ['reviewer'] },
	{ email: 'finance@kvarter.demo', name: 'Lars Bergström', locale: 'sv', roles: ['finance'] },
	{ email: 'amina@kvarter.demo', name: 'Amina Hassan', locale: 'sv', roles: [] },
	{ email: 'joost@kvarter.demo', name: 'Joost De Smet', locale: 'nl', roles: [] },
	{ email: 'grace@kvarter.demo', name: 'Grace Okafor', locale: 'en', roles: [] }
];

export const DEMO_NEIGHBOURHOODS = [
	{ name: 'Norrbacka', population: 11_840, priority: true },
	{ name: 'Ekdalen', population: 7_420, priority: true },
	{ name: 'Tallbacken', population: 5_310, priority: true },
	{ name: 'Solhöjden', population: 9_050, priority: false },
	{ name: 'Hamnstaden', population: 6_780, priority: false },
	{ name: 'Gamla staden', population: 4_190, priority: false },
	{ name: 'Västra Ängen', population: 8_260, priority: false }
];

export interface SeedOptions {
	now?: Date;
}

/** True when the database has no users yet (a fresh install). */
export async function isEmpty(database: Database) {
	const [{ n }] = await database.db.select({ n: sql<number>`count(*)` }).from(users);
	return n === 0;
}

/**
 * Fills an empty database with demo accounts and neighbourhoods. Idempotent per row: existing
 * emails and neighbourhood names are left alone.
 */
export async function seedDemo(database: Database, options: SeedOptions = {}) {
	const now = options.now ?? new Date();
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	await database.write(async (tx) => {
		for (const n of DEMO_NEIGHBOURHOODS) {
			await tx.insert(neighbourhoods).values({ id: crypto.randomUUID(), ...n, createdAt: now }).onConflictDoNothing();
		}
		for (const u of DEMO_USERS) {
			const id = crypto.randomUUID();
			const inserted = await tx
				.insert(users)
				.values({ id, email: u.email, name: u.name, locale: u.locale, passwordHash, emailVerifiedAt: now, createdAt: now })
				.onConflictDoNothing()
				.returning({ id: users.id });
			if (inserted.length && u.roles.length) {
				await tx.insert(userRoles).values(u.roles.map((role) => ({ userId: id, role, grantedAt: now })));
			}
		}
	});
}
