import { eq, sql } from 'drizzle-orm';
import type { Database } from './db/client.ts';
import { healthChecks } from './db/schema/index.ts';

/** Reads from the database: true when it answers. What `GET /healthz` asks, and it changes nothing. */
export async function checkHealth(database: Database): Promise<boolean> {
	try {
		const [row] = await database.db.all<{ ok: number }>(sql`select 1 as ok`);
		return row?.ok === 1;
	} catch {
		return false;
	}
}

/** Writes a timestamp and reads it back: true only if the database takes writes now (the operator's `POST /healthz`). */
export async function checkWrites(database: Database): Promise<boolean> {
	try {
		const stamp = new Date();
		await database.write((tx) =>
			tx.insert(healthChecks).values({ id: 1, checkedAt: stamp }).onConflictDoUpdate({ target: healthChecks.id, set: { checkedAt: stamp } })
		);
		const [row] = await database.db.select().from(healthChecks).where(eq(healthChecks.id, 1));
		return row?.checkedAt.getTime() === stamp.getTime();
	} catch {
		return false;
	}
}
