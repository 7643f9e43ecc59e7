import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Reader } from './client.ts';

/**
 * Reads that scan much of the database (statistics over every grant, the funnel over every
 * application) run on a worker thread with its own read connection to the same file, so the
 * server's thread keeps answering others meanwhile: the embedded database answers synchronously
 * on whichever thread asks. WAL lets the worker read while the server writes; it sees what was
 * committed before each of its statements began. A libSQL server (by URL) answers over the
 * network and needs none of this; neither does a read inside a transaction (it must see the
 * transaction's own writes), so those run where they are.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createClient } = require(workerData.libsql);
const client = createClient({ url: workerData.url, timeout: workerData.timeout });
parentPort.on('message', async ({ id, sql, args }) => {
	try {
		const rs = await client.execute({ sql, args });
		parentPort.postMessage({ id, columns: rs.columns, rows: rs.rows.map((r) => Array.from(r)) });
	} catch (e) {
		parentPort.postMessage({ id, error: String((e && e.message) || e) });
	}
});`;

interface Pending {
	resolve: (rows: Record<string, unknown>[]) => void;
	reject: (e: Error) => void;
}

class ReadThread {
	private worker: Worker | null = null;
	private readonly pending = new Map<number, Pending>();
	private next = 0;
	private readonly url: string;
	private readonly timeout: number;
	constructor(url: string, timeout: number) {
		this.url = url;
		this.timeout = timeout;
	}

	private start() {
		const libsql = createRequire(import.meta.url).resolve('@libsql/client');
		// Without the process's Node options: the thread's code is CommonJS (whatever --input-type says),
		// and some options are refused in a thread (ERR_WORKER_INVALID_EXEC_ARGV).
		const worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { url: this.url, timeout: this.timeout, libsql } });
		worker.on('message', (m: { id: number; columns?: string[]; rows?: unknown[][]; error?: string }) => {
			const p = this.pending.get(m.id);
			if (!p) return;
			this.pending.delete(m.id);
			if (this.pending.size === 0) worker.unref();
			if (m.error !== undefined) p.reject(new Error(m.error));
			else p.resolve(m.rows!.map((row) => Object.fromEntries(m.columns!.map((c, i) => [c, row[i]]))));
		});
		const fail = (e: Error) => {
			// Once per thread ('error' comes before 'exit'), and never for a thread already replaced.
			if (this.worker !== worker) return;
			for (const p of this.pending.values()) p.reject(e);
			this.pending.clear();
			this.worker = null;
		};
		worker.on('error', fail);
		worker.on('exit', () => fail(new Error('the read thread stopped')));
		// Held open only while a read waits (unref after the listeners: adding a 'message' listener refs it again),
		// so that the thread never keeps the server from stopping.
		worker.unref();
		this.worker = worker;
		return worker;
	}

	run(sql: string, args: unknown[]) {
		const worker = this.worker ?? this.start();
		const id = this.next++;
		return new Promise<Record<string, unknown>[]>((resolve, reject) => {
			if (this.pending.size === 0) worker.ref();
			this.pending.set(id, { resolve, reject });
			worker.postMessage({ id, sql, args });
		});
	}

	close() {
		void this.worker?.terminate();
		this.worker = null;
		for (const p of this.pending.values()) p.reject(new Error('the database was closed'));
		this.pending.clear();
	}
}

const threads = new WeakMap<object, ReadThread>();
const dialect = new SQLiteAsyncDialect();

/** Gives the database (as opened by openDatabase, for a file) a read thread, started when first used. */
export function attachReadThread(db: object, url: string, timeout: number) {
	const path = url.slice('file:'.length).split('?')[0];
	if (!url.startsWith('file:') || !path || path === ':memory:') return () => {};
	const thread = new ReadThread(url, timeout);
	threads.set(db, thread);
	return () => thread.close();
}

/**
 * Runs a read on the database's read thread when it has one (else where it is), and returns its
 * rows as objects keyed by the query's column names (give every column an alias).
 */
export async function readOffThread<T>(db: Reader, query: SQL): Promise<T[]> {
	const thread = threads.get(db);
	if (!thread) return db.all<T>(query);
	const { sql, params } = dialect.sqlToQuery(query);
	return (await thread.run(sql, params)) as T[];
}
