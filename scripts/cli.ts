// Kvarter's command line: `npm run db:migrate`, `npm run seed [-- --size N] [--grants G] [--reviews-each R]`,
// `npm run admin -- create-admin EMAIL [--name "Full Name"]`, `npm run reconcile`,
// `npm run backup -- DEST`, `npm run restore -- SRC` (src/lib/server/db/backup.ts).
import { eq } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../src/lib/server/config.ts';
import { migrateDatabase, openDatabase } from '../src/lib/server/db/client.ts';
import { auditEvents, userRoles, users } from '../src/lib/server/db/schema/index.ts';
import { fileStore } from '../src/lib/server/files/store.ts';
import { hashPassword } from '../src/lib/server/auth/password.ts';
import { generateToken } from '../src/lib/server/auth/tokens.ts';
import { seedDemo } from '../src/lib/server/seed/demo.ts';
import { seedGrants } from '../src/lib/server/seed/grants.ts';
import { seedApplicationsAtScale, seedGrantsAtScale, seedReviewsAtScale } from '../src/lib/server/seed/scale.ts';

const [command, ...args] = process.argv.slice(2);
const option = (name: string) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
};

async function main() {
	const config = loadConfig(process.env);
	if (command === 'restore') {
		// Before anything opens DATABASE_URL: a restore fills an empty place and never a database in use.
		const { restore } = await import('../src/lib/server/db/backup.ts');
		if (!args[0]) throw new Error('Usage: npm run restore -- BACKUP_FOLDER');
		const m = await restore(args[0], { url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN }, fileStore(config));
		console.log(`Restored the backup of ${m.createdAt} (${m.migrations.count} migrations, ${m.rows.applications ?? 0} applications, ${m.rows.ledger_entries ?? 0} ledger rows, ${m.files.length} files) into ${config.DATABASE_URL}. Start the server on it, then run npm run reconcile.`);
		return;
	}
	const database = await openDatabase({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN, busyTimeoutMs: config.DB_BUSY_TIMEOUT_MS });
	try {
		await migrateDatabase(database);
		switch (command) {
			case 'migrate':
				console.log(`Database ${config.DATABASE_URL} is up to date.`);
				return;
			case 'seed': {
				const size = Number(option('size') ?? 0);
				if (!Number.isInteger(size) || size < 0) throw new Error('--size must be a whole number');
				const started = Date.now();
				await seedDemo(database);
				await seedGrants(database, config);
				const grantCount = Number(option('grants') ?? 0);
				if (!Number.isInteger(grantCount) || grantCount < 0) throw new Error('--grants must be a whole number');
				if (grantCount > size) throw new Error('--grants counts applications that became grants: it cannot be more than --size');
				// --size generated applications in all: --grants of them approved with a grant, the rest in the other states.
				if (size > grantCount) await seedApplicationsAtScale(database, size - grantCount);
				if (grantCount > 0) await seedGrantsAtScale(database, grantCount);
				const reviewCount = size > 0 ? await seedReviewsAtScale(database, Number(option('reviews-each') ?? 3)) : 0;
				console.log(`Demo data seeded (${size} generated applications, ${grantCount} of them with a grant, ${reviewCount} generated reviews) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
				return;
			}
			case 'reconcile': {
				// Recomputes every fund's and grant's money from the ledger and checks every money invariant.
				const { reconcile, describeViolation } = await import('../src/lib/server/ledger/index.ts');
				const violations = await reconcile(database.db);
				if (violations.length === 0) {
					console.log('Ledger and records agree: every money invariant holds.');
					return;
				}
				for (const v of violations) console.log(describeViolation(v));
				process.exitCode = 2;
				return;
			}
			case 'backup': {
				const { backup } = await import('../src/lib/server/db/backup.ts');
				if (!args[0]) throw new Error('Usage: npm run backup -- NEW_FOLDER');
				const m = await backup(database, { url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN }, fileStore(config), args[0]);
				console.log(`Backed up ${config.DATABASE_URL} at ${m.createdAt}: ${(m.database.bytes / 1e6).toFixed(1)} MB, ${m.rows.applications ?? 0} applications, ${m.rows.ledger_entries ?? 0} ledger rows, ${m.files.length} files; manifest in ${args[0]}/manifest.json.`);
				return;
			}
			case 'create-admin': {
				const email = args.find((a) => !a.startsWith('--') && a !== option('name'))?.trim().toLowerCase();
				if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error('Usage: npm run admin -- create-admin EMAIL [--name "Full Name"]');
				const now = new Date();
				const [existing] = await database.db.select().from(users).where(eq(users.email, email));
				let password: string | undefined;
				const id = existing?.id ?? crypto.randomUUID();
				const passwordHash = existing ? undefined : await hashPassword((password = generateToken().slice(0, 20)));
				await database.write(async (tx) => {
					if (!existing) {
						await tx.insert(users).values({ id, email, name: option('name') ?? email.split('@')[0], passwordHash: passwordHash!, emailVerifiedAt: now, createdAt: now });
					}
					await tx.insert(userRoles).values({ userId: id, role: 'admin', grantedAt: now }).onConflictDoNothing();
					await tx.insert(auditEvents).values({ at: now, actorId: null, action: 'user.role_granted', entityType: 'user', entityId: id, summary: { role: 'admin', email, via: 'command line' }, ip: null });
				});
				console.log(existing ? `${email} is now an admin.` : `Admin ${email} created. Temporary password (change it after signing in): ${password}`);
				return;
			}
			default:
				throw new Error('Commands: migrate | seed [--size N] [--grants N] | reconcile | backup DEST | restore SRC | create-admin EMAIL [--name NAME]');
		}
	} finally {
		database.close();
	}
}

main().catch((err) => {
	console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : `Error: ${err.message ?? err}`);
	process.exit(1);
});
