import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { authAttempts } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';

export interface Limit {
	bucket: string;
	max: number;
	windowMs: number;
}

const MINUTE = 60_000;

/**
 * Sign-in attempts: 5 per account (or, from a browser the person signed in from before, 5 per
 * that browser) and 30 per IP address in 15 minutes.
 */
export const signInLimits = (email: string, ip: string | null, deviceId: string | null = null): Limit[] => [
	deviceId ? { bucket: `signin:device:${deviceId}`, max: 5, windowMs: 15 * MINUTE } : { bucket: `signin:account:${email.toLowerCase()}`, max: 5, windowMs: 15 * MINUTE },
	...(ip ? [{ bucket: `signin:ip:${ip}`, max: 30, windowMs: 15 * MINUTE }] : [])
];

/** Reset and verification emails: 3 per account and 10 per IP address an hour, so no inbox is flooded. */
export const emailLimits = (kind: string, email: string, ip: string | null): Limit[] => [
	{ bucket: `${kind}:account:${email.toLowerCase()}`, max: 3, windowMs: 60 * MINUTE },
	...(ip ? [{ bucket: `${kind}:ip:${ip}`, max: 10, windowMs: 60 * MINUTE }] : [])
];

/**
 * Takes one attempt from every limit, in the caller's write transaction, before the work it
 * guards (hashing a password, queueing an email): counted and recorded in one write, so parallel
 * requests cannot all pass the check before any is recorded. When a limit is used up nothing is
 * recorded and the refusal says when to try again. Refuses: throttled.
 */
export async function consumeAttempt(tx: Tx, limits: Limit[], now: Date, field?: string) {
	for (const limit of limits) {
		const since = new Date(now.getTime() - limit.windowMs);
		const [row] = await tx
			.select({ count: sql<number>`count(*)`, oldest: sql<number>`min(${authAttempts.at})` })
			.from(authAttempts)
			.where(and(eq(authAttempts.bucket, limit.bucket), gt(authAttempts.at, since)));
		if (row.count >= limit.max) {
			const freeAt = Number(row.oldest) + limit.windowMs;
			const minutes = Math.max(1, Math.ceil((freeAt - now.getTime()) / MINUTE));
			throw new DomainError('throttled', 'error_throttled', field, { minutes });
		}
	}
	if (limits.length) await tx.insert(authAttempts).values(limits.map((l) => ({ bucket: l.bucket, at: now })));
	// Old attempts no longer count for anything.
	await tx.delete(authAttempts).where(lt(authAttempts.at, new Date(now.getTime() - 24 * 60 * MINUTE)));
}

/** `consumeAttempt` in a write of its own, for work that happens outside a transaction (a password hash). */
export function takeAttempt(database: Database, limits: Limit[], now: Date, field?: string) {
	return database.write((tx) => consumeAttempt(tx, limits, now, field));
}

/** Takes one attempt when every limit has room and says whether it did (for optional work, such as resending a link). */
export async function tryConsume(tx: Tx, limits: Limit[], now: Date) {
	try {
		await consumeAttempt(tx, limits, now);
		return true;
	} catch (e) {
		if (e instanceof DomainError && e.code === 'throttled') return false;
		throw e;
	}
}

/** Forgets the attempts of the given buckets (after a successful sign-in). */
export async function clearAttempts(tx: Tx, buckets: string[]) {
	if (buckets.length) await tx.delete(authAttempts).where(inArray(authAttempts.bucket, buckets));
}

/** Gives back the one attempt taken at `now` from a bucket (a successful sign-in does not use up the shared IP's room). */
export async function refundAttempt(tx: Tx, bucket: string, now: Date) {
	await tx.run(sql`delete from auth_attempts where id = (select id from auth_attempts where bucket = ${bucket} and at = ${now.getTime()} order by id desc limit 1)`);
}
