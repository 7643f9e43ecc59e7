import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { localDateTime, today } from '../calendar.ts';
import type { Config } from '../config.ts';
import type { Actor, Ctx } from '../context.ts';
import type { Database } from '../db/client.ts';
import { userRoles, users } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireActor } from '../auth/authorize.ts';
import { queueEmail } from '../email/outbox.ts';
import { todoFor } from './service.ts';

/** The hour of the municipality's morning from which the day's digest goes out. */
export const DIGEST_HOUR = 7;

/** Whether the person wants the daily digest of their to-do. */
export async function digestWanted(ctx: Ctx) {
	const actor = requireActor(ctx);
	const [row] = await ctx.database.db.select({ on: users.todoDigest }).from(users).where(eq(users.id, actor.id));
	return !!row?.on;
}

/** The person turns the daily digest on or off (audited). */
export async function setDigest(ctx: Ctx, on: boolean) {
	const actor = requireActor(ctx);
	await ctx.database.write(async (tx) => {
		await tx.update(users).set({ todoDigest: on }).where(eq(users.id, actor.id));
		await audit(tx, ctx, { action: 'user.digest_changed', entityType: 'user', entityId: actor.id, summary: { on } });
	});
}

/**
 * Once a day, from DIGEST_HOUR in the municipality's time zone, emails each person who asked for
 * it what waits for them — only when something does. The day is marked by a guarded update in
 * the same transaction as the email, so it goes out once per person per day however often, and
 * on however many servers, the job runs. Returns how many were sent.
 */
export async function sendTodoDigests(database: Database, config: Config, now: Date) {
	if (Number(localDateTime(now, config.TIME_ZONE).slice(11, 13)) < DIGEST_HOUR) return 0;
	const day = today({ now, config });
	const people = await database.db
		.select({ id: users.id, email: users.email, name: users.name, locale: users.locale })
		.from(users)
		.where(and(eq(users.todoDigest, true), isNull(users.disabledAt), or(isNull(users.todoDigestOn), ne(users.todoDigestOn, day))));
	let sent = 0;
	for (const person of people) {
		const roles = await database.db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, person.id));
		const actor: Actor = { ...person, roles: roles.map((r) => r.role) };
		// Exact totals (no cap: a daily job may count them all; the header and the page stop counting at a cap).
		const groups = await todoFor({ database, config, actor, now, ip: null, locale: person.locale }, { shown: 1, cap: Number.MAX_SAFE_INTEGER - 1 });
		await database.write(async (tx) => {
			const marked = await tx
				.update(users)
				.set({ todoDigestOn: day })
				.where(and(eq(users.id, person.id), or(isNull(users.todoDigestOn), ne(users.todoDigestOn, day))))
				.returning({ id: users.id });
			if (!marked.length || groups.length === 0) return;
			await queueEmail(tx, { now, config }, person, {
				template: 'todo-digest',
				params: { name: person.name, groups: groups.map((g) => ({ kind: g.kind, total: g.total })), url: `${config.PUBLIC_ORIGIN}/todo` }
			});
			sent++;
		});
	}
	return sent;
}
