import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { auditEvents, healthChecks, neighbourhoods } from './schema/index.ts';
import { checkHealth, checkWrites } from '../health.ts';

let db: TestDb;
beforeAll(async () => {
	db = await createTestDb();
});
afterAll(() => db.cleanup());

describe('the database', () => {
	it('runs in WAL mode with every migration applied', async () => {
		const mode = await db.database.client.execute('PRAGMA journal_mode');
		expect(String(mode.rows[0][0]).toLowerCase()).toBe('wal');
		const tables = await db.database.client.execute("select name from sqlite_master where type = 'table'");
		const names = tables.rows.map((r) => r[0]);
		for (const t of ['users', 'sessions', 'user_roles', 'audit_events', 'email_outbox', 'neighbourhoods', 'job_leases']) {
			expect(names).toContain(t);
		}
	});

	it('serialises 50 concurrent write transactions from one process without SQLITE_BUSY', async () => {
		const results = await Promise.allSettled(
			Array.from({ length: 50 }, (_, i) =>
				db.database.write(async (tx) => {
					// Read then write in the same transaction, as services do.
					const [{ n }] = await tx.select({ n: sql<number>`count(*)` }).from(neighbourhoods);
					await tx.insert(neighbourhoods).values({ id: `n-${i}`, name: `Kvarter ${i}`, population: n, createdAt: new Date() });
				})
			)
		);
		expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
		const [{ n }] = await db.database.db.select({ n: sql<number>`count(*)` }).from(neighbourhoods);
		expect(n).toBe(50);
		// Each transaction saw every earlier one: populations are 0..49 exactly once.
		const pops = (await db.database.db.select({ p: neighbourhoods.population }).from(neighbourhoods)).map((r) => r.p).sort((a, b) => a! - b!);
		expect(pops).toEqual(Array.from({ length: 50 }, (_, i) => i));
	});

	it('keeps the write queue going after a failed transaction', async () => {
		await expect(
			db.database.write(async (tx) => {
				await tx.insert(neighbourhoods).values({ id: 'dup', name: 'Dup', createdAt: new Date() });
				await tx.insert(neighbourhoods).values({ id: 'dup', name: 'Dup again', createdAt: new Date() });
			})
		).rejects.toThrow();
		const rows = await db.database.db.select().from(neighbourhoods).where(sql`${neighbourhoods.id} = 'dup'`);
		expect(rows).toEqual([]);
		await db.database.write((tx) => tx.insert(neighbourhoods).values({ id: 'after', name: 'After', createdAt: new Date() }));
		expect(await db.database.db.select().from(neighbourhoods).where(sql`${neighbourhoods.id} = 'after'`)).toHaveLength(1);
	});

	it('reports healthy from a read without writing, ready when a write round-trip succeeds, and neither when the database is gone', async () => {
		expect(await checkHealth(db.database)).toBe(true);
		expect(await db.database.db.select().from(healthChecks)).toEqual([]);
		expect(await checkWrites(db.database)).toBe(true);
		expect(await db.database.db.select().from(healthChecks)).toHaveLength(1);
		const other = await createTestDb();
		other.database.close();
		expect(await checkHealth(other.database)).toBe(false);
		expect(await checkWrites(other.database)).toBe(false);
		other.cleanup();
	});
});

