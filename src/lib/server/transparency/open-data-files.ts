import { createReadStream, createWriteStream, mkdtempSync, rmSync, unlink } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Reader } from '../db/client.ts';
import { keptPerDatabase, revisionOf } from '../db/kept.ts';
import { package360Csv, package360Json, streamOf, type OpenDataContext } from './opendata.ts';

export type OpenDataKind = 'json' | 'csv';
const WRITERS = { json: package360Json, csv: package360Csv } as const;

/**
 * The open data, written to a file once per change to what it publishes (the `open_data`
 * revision, moved by triggers: drizzle/0031) and then sent from that file to everyone who asks.
 * Worked out per request, one download of 50 000 grants kept a core busy for seconds and three
 * at once shared it; a file is sent at the speed of the disk and the network. A file being
 * written is shared by the requests that ask meanwhile. Files live in this process's own folder
 * of the system's temporary folder; one replaced by a newer one goes a minute later (a download
 * that opened it keeps reading it), and the folder goes when the process ends.
 */
export async function openDataFile(db: Reader, kind: OpenDataKind, o: OpenDataContext): Promise<string> {
	return filesOf(db).get(kind, await revisionOf(db, 'open_data'), () => writeFile(db, kind, o));
}

/** The open data as a response body with its length: from the kept file, or worked out as it streams if that file is gone. */
export async function openDataBody(db: Reader, kind: OpenDataKind, o: OpenDataContext): Promise<{ body: ReadableStream<Uint8Array>; length?: number }> {
	const path = await openDataFile(db, kind, o);
	let handle: FileHandle | undefined;
	try {
		handle = await open(path);
		const { size } = await handle.stat();
		// The stream closes the file when it ends or the download is cancelled.
		const stream = createReadStream('', { fd: handle, highWaterMark: 256 * 1024 });
		return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, length: size };
	} catch {
		await handle?.close().catch(() => undefined);
		// Removed from under us (a cleaner of the temporary folder): worked out as before.
		return { body: streamOf(WRITERS[kind](db, o)) };
	}
}

const HEADERS: Record<OpenDataKind, Record<string, string>> = {
	json: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': 'inline; filename="360giving.json"' },
	csv: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="360giving.csv"' }
};

/** The open data's answer to a download: anyone may take it, and keep it ten minutes. */
export async function openDataResponse(db: Reader, kind: OpenDataKind, o: OpenDataContext): Promise<Response> {
	const { body, length } = await openDataBody(db, kind, o);
	const headers = { ...HEADERS[kind], 'cache-control': 'public, max-age=600', 'access-control-allow-origin': '*' };
	return new Response(body, { headers: length === undefined ? headers : { ...headers, 'content-length': String(length) } });
}

const filesOf = keptPerDatabase<string>(2);
/** The newest file of each kind, per database. */
const newest = new WeakMap<object, Map<OpenDataKind, string>>();
let folder: string | undefined;

async function writeFile(db: Reader, kind: OpenDataKind, o: OpenDataContext) {
	if (!folder) {
		folder = mkdtempSync(join(tmpdir(), 'kvarter-open-data-'));
		const made = folder;
		process.once('exit', () => rmSync(made, { recursive: true, force: true }));
	}
	const path = join(folder, `${randomUUID()}.${kind}`);
	const out = createWriteStream(path);
	try {
		for await (const piece of WRITERS[kind](db, o)) if (!out.write(piece)) await once(out, 'drain');
		out.end();
		await finished(out);
	} catch (err) {
		out.destroy();
		unlink(path, () => undefined);
		throw err;
	}
	let mine = newest.get(db);
	if (!mine) newest.set(db, (mine = new Map()));
	const before = mine.get(kind);
	mine.set(kind, path);
	if (before) setTimeout(() => unlink(before, () => undefined), 60_000).unref();
	return path;
}
