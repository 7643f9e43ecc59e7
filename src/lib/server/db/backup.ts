import { createHash } from 'node:crypto';
import { constants, createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import type { Database } from './client.ts';
import { copyDatabase } from './copy.ts';
import { folderStore, type FileStore } from '../files/store.ts';

/**
 * Backups of the database and its files, and their restore. A backup is a folder: the database
 * as one consistent SQLite file taken while the server runs and writes (an embedded database by
 * `VACUUM INTO`; a libSQL server by copying it in one read transaction, src/lib/server/db/copy.ts),
 * the uploaded files, and a manifest written last (time, migrations, row counts, checksums) — a
 * folder without one is not a backup. A restore checks every checksum first, then fills an empty
 * place only (a new file, or a libSQL server database without tables): it never overwrites a
 * database or files that exist.
 */
export const MANIFEST = 'manifest.json';
const DB_FILE = 'kvarter.db';
const FILES = 'files';

export interface Manifest {
	format: 1;
	createdAt: string;
	/** How many migrations the database has had, and the newest one's time. */
	migrations: { count: number; newest: string | null };
	database: { file: string; bytes: number; sha256: string };
	/** Rows per table at the moment of the copy. */
	rows: Record<string, number>;
	files: { name: string; bytes: number; sha256: string }[];
}

export class BackupError extends Error {}

/** Where the database is: a DATABASE_URL, with the token a libSQL server asks for. */
export type DatabaseAt = string | { url: string; authToken?: string };
const urlOf = (at: DatabaseAt) => (typeof at === 'string' ? at : at.url);
const isFile = (at: DatabaseAt) => urlOf(at).startsWith('file:');
/** A connection of its own for copying (whole 64-bit integers, whatever the server's client uses). */
const copyClient = (at: DatabaseAt) => createClient({ url: urlOf(at), authToken: typeof at === 'string' ? undefined : at.authToken, intMode: 'bigint' });

/** Files given as a folder, or as a store. */
const storeOf = (files: FileStore | string) => (typeof files === 'string' ? folderStore(files) : files);

/** The file behind a `file:` DATABASE_URL. */
export function databaseFile(url: string) {
	if (!url.startsWith('file:')) throw new BackupError(`${url} is not a file: DATABASE_URL.`);
	const path = url.slice('file:'.length).split('?')[0];
	if (!path || path === ':memory:') throw new BackupError('An in-memory database cannot be backed up.');
	return resolve(path);
}

async function sha256(path: string) {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk);
	return hash.digest('hex');
}

async function isEmptyFolder(path: string) {
	return !existsSync(path) || (await readdir(path)).length === 0;
}

