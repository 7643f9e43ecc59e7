import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../db/client.ts';
import { authAttempts } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';

export interface Limit {
	bucket: string;
	max: number;
	windowMs: number;
}

const MINUTE = 60_000;

/** Sign-in failures: 5 per account and 30 per IP address in 15 minutes. */
export const signInLimits = (email: string, ip: string | null): Limit[] => [
	{ bucket: `signin:account:${email.toLowerCase()}`, max: 5, windowMs: 15 * MINUTE },
	...(ip ? [{ bucket: `signin:ip:${ip}`, max: 30, windowMs: 15 * MINUTE }] : [])
];

/** Reset and verification emails: 3 per account and 10 per IP address an hour, so no inbox is flooded. */
export const emailLimits = (kind: string, email: string, ip: string | null): Limit[] => [
	{ bucket: `${kind}:account:${email.toLowerCase()}`, max: 3, windowMs: 60 * MINUTE },
	...(ip ? [{ bucket: `${kind}:ip:${ip}`, max: 10, windowMs: 60 * MINUTE }] : [])
];

/** Refuses with "try again in N minutes" when any limit is used up. Refuses: throttled. */
export async function assertNotThrottled(db: Reader, limits: Limit[], now: Date, field?: string) {
	for (const limit of limits) {
		const since = new Date(now.getTime() - limit.windowMs);
		const [row] = await db
			.select({ count: sql<number>`count(*)`, oldest: sql<number>`min(${authAttempts.at})` })
			.from(authAttempts)
			.where(and(eq(authAttempts.bucket, limit.bucket), gt(authAttempts.at, since)));
		if (row.count >= limit.max) {
			const freeAt = Number(row.oldest) + limit.windowMs;
			const minutes = Math.max(1, Math.ceil((freeAt - now.getTime()) / MINUTE));
			throw new DomainError('throttled', 'error_throttled', field, { minutes });
		}
	}
}

export async function recordAttempt(tx: Tx, limits: Limit[], now: Date) {
	if (limits.length) await tx.insert(authAttempts).values(limits.map((l) => ({ bucket: l.bucket, at: now })));
	// Old attempts no longer count for anything.
	await tx.delete(authAttempts).where(lt(authAttempts.at, new Date(now.getTime() - 24 * 60 * MINUTE)));
}

export async function clearAttempts(tx: Tx, bucket: string) {
	await tx.delete(authAttempts).where(eq(authAttempts.bucket, bucket));
}
