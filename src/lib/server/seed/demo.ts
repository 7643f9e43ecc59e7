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

const FIRST = ['Amir', 'Sara', 'Johan', 'Leila', 'Erik', 'Noor', 'Anna', 'Yusuf', 'Sofie', 'Daan', 'Emma', 'Omar', 'Lotte', 'Ali', 'Maja', 'Ines', 'Ruben', 'Hana', 'Karin', 'Bram'];
const LAST = ['Andersson', 'Mohamed', 'Peeters', 'Nilsson', 'Ahmadi', 'Maes', 'Johansson', 'Karimi', 'Willems', 'Eriksson', 'Haddad', 'Claes', 'Larsson', 'Osman', 'Jacobs', 'Berg'];

export interface SeedOptions {
	/** Extra generated applicant accounts, for measuring lists at realistic size. */
	size?: number;
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
	const size = options.size ?? 0;
	const locales: Locale[] = ['sv', 'nl', 'en'];
	for (let start = 0; start < size; start += 1000) {
		const batch = Array.from({ length: Math.min(1000, size - start) }, (_, k) => {
			const i = start + k;
			const first = FIRST[i % FIRST.length];
			const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
			return {
				id: crypto.randomUUID(),
				email: `${first}.${last}.${i}@example.org`.toLowerCase(),
				name: `${first} ${last}`,
				locale: locales[i % 3],
				passwordHash,
				emailVerifiedAt: now,
				createdAt: new Date(now.getTime() - i * 60_000)
			};
		});
		await database.write((tx) => tx.insert(users).values(batch).onConflictDoNothing());
	}
}
