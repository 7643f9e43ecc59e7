import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Append-only: a trigger in the migrations refuses UPDATE and DELETE.
 * `summary` is a short JSON object describing the change; never a password or token.
 */
export const auditEvents = sqliteTable(
	'audit_events',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: integer('at', { mode: 'timestamp_ms' }).notNull(),
		actorId: text('actor_id'),
		action: text('action').notNull(),
		entityType: text('entity_type').notNull(),
		entityId: text('entity_id'),
		summary: text('summary', { mode: 'json' }).$type<Record<string, unknown>>(),
		ip: text('ip')
	},
	(t) => [
		index('audit_at_idx').on(t.at),
		index('audit_actor_idx').on(t.actorId, t.at),
		index('audit_entity_idx').on(t.entityType, t.entityId, t.at),
		// Lists of one kind of event (card overpayments to refund) without reading the whole trail.
		index('audit_action_idx').on(t.action, t.at)
	]
);
