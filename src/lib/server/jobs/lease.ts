import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { jobLeases } from '../db/schema/index.ts';

/**
 * Takes (or renews) the lease on job `name` for `holder` until now + ttl. Returns false when
 * another holder has an unexpired lease, so with several app servers only one runs the job.
 */
export async function acquireLease(database: Database, name: string, holder: string, now: Date, ttlMs: number) {
	const expiresAt = new Date(now.getTime() + ttlMs);
	return database.write(async (tx) => {
		const res = await tx
			.insert(jobLeases)
			.values({ name, holder, expiresAt })
			.onConflictDoUpdate({
				target: jobLeases.name,
				set: { holder, expiresAt },
				setWhere: sql`${jobLeases.holder} = ${holder} or ${jobLeases.expiresAt} <= ${now.getTime()}`
			})
			.returning({ holder: jobLeases.holder });
		return res.length === 1 && res[0].holder === holder;
	});
}

/** Runs `task` every `intervalMs` while this process holds the lease; returns a stop function. */
export function startJob(
	database: Database,
	name: string,
	intervalMs: number,
	task: (now: Date) => Promise<unknown>,
	log: (msg: string, err?: unknown) => void = console.error
) {
	const holder = `${process.pid}-${crypto.randomUUID()}`;
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			const now = new Date();
			if (await acquireLease(database, name, holder, now, Math.max(intervalMs * 3, 30_000))) await task(now);
		} catch (err) {
			log(`[job ${name}] failed`, err);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, intervalMs);
	timer.unref();
	void tick();
	return () => clearInterval(timer);
}
