import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One row per background job: whoever holds an unexpired lease runs it, so two servers never both do. */
export const jobLeases = sqliteTable('job_leases', {
	name: text('name').primaryKey(),
	holder: text('holder').notNull(),
	expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull()
});

/** A scratch row that `POST /healthz` (the operator's readiness check) writes and reads back to prove the database takes writes. */
export const healthChecks = sqliteTable('health_checks', {
	id: integer('id').primaryKey(),
	checkedAt: integer('checked_at', { mode: 'timestamp_ms' }).notNull()
});