/** Rows per table and the migrations of a database file (opened read-only for the count). */
async function describe(file: string) {
	const client = createClient({ url: `file:${file}` });
	try {
		const check = String((await client.execute('PRAGMA integrity_check')).rows[0][0]);
		if (check !== 'ok') throw new BackupError(`The copy of the database is damaged: ${check}`);
		const tables = (await client.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")).rows.map((r) => String(r[0]));
		const rows: Record<string, number> = {};
		for (const t of tables) rows[t] = Number((await client.execute(`select count(*) from "${t.replaceAll('"', '""')}"`)).rows[0][0]);
		const m = tables.includes('__drizzle_migrations') ? (await client.execute('select count(*), max(created_at) from __drizzle_migrations')).rows[0] : null;
		return { rows, migrations: { count: Number(m?.[0] ?? 0), newest: m?.[1] == null ? null : new Date(Number(m[1])).toISOString() } };
	} finally {
		client.close();
	}
}

/** Backs up the database (while it is in use) and the files into `dest`, an empty or new folder. */
export async function backup(database: Database, at: DatabaseAt, filesAt: FileStore | string, dest: string, now = new Date()): Promise<Manifest> {
	const store = storeOf(filesAt);
	if (isFile(at)) databaseFile(urlOf(at));
	const target = resolve(dest);
	if (!(await isEmptyFolder(target))) throw new BackupError(`${target} is not empty: a backup goes into a new or empty folder.`);
	await mkdir(join(target, FILES), { recursive: true });
	const dbCopy = join(target, DB_FILE);
	// One read transaction: the copy is the database as it was at one moment, whatever is written meanwhile.
	if (isFile(at)) await database.client.execute({ sql: 'VACUUM INTO ?', args: [dbCopy] });
	else await copyInto(at, dbCopy);
	const { rows, migrations } = await describe(dbCopy);
	// Files after the database: a file is written before the row that names it, so every row copied
	// has its file — unless the file was deleted in between (its row is then gone from the live
	// database, not from the copy): it is left out, and a download of it from the restore says "not found".
	const files: Manifest['files'] = [];
	for (const name of await store.list()) {
		let bytes: Buffer;
		try {
			bytes = await store.read(name);
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw err;
		}
		await writeFile(join(target, FILES, name), bytes, { flag: 'wx' });
		files.push({ name, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
	}
	const manifest: Manifest = {
		format: 1,
		createdAt: now.toISOString(),
		migrations,
		database: { file: DB_FILE, bytes: (await stat(dbCopy)).size, sha256: await sha256(dbCopy) },
		rows,
		files
	};
	await writeFile(join(target, MANIFEST), JSON.stringify(manifest, null, '\t') + '\n', { flag: 'wx' });
	return manifest;
}

/** Copies a libSQL server's database into a new file. */
async function copyInto(at: DatabaseAt, file: string) {
	const [source, target] = [copyClient(at), copyClient(`file:${file}`)];
	try {
		await copyDatabase(source, target);
	} finally {
		source.close();
		target.close();
	}
}

/** Reads a backup's manifest and checks every checksum: throws (changing nothing) when anything is missing or differs. */
export async function verifyBackup(src: string): Promise<Manifest> {
	const from = resolve(src);
	if (!existsSync(join(from, MANIFEST))) throw new BackupError(`${from} holds no ${MANIFEST}: not a complete backup.`);
	const manifest = JSON.parse(await readFile(join(from, MANIFEST), 'utf8')) as Manifest;
	if (manifest.format !== 1) throw new BackupError(`Unknown backup format ${manifest.format}.`);
	const dbCopy = join(from, manifest.database.file);
	if (!existsSync(dbCopy) || (await sha256(dbCopy)) !== manifest.database.sha256) throw new BackupError('The backup\'s database is missing or differs from its manifest.');
	for (const f of manifest.files) {
		const path = join(from, FILES, f.name);
		if (!existsSync(path) || (await sha256(path)) !== f.sha256) throw new BackupError(`The backup's file ${f.name} is missing or differs from its manifest.`);
	}
	return manifest;
}

/**
 * Restores a backup into an empty place: the database at `url` must not exist yet and the files
 * folder must be empty or new. Checks the backup first and the restored copy after.
 */
export async function restore(src: string, at: DatabaseAt, filesAt: FileStore | string): Promise<Manifest> {
	const manifest = await verifyBackup(src);
	const store = storeOf(filesAt);
	if ((await store.list()).length > 0) throw new BackupError(`${store.where} is not empty: a restore never overwrites files.`);
	if (!isFile(at)) return restoreToServer(src, manifest, at, store);
	const file = databaseFile(urlOf(at));
	for (const suffix of ['', '-wal', '-shm']) {
		if (existsSync(file + suffix)) throw new BackupError(`${file + suffix} exists: a restore never overwrites a database. Restore into a new place, or move the old one away first.`);
	}
	const from = resolve(src);
	await mkdir(dirname(file), { recursive: true });
	try {
		await copyFile(join(from, manifest.database.file), file, constants.COPYFILE_EXCL);
		await putFiles(from, manifest, store);
		const { rows } = await describe(file);
		for (const [table, n] of Object.entries(manifest.rows)) {
			if (rows[table] !== n) throw new BackupError(`The restored table ${table} has ${rows[table]} rows, the backup ${n}.`);
		}
	} catch (err) {
		// Half a restore is no restore: what was copied goes again.
		// With its -wal and -shm: a connection of this process may still hold them (statements.ts).
		for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
		await removeFiles(manifest, store);
		throw err;
	}
	return manifest;
}

async function putFiles(from: string, manifest: Manifest, store: FileStore) {
	for (const f of manifest.files) await store.put(f.name, await readFile(join(from, FILES, f.name)));
}
async function removeFiles(manifest: Manifest, store: FileStore) {
	for (const f of manifest.files) await store.remove(f.name);
}

/**
 * Restores into a libSQL server's database, which must hold no tables yet (a new database or
 * namespace): the whole copy is one write transaction, so a failed restore leaves it empty.
 */
async function restoreToServer(src: string, manifest: Manifest, at: DatabaseAt, store: FileStore): Promise<Manifest> {
	const [source, target] = [copyClient(`file:${join(resolve(src), manifest.database.file)}`), copyClient(at)];
	try {
		const tables = Number((await target.execute("select count(*) from sqlite_master where name not like 'sqlite_%'")).rows[0][0]);
		if (tables > 0) throw new BackupError(`${urlOf(at)} already holds a database: a restore never overwrites one. Restore into a new, empty database.`);
		try {
			await putFiles(resolve(src), manifest, store);
			await copyDatabase(source, target);
		} catch (err) {
			await removeFiles(manifest, store);
			throw err;
		}
		// Shadow tables of the search index hold it in the server's own layout; the index's rows are counted through it.
		const shadow = new Set((await target.execute("select name from pragma_table_list where type = 'shadow'")).rows.map((r) => String(r[0])));
		for (const [table, n] of Object.entries(manifest.rows)) {
			if (shadow.has(table)) continue;
			const count = Number((await target.execute(`select count(*) from "${table.replaceAll('"', '""')}"`)).rows[0][0]);
			if (count !== n) throw new BackupError(`The restored table ${table} has ${count} rows, the backup ${n}.`);
		}
	} finally {
		source.close();
		target.close();
	}
	return manifest;
}
