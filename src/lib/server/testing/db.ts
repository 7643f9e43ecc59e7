import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../config.ts';
import type { Actor, Ctx } from '../context.ts';
import { migrateDatabase, openDatabase, type Database } from '../db/client.ts';
import { userRoles, users, type Locale, type Role } from '../db/schema/index.ts';
import { hashPassword } from '../auth/password.ts';
import { testFilesConfig } from './s3.ts';
import { createNamespace, deleteNamespace, forkNamespace, namespaceUrl, onSqld } from './sqld.ts';

export interface TestDb {
	database: Database;
	config: Config;
	/** A service context acting as `actor` (or nobody) at `now`. */
	ctx(actor?: Actor | null, now?: Date, ip?: string | null): Ctx;
	/** Another connection to the same database (the caller closes it). */
	open(): Promise<Database>;
	/**
	 * What a second app server writes through: its own connection to a libSQL server under
	 * `npm run test:sqld`. On an embedded file the same connection, since the file's client answers
	 * synchronously and two writing connections in one process would wait on each other (two
	 * servers on one file are two processes: tests/e2e/workers.spec.ts). Close it when done.
	 */
	secondServer(): Promise<Database>;
	cleanup(): void;
}

/**
 * Every real migration, applied once per test process to a template file that each test
 * database starts as a copy of (migrating a fresh file each time cost most of a model-based
 * sequence's setup).
 */
let template: Promise<string> | undefined;
function migratedTemplate() {
	template ??= (async () => {
		const dir = mkdtempSync(join(tmpdir(), 'kvarter-template-'));
		const file = join(dir, 'template.db');
		const database = await openDatabase({ url: `file:${file}`, busyTimeoutMs: 2000 });
		await migrateDatabase(database);
		await database.client.execute('pragma wal_checkpoint(truncate)');
		database.close();
		process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
		return file;
	})();
	return template;
}

/** The template as a namespace of the libSQL server that `npm run test:sqld` started. */
let namespaceTemplate: Promise<string> | undefined;
function migratedNamespace() {
	namespaceTemplate ??= (async () => {
		const name = `tpl${process.pid}x${randomUUID().slice(0, 8)}`;
		await createNamespace(name);
		const database = await openDatabase({ url: namespaceUrl(name), busyTimeoutMs: 2000 });
		await migrateDatabase(database);
		database.close();
		return name;
	})();
	return namespaceTemplate;
}

/**
 * A fresh database with every real migration applied: a libSQL file in a temp folder, or under
 * `npm run test:sqld` a namespace of the libSQL server (and files in a bucket of an S3-compatible
 * server). `open()` gives another connection to it,
 * as a second server process would have.
 */
export async function createTestDb(env: Record<string, string> = {}): Promise<TestDb> {
	let url: string;
	let dispose: () => void;
	if (onSqld) {
		const name = `t${randomUUID().replaceAll('-', '')}`;
		await forkNamespace(await migratedNamespace(), name);
		url = namespaceUrl(name);
		dispose = () => void deleteNamespace(name).catch(() => undefined);
	} else {
		const dir = mkdtempSync(join(tmpdir(), 'kvarter-test-'));
		copyFileSync(await migratedTemplate(), join(dir, 'test.db'));
		url = `file:${join(dir, 'test.db')}`;
		dispose = () => rmSync(dir, { recursive: true, force: true });
	}
	const open = () => openDatabase({ url, busyTimeoutMs: 2000 });
	// Files of this database alone: a folder of its own (or a prefix of the test bucket).
	const filesDir = mkdtempSync(join(tmpdir(), 'kvarter-test-files-'));
	const config = loadConfig({ DATABASE_URL: url, PUBLIC_ORIGIN: 'http://localhost:5173', FILES_DIR: filesDir, ...testFilesConfig(), ...env });
	const database = await open();
	// Applies nothing (the copy is up to date); kept so that a test database is opened exactly as the server opens its own.
	await migrateDatabase(database);
	return {
		database,
		config,
		open,
		secondServer: async () => (onSqld ? open() : Object.assign(Object.create(database) as Database, { close: () => undefined })),
		ctx: (actor = null, now = new Date(), ip = '127.0.0.1') => ({ database, config, actor, now, ip, locale: actor?.locale ?? 'en' }),
		cleanup: () => {
			database.close();
			dispose();
			rmSync(filesDir, { recursive: true, force: true });
		}
	};
}

let hashed: Promise<string> | undefined;
export const TEST_PASSWORD = 'correct horse battery staple';

/** Inserts a verified user with the given roles; all share TEST_PASSWORD. */
export async function createUser(
	db: TestDb,
	opts: { email?: string; name?: string; roles?: Role[]; locale?: Locale; verified?: boolean } = {}
): Promise<Actor> {
	hashed ??= hashPassword(TEST_PASSWORD);
	const id = crypto.randomUUID();
	const email = opts.email ?? `user-${id.slice(0, 8)}@example.org`;
	const name = opts.name ?? 'Test Person';
	const locale = opts.locale ?? 'en';
	const roles = opts.roles ?? [];
	const passwordHash = await hashed;
	await db.database.write(async (tx) => {
		await tx.insert(users).values({ id, email, name, locale, passwordHash, emailVerifiedAt: opts.verified === false ? null : new Date(), createdAt: new Date() });
		if (roles.length) await tx.insert(userRoles).values(roles.map((role) => ({ userId: id, role })));
	});
	return { id, email, name, locale, roles };
}
