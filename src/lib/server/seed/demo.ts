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
	{ email: 'sofie@kvarter.demo', name: 'Sofie Wouters', locale: 'nl', roles: ['finance'] },
	// In a small municipality one person may both decide and pay; never the same grant.
	{ email: 'ingrid@kvarter.demo', name: 'Ingrid Holm', locale: 'sv', roles: ['officer', 'finance'] },
	{ email: 'amina@kvarter.demo', name: 'Amina Hassan', locale: 'sv', roles: [] },
	{ email: 'joost@kvarter.demo', name: 'Joost De Smet', locale: 'nl', roles: [] },
	{ email: 'grace@kvarter.demo', name: 'Grace Okafor', locale: 'en', roles: [] }
];

/** A rectangle as a GeoJSON polygon, in cells of a made-up town plan (0.02° east, 0.01° north). */
function block(x0: number, y0: number, x1: number, y1: number) {
	const [lon, lat] = [16.5, 59.6];
	const at = (x: number, y: number) => [Number((lon + x * 0.02).toFixed(4)), Number((lat + y * 0.01).toFixed(4))];
	return JSON.stringify({ type: 'Polygon', coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]] });
}

// Älvstad's neighbourhoods with the municipality's own area codes and a plan of the town: the
// priority areas in the north-west and south, the old town and the harbour in the middle.
export const DEMO_NEIGHBOURHOODS = [
	{ name: 'Norrbacka', code: '1499C1010', population: 11_840, priority: true, boundary: block(0, 2, 2, 3) },
	{ name: 'Ekdalen', code: '1499C1020', population: 7_420, priority: true, boundary: block(0, 0, 1.5, 1) },
	{ name: 'Tallbacken', code: '1499C1030', population: 5_310, priority: true, boundary: block(1.5, 0, 3, 1) },
	{ name: 'Solhöjden', code: '1499C1040', population: 9_050, priority: false, boundary: block(2, 2, 3, 3) },
	{ name: 'Hamnstaden', code: '1499C1050', population: 6_780, priority: false, boundary: block(2, 1, 3, 2) },
	{ name: 'Gamla staden', code: '1499C1060', population: 4_190, priority: false, boundary: block(1, 1, 2, 2) },
	{ name: 'Västra Ängen', code: '1499C1070', population: 8_260, priority: false, boundary: block(0, 1, 1, 2) }
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
