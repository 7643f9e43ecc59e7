import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { migrateDatabase, openDatabase } from './client.ts';
import { users } from './schema/index.ts';
import { backup, BackupError, MANIFEST, restore, verifyBackup } from './backup.ts';
import { fileStore } from '../files/store.ts';
import { seedDemo } from '../seed/demo.ts';
import { seedGrants } from '../seed/grants.ts';
import { reconcile } from '../ledger/index.ts';
import { samplePdf } from '../testing/files.ts';
import { createNamespace, deleteNamespace, namespaceUrl, onSqld } from '../testing/sqld.ts';

let db: TestDb;
let place: string;
const fileIds: string[] = [];
const namespaces: string[] = [];

/** A new, empty database to restore into: a file here, or under `npm run test:sqld` a new database of the libSQL server. */
async function emptyDatabase(name: string) {
	if (!onSqld) return `file:${join(place, name, 'kvarter.db')}`;
	const ns = `restore-${name}-${crypto.randomUUID().slice(0, 8)}`;
	await createNamespace(ns);
	namespaces.push(ns);
	return namespaceUrl(ns);
}

beforeAll(async () => {
	place = mkdtempSync(join(tmpdir(), 'kvarter-backup-'));
	db = await createTestDb({ FILES_DIR: join(place, 'files') });
	await seedDemo(db.database);
	await seedGrants(db.database, db.config);
	const store = fileStore(db.config);
	for (let i = 0; i < 3; i++) fileIds.push(await store.save(samplePdf()));
}, 120_000);
afterAll(async () => {
	for (const ns of namespaces) await deleteNamespace(ns);
	db.cleanup();
	rmSync(place, { recursive: true, force: true });
});

