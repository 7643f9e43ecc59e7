import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema/index.ts';
import { attachReadThread } from './off-thread.ts';
import { keepStreamsOpen } from './streams.ts';
import { keepPreparedStatements } from './statements.ts';

export type Db = LibSQLDatabase<typeof schema>;
/** A write transaction handed out by `Database.write`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that can run a read: the database or a transaction. */
export type Reader = Db | Tx;

export interface Database {
	db: Db;
	client: Client;
	/**
	 * Runs `fn` in a write transaction (BEGIN IMMEDIATE). Writes of this process are queued one
	 * at a time: embedded libSQL is synchronous, so two concurrent write transactions in one
	 * process would block the event loop and fail with SQLITE_BUSY. Never await network calls
	 * or password hashing inside `fn`.
	 */
	write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
	/** How many writes this process has begun and ended ("3:3"): changes with each of its own writes. */
	ownWrites(): string;
	close(): void;
}

export interface DatabaseOptions {
	url: string;
	authToken?: string;
	busyTimeoutMs?: number;
}

export const MIGRATIONS_FOLDER = resolve(process.cwd(), 'drizzle');

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
	const isFile = options.url.startsWith('file:');
	if (isFile) {
		keepPreparedStatements();
		const path = options.url.slice('file:'.length).split('?')[0];
		if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	}
	const client = keepStreamsOpen(
		createClient({
			url: options.url,
			authToken: options.authToken,
			timeout: options.busyTimeoutMs ?? 5000
		}),
		options.url,
		options.authToken
	);
	if (isFile) {
		// WAL is persistent once set; synchronous=FULL keeps committed money rows on power loss.
		await client.execute('PRAGMA journal_mode=WAL');
		await client.execute('PRAGMA synchronous=FULL');
		await client.execute('PRAGMA foreign_keys=ON');
	}
	const db = drizzle(client, { schema });

	let queue: Promise<unknown> = Promise.resolve();
	let begun = 0;
	let ended = 0;
	const write = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
		const run = queue
			.then(() => {
				begun++;
				return db.transaction(fn);
			})
			.finally(() => ended++);
		// Keep the queue going whether this write succeeded or failed.
		queue = run.catch(() => undefined);
		return run;
	};

	const closeReadThread = attachReadThread(db, options.url, options.busyTimeoutMs ?? 5000);
	return {
		db,
		client,
		write,
		ownWrites: () => `${begun}:${ended}`,
		close: () => {
			closeReadThread();
			client.close();
		}
	};
}

/** Applies every migration in drizzle/ that has not run yet. Safe to call on each start. */
export async function migrateDatabase(database: Database, migrationsFolder = MIGRATIONS_FOLDER) {
	await migrate(database.db, { migrationsFolder });
}
