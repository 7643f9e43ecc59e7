import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { applications, auditEvents, users } from '../db/schema/index.ts';
import { APPLICATION_STATUSES } from '../../domain.ts';
import { seedDemo } from './demo.ts';
import { seedGrants } from './grants.ts';
import { seedApplicationsAtScale } from './scale.ts';
import { listPublicCalls } from '../calls/service.ts';

let db: TestDb;
beforeAll(async () => {
	db = await createTestDb();
});
afterAll(() => db.cleanup());

describe('the demo data', () => {
	it('has an open call with applications in every status, made through the real operations', async () => {
		await seedDemo(db.database);
		await seedGrants(db.database, db.config);
		await seedGrants(db.database, db.config); // a second run adds nothing
		const calls = await listPublicCalls(db.ctx());
		expect(calls.map((c) => c.phase).sort()).toEqual(['open', 'upcoming']);
		const byStatus = await db.database.db.select({ status: applications.status, n: sql<number>`count(*)` }).from(applications).groupBy(applications.status);
		for (const s of APPLICATION_STATUSES) expect(byStatus.find((r) => r.status === s)?.n, s).toBe(1);
		const [{ n }] = await db.database.db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(sql`${auditEvents.action} = 'application.submitted'`);
		expect(n).toBe(6);
	});

	it('generates applications at scale quickly', async () => {
		const started = Date.now();
		await seedApplicationsAtScale(db.database, 3000);
		expect(Date.now() - started).toBeLessThan(15_000);
		const [{ n }] = await db.database.db.select({ n: sql<number>`count(*)` }).from(applications);
		expect(n).toBe(3008);
		const [{ m }] = await db.database.db.select({ m: sql<number>`count(*)` }).from(users);
		expect(m).toBeGreaterThan(300);
		const fts = await db.database.client.execute('select count(*) from applications_fts');
		expect(Number(fts.rows[0][0])).toBe(3008);
	});
});