describe('backup and restore', () => {
	it('backs up while writes run, and the restore is a working database with every row and file of that moment', async () => {
		const before = (await db.database.db.select({ id: users.id }).from(users)).map((u) => u.id);
		// Writes going on all the time the backup is made (as a server would).
		let writing = true;
		const written: string[] = [];
		const writer = (async () => {
			while (writing) {
				written.push((await createUser(db, { name: 'Skrivare under kopian' })).id);
				await new Promise((r) => setImmediate(r));
			}
		})();
		const dest = join(place, 'backup-1');
		const manifest = await backup(db.database, db.config.DATABASE_URL, fileStore(db.config), dest);
		writing = false;
		await writer;
		expect(written.length).toBeGreaterThan(0);
		expect(manifest.files.map((f) => f.name).sort()).toEqual([...fileIds].sort());
		expect(manifest.migrations.count).toBe(readdirSync('drizzle').filter((f) => f.endsWith('.sql')).length);
		expect(manifest.rows.ledger_entries).toBeGreaterThan(0);

		const target = join(place, 'restored');
		const url = await emptyDatabase('restored');
		const restored = await restore(dest, url, join(target, 'files'));
		expect(restored.createdAt).toBe(manifest.createdAt);
		// Opened as the server opens it: migrations have nothing to do, the books agree, search finds what it found.
		const again = await openDatabase({ url });
		try {
			await migrateDatabase(again);
			expect(await reconcile(again.db)).toEqual([]);
			const ids = new Set((await again.db.select({ id: users.id }).from(users)).map((u) => u.id));
			// Every row there before the backup began is restored; of those written meanwhile, some or none, never others.
			expect(before.every((id) => ids.has(id))).toBe(true);
			expect([...ids].every((id) => before.includes(id) || written.includes(id))).toBe(true);
			expect(ids.size).toBe(manifest.rows.users);
			expect((await again.client.execute('PRAGMA integrity_check')).rows[0][0]).toBe('ok');
			expect(Number((await again.client.execute('select count(*) from audit_events')).rows[0][0])).toBe(manifest.rows.audit_events);
			const schema = "select type, name, sql from sqlite_master where type in ('index', 'trigger', 'view') order by name";
			expect((await again.client.execute(schema)).rows).toEqual((await db.database.client.execute(schema)).rows);
			const word = String((await db.database.client.execute('select title from applications_fts order by rowid limit 1')).rows[0][0]).split(/\s+/)[0];
			const search = { sql: 'select rowid from applications_fts where applications_fts match ? order by rowid', args: [`"${word.replaceAll('"', '""')}"`] };
			const found = (await db.database.client.execute(search)).rows.map((r) => r[0]);
			expect(found.length).toBeGreaterThan(0);
			expect((await again.client.execute(search)).rows.map((r) => r[0])).toEqual(found);
		} finally {
			again.close();
		}
		for (const id of fileIds) expect(readFileSync(join(target, 'files', id))).toEqual(Buffer.from(samplePdf()));
	});

	it('refuses to overwrite a live database or files, and refuses a backup that was changed; nothing is written then', async () => {
		const dest = join(place, 'backup-2');
		await backup(db.database, db.config.DATABASE_URL, fileStore(db.config), dest);
		// Into the database in use: refused.
		await expect(restore(dest, db.config.DATABASE_URL, join(place, 'elsewhere'))).rejects.toThrow(BackupError);
		expect(existsSync(join(place, 'elsewhere'))).toBe(false);
		// Into files that exist: refused.
		await expect(restore(dest, `file:${join(place, 'new', 'kvarter.db')}`, fileStore(db.config))).rejects.toThrow(/never overwrites files/);
		expect(existsSync(join(place, 'new', 'kvarter.db'))).toBe(false);
		// A backup into a folder that holds something: refused.
		await expect(backup(db.database, db.config.DATABASE_URL, fileStore(db.config), dest)).rejects.toThrow(/not empty/);
		// One byte of a file changed: the backup no longer verifies, and a restore writes nothing.
		const changed = join(dest, 'files', fileIds[0]);
		const bytes = readFileSync(changed);
		bytes[bytes.length - 1] ^= 1;
		writeFileSync(changed, bytes);
		await expect(verifyBackup(dest)).rejects.toThrow(/differs/);
		await expect(restore(dest, `file:${join(place, 'fresh', 'kvarter.db')}`, join(place, 'fresh', 'files'))).rejects.toThrow(/differs/);
		expect(existsSync(join(place, 'fresh', 'kvarter.db'))).toBe(false);
		// A folder without a manifest is not a backup.
		rmSync(join(dest, MANIFEST));
		await expect(verifyBackup(dest)).rejects.toThrow(/not a complete backup/);
	});

	it('moves a database between kinds: the backup of a file restores into a libSQL server database, and the backup of that into a file', async () => {
		// Under `npm run test:sqld` the middle step is a database of the libSQL server; otherwise a file again.
		const first = await openDatabase({ url: `file:${join(place, 'kinds', 'first.db')}` });
		await migrateDatabase(first);
		await seedDemo(first);
		await seedGrants(first, db.config);
		const one = await backup(first, `file:${join(place, 'kinds', 'first.db')}`, join(place, 'no-files'), join(place, 'kinds', 'backup-a'));
		first.close();
		const middle = await emptyDatabase('middle');
		await restore(join(place, 'kinds', 'backup-a'), middle, join(place, 'kinds', 'files-b'));
		const second = await openDatabase({ url: middle });
		const two = await backup(second, middle, join(place, 'kinds', 'files-b'), join(place, 'kinds', 'backup-b'));
		second.close();
		const last = `file:${join(place, 'kinds', 'last.db')}`;
		await restore(join(place, 'kinds', 'backup-b'), last, join(place, 'kinds', 'files-c'));
		const third = await openDatabase({ url: last });
		try {
			expect(await reconcile(third.db)).toEqual([]);
			for (const table of ['users', 'applications', 'grants', 'ledger_entries', 'audit_events', 'applications_fts', '__drizzle_migrations']) {
				expect(two.rows[table], table).toBe(one.rows[table]);
				expect(Number((await third.client.execute(`select count(*) from ${table}`)).rows[0][0]), table).toBe(one.rows[table]);
			}
			expect(one.rows.applications).toBeGreaterThan(0);
		} finally {
			third.close();
		}
	});
});
