import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Tx } from '../db/client.ts';
import { auditEvents, users } from '../db/schema/index.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { pageOf, type Page } from '../pagination.ts';
import { keptPerDatabase } from '../db/kept.ts';
import { once } from '../db/prepared.ts';

export interface AuditEntry {
	action: string;
	entityType: string;
	entityId?: string | null;
	summary?: Record<string, unknown>;
	/** Defaults to the acting user; sign-in failures have none. */
	actorId?: string | null;
}

/** Appends one audit event inside the caller's transaction. Never pass passwords or tokens. */
export async function audit(tx: Tx, ctx: Pick<Ctx, 'actor' | 'now' | 'ip'>, entry: AuditEntry) {
	await tx.insert(auditEvents).values({
		at: ctx.now,
		actorId: entry.actorId === undefined ? (ctx.actor?.id ?? null) : entry.actorId,
		action: entry.action,
		entityType: entry.entityType,
		entityId: entry.entityId ?? null,
		summary: entry.summary ?? null,
		ip: ctx.ip
	});
}

/**
 * A marker for answers kept in memory until what they depend on may have changed: it changes with
 * every audited write, by this process or any other (every change of state is audited, in its
 * transaction), with every write of this process, and at least once a minute (for what depends
 * on the time, and for changes no write announces). Reads one index entry.
 */
export async function changeMarker(database: Pick<Ctx['database'], 'db' | 'ownWrites'>, now: Date) {
	const own = database.ownWrites();
	const [row] = await once(database.db, 'audit.newest', (db) => db.select({ id: sql<number | null>`max(${auditEvents.id})` }).from(auditEvents).prepare()).all();
	return `${own}:${row?.id ?? 0}:${Math.floor(now.getTime() / 60_000)}`;
}

/** Answers kept per key (at most `size` per database) until the change marker moves (changeMarker). */
export function keptUntilChange<T>(size: number) {
	const kept = keptPerDatabase<T>(size);
	return async (ctx: Pick<Ctx, 'database' | 'now'>, key: string, compute: () => Promise<T>) => kept(ctx.database).get(key, await changeMarker(ctx.database, ctx.now), compute);
}

export interface AuditFilter {
	actor?: string;
	entityType?: string;
	entityId?: string;
	from?: Date;
	to?: Date;
	page?: number;
}

export const AUDIT_PAGE_SIZE = 50;

/** Admins browse the audit trail, newest first. Refuses: forbidden. */
export async function listAuditEvents(ctx: Ctx, filter: AuditFilter): Promise<Page<AuditRow>> {
	requireRoleIn(ctx, ['admin']);
	const where: SQL[] = [];
	if (filter.actor) {
		const q = filter.actor.trim().toLowerCase();
		where.push(sql`${auditEvents.actorId} in (select ${users.id} from ${users} where ${users.email} = ${q} or ${users.id} = ${q})`);
	}
	if (filter.entityType) where.push(eq(auditEvents.entityType, filter.entityType));
	if (filter.entityId) where.push(eq(auditEvents.entityId, filter.entityId));
	if (filter.from) where.push(gte(auditEvents.at, filter.from));
	if (filter.to) where.push(lte(auditEvents.at, filter.to));
	const cond = where.length ? and(...where) : undefined;
	const db = ctx.database.db;
	const [{ total }] = await db.select({ total: sql<number>`count(*)` }).from(auditEvents).where(cond);
	const page = Math.max(1, filter.page ?? 1);
	const rows = await db
		.select({
			id: auditEvents.id,
			at: auditEvents.at,
			action: auditEvents.action,
			entityType: auditEvents.entityType,
			entityId: auditEvents.entityId,
			summary: auditEvents.summary,
			ip: auditEvents.ip,
			actorId: auditEvents.actorId,
			actorEmail: users.email,
			actorName: users.name
		})
		.from(auditEvents)
		.leftJoin(users, eq(users.id, auditEvents.actorId))
		.where(cond)
		.orderBy(desc(auditEvents.at), desc(auditEvents.id))
		.limit(AUDIT_PAGE_SIZE)
		.offset((page - 1) * AUDIT_PAGE_SIZE);
	return pageOf(rows, total, page, AUDIT_PAGE_SIZE);
}

export type AuditRow = {
	id: number;
	at: Date;
	action: string;
	entityType: string;
	entityId: string | null;
	summary: Record<string, unknown> | null;
	ip: string | null;
	actorId: string | null;
	actorEmail: string | null;
	actorName: string | null;
};