describe('statements outside transactions (on a libSQL server: over streams kept open)', () => {
	it('answer 200 at once each with its own result, see committed writes, and survive a failing statement', async () => {
		const c = db.database.client;
		const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => c.execute({ sql: 'select ? * 2 as n, ? as s', args: [i, `x${i}`] })));
		expect(answers.map((a) => [Number(a.rows[0].n), a.rows[0].s])).toEqual(Array.from({ length: 200 }, (_, i) => [i * 2, `x${i}`]));
		expect(answers[0].columns).toEqual(['n', 's']);
		// A write outside a transaction commits at once; a transaction sees it, and a later statement sees the transaction's.
		const insert = await c.execute({ sql: 'insert into neighbourhoods (id, name, created_at) values (?, ?, ?)', args: ['outside-1', 'Utanför', Date.now()] });
		expect(insert.rowsAffected).toBe(1);
		await db.database.write(async (tx) => {
			const [{ n }] = await tx.select({ n: sql<number>`count(*)` }).from(neighbourhoods).where(sql`${neighbourhoods.id} = 'outside-1'`);
			expect(n).toBe(1);
			await tx.insert(neighbourhoods).values({ id: 'outside-2', name: 'Innanför', createdAt: new Date() });
		});
		expect((await c.execute("select count(*) as n from neighbourhoods where id like 'outside-%'")).rows[0].n).toBe(2);
		await expect(c.execute('select * from no_such_table')).rejects.toThrow(/no such table/);
		await expect(c.execute({ sql: 'insert into neighbourhoods (id, name, created_at) values (?, ?, ?)', args: ['outside-1', 'Again', Date.now()] })).rejects.toMatchObject({
			code: expect.stringMatching(/^SQLITE_CONSTRAINT/)
		});
		expect(Number((await c.execute('select 41 + 1 as n')).rows[0].n)).toBe(42);
	});

	it('are refused once the database is closed', async () => {
		const other = await db.open();
		expect(Number((await other.client.execute('select 1 as n')).rows[0].n)).toBe(1);
		other.close();
		await expect(other.client.execute('select 1')).rejects.toThrow();
	});
});

describe('transactions', () => {
	const count = async (like: string) => Number((await db.database.client.execute({ sql: 'select count(*) as n from neighbourhoods where id like ?', args: [like] })).rows[0].n);
	const add = (id: string) => ({ sql: 'insert into neighbourhoods (id, name, created_at) values (?, ?, ?)', args: [id, id, Date.now()] });

	it('commit all or nothing, and statements after them are in autocommit', async () => {
		const c = db.database.client;
		for (let round = 0; round < 12; round++) {
			const tx = await c.transaction('write');
			await tx.execute(add(`tx-${round}-a`));
			await tx.batch([add(`tx-${round}-b`), add(`tx-${round}-c`)]);
			// A failing statement leaves the transaction open; what it did before stays until the end.
			await expect(tx.execute(add(`tx-${round}-a`))).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) });
			if (round % 2 === 0) await tx.commit();
			else await tx.rollback();
			expect(tx.closed).toBe(true);
			await expect(tx.execute('select 1')).rejects.toThrow(/closed/);
			expect(await count(`tx-${round}-%`)).toBe(round % 2 === 0 ? 3 : 0);
		}
		// Statements after them are committed at once: another connection sees them.
		const other = await db.open();
		try {
			await Promise.all(Array.from({ length: 20 }, (_, i) => c.execute(add(`after-${i}`))));
			expect(Number((await other.client.execute("select count(*) as n from neighbourhoods where id like 'after-%'")).rows[0].n)).toBe(20);
		} finally {
			other.close();
		}
	});
});

describe('the audit trail', () => {
	it('refuses UPDATE and DELETE in the database itself', async () => {
		await db.database.write((tx) =>
			tx.insert(auditEvents).values({ at: new Date(), action: 'test.happened', entityType: 'test', entityId: 'x', actorId: null, ip: null })
		);
		// drizzle wraps the database's error; the trigger's message is its cause.
		const failure = (p: Promise<unknown>) => p.then(() => 'no error', (e) => `${e.message} ${e.cause?.message ?? ''}`);
		expect(await failure(db.database.write((tx) => tx.update(auditEvents).set({ action: 'test.rewritten' })))).toMatch(/append-only/);
		expect(await failure(db.database.write((tx) => tx.delete(auditEvents)))).toMatch(/append-only/);
		await expect(db.database.client.execute("update audit_events set action = 'x'")).rejects.toThrow(/append-only/);
		const rows = await db.database.db.select().from(auditEvents);
		expect(rows.map((r) => r.action)).toEqual(['test.happened']);
	});
});
