import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { sessions, users } from '../db/schema/index.ts';
import { createSession, validateSessionToken } from './session.ts';
import { hashToken } from './tokens.ts';

let db: TestDb;
beforeAll(async () => {
	db = await createTestDb();
});
afterAll(() => db.cleanup());

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const t0 = new Date('2026-11-02T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const start = (userId: string) => db.database.write((tx) => createSession(tx, userId, t0, '127.0.0.1'));

describe('sessions', () => {
	it('hands out a token of at least 128 bits and stores only its SHA-256', async () => {
		const user = await createUser(db);
		const token = await start(user.id);
		expect(token).toMatch(/^[a-z2-7]{32}$/); // 32 base32 characters = 160 bits
		const rows = await db.database.db.select().from(sessions).where(eq(sessions.userId, user.id));
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(hashToken(token));
		expect(rows[0].id).not.toContain(token);
		const result = await validateSessionToken(db.database, token, at(MIN));
		expect(result?.actor).toMatchObject({ id: user.id, email: user.email, roles: [] });
	});

	it('slides an applicant session for 30 days from its last use', async () => {
		const user = await createUser(db);
		const token = await start(user.id);
		expect(await validateSessionToken(db.database, token, at(20 * DAY))).not.toBeNull();
		// Last used on day 20: still valid on day 49, gone on day 51.
		expect(await validateSessionToken(db.database, token, at(49 * DAY))).not.toBeNull();
		expect(await validateSessionToken(db.database, token, at(49 * DAY + 31 * DAY))).toBeNull();
		expect(await db.database.db.select().from(sessions).where(eq(sessions.id, hashToken(token)))).toEqual([]);
	});

	it('ends a staff session after 30 idle minutes', async () => {
		const officer = await createUser(db, { roles: ['officer'] });
		const token = await start(officer.id);
		const ok = await validateSessionToken(db.database, token, at(29 * MIN));
		expect(ok?.staff).toBe(true);
		expect(ok?.expiresAt.getTime()).toBe(at(59 * MIN).getTime());
		expect(await validateSessionToken(db.database, token, at(29 * MIN + 31 * MIN))).toBeNull();
	});

	it('ends a staff session after 12 hours however active it is', async () => {
		const finance = await createUser(db, { roles: ['finance'] });
		const token = await start(finance.id);
		for (let m = 20; m < 12 * 60; m += 20) {
			expect(await validateSessionToken(db.database, token, at(m * MIN)), `minute ${m}`).not.toBeNull();
		}
		expect(await validateSessionToken(db.database, token, at(12 * 60 * MIN + MIN))).toBeNull();
	});

	it('treats a reviewer like an applicant (volunteers score long applications)', async () => {
		const reviewer = await createUser(db, { roles: ['reviewer'] });
		const token = await start(reviewer.id);
		expect(await validateSessionToken(db.database, token, at(3 * 60 * MIN))).not.toBeNull();
	});

	it('refuses a tampered or malformed token, and ends sessions of a disabled account', async () => {
		const user = await createUser(db);
		const token = await start(user.id);
		const tampered = (token[0] === 'a' ? 'b' : 'a') + token.slice(1);
		expect(await validateSessionToken(db.database, tampered, at(MIN))).toBeNull();
		expect(await validateSessionToken(db.database, 'not-a-token', at(MIN))).toBeNull();
		expect(await validateSessionToken(db.database, '', at(MIN))).toBeNull();
		expect(await validateSessionToken(db.database, token, at(MIN))).not.toBeNull();
		await db.database.write((tx) => tx.update(users).set({ disabledAt: at(2 * MIN) }).where(eq(users.id, user.id)));
		expect(await validateSessionToken(db.database, token, at(3 * MIN))).toBeNull();
		expect(await db.database.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
	});
});
