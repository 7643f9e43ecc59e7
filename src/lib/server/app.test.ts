import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './testing/db.ts';
import { counted, startApp } from './app.ts';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb({ SEED_DEMO_DATA: 'false', BACKGROUND_JOBS: 'false' });
});
afterAll(() => t.cleanup());

describe('shutting down', () => {
	it('closes the database only after the requests still being handled have ended', async () => {
		const app = await startApp(t.config);
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		// A request whose browser has gone: still at work when the server has closed.
		const request = counted(async () => {
			await gate;
			return Number((await app.database.client.execute('select 41 + 1 as n')).rows[0].n);
		});
		(process.emit as (event: string) => boolean)('sveltekit:shutdown');
		await new Promise((resolve) => setTimeout(resolve, 200));
		release();
		expect(await request).toBe(42);
		await new Promise((resolve) => setTimeout(resolve, 100));
		await expect(app.database.client.execute('select 1')).rejects.toThrow(/closed/i);
	});
});
