import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { neighbourhoods } from './schema/index.ts';
import { arg, once } from './prepared.ts';
import type { Reader } from './client.ts';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.cleanup());

const byName = (db: Reader, name: string) => once(db, 'test.neighbourhoodByName', (d) => d.select({ id: neighbourhoods.id }).from(neighbourhoods).where(eq(neighbourhoods.name, arg('name'))).prepare()).all({ name });

describe('kept queries', () => {
	it('are built once per database and answer with the values of each call', async () => {
		const db = t.database.db;
		await t.database.write((tx) => tx.insert(neighbourhoods).values([{ id: 'n-a', name: 'Ankaret', createdAt: new Date() }, { id: 'n-b', name: 'Berga', createdAt: new Date() }]));
		let built = 0;
		const counted = (d: Reader) => once(d, 'test.counted', (x) => (built++, x.select({ id: neighbourhoods.id }).from(neighbourhoods).where(eq(neighbourhoods.id, arg('id'))).prepare()));
		expect(await counted(db).all({ id: 'n-a' })).toEqual([{ id: 'n-a' }]);
		expect(await counted(db).all({ id: 'n-b' })).toEqual([{ id: 'n-b' }]);
		expect(built).toBe(1);
		expect(await byName(db, 'Berga')).toEqual([{ id: 'n-b' }]);
		expect(await byName(db, 'Nowhere')).toEqual([]);
	});

	it('run inside the transaction they are given: a write not yet committed is seen there, and gone after a rollback', async () => {
		await expect(
			t.database.write(async (tx) => {
				await tx.insert(neighbourhoods).values({ id: 'n-c', name: 'Centrum', createdAt: new Date() });
				expect(await byName(tx, 'Centrum')).toEqual([{ id: 'n-c' }]);
				throw new Error('roll back');
			})
		).rejects.toThrow('roll back');
		expect(await byName(t.database.db, 'Centrum')).toEqual([]);
	});
});
