import { sql } from 'drizzle-orm';
import { SQLiteTransaction } from 'drizzle-orm/sqlite-core';
import type { Reader } from './client.ts';

/**
 * A query built once and kept, for the few reads every page makes (the session, an application
 * and what hangs on it). Drizzle builds a query's SQL anew on each call — objects for every column
 * and condition, then the text — which was about a sixth of the server's time on an applicant's
 * application page (CPU profile at 100 000 applications). A kept query is built on first use with
 * `arg('name')` where its values go, and then only run: `once(db, 'key', (db) => db.select()…
 * .where(eq(t.id, arg('id'))).prepare()).all({ id })`.
 *
 * Kept per database object; inside a transaction the query is built for that transaction
 * each time (a query kept on the database would run outside it).
 */
export function once<Q>(db: Reader, key: string, build: (db: Reader) => Q): Q {
	if (db instanceof SQLiteTransaction) return build(db);
	let mine = kept.get(db);
	if (!mine) kept.set(db, (mine = new Map()));
	let query = mine.get(key) as Q | undefined;
	if (query === undefined) mine.set(key, (query = build(db)));
	return query;
}

const kept = new WeakMap<object, Map<string, unknown>>();

/** Where a kept query's value goes, filled in when it runs. */
export const arg = (name: string) => sql.placeholder(name);
