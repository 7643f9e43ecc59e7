import { eq } from 'drizzle-orm';
import type { Database } from './db/client.ts';
import { healthChecks } from './db/schema/index.ts';

/** Writes a timestamp and reads it back: true only if the database takes writes now. */
export async function checkHealth(database: Database): Promise<boolean> {
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
