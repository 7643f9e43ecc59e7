import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { startOwnServer } from './own-server.ts';
import { DEMO_PASSWORD } from './helpers.ts';

/**
 * The restore drill README describes, on real servers: a backup taken with `npm run backup`
 * while the server takes writes, restored with `npm run restore` into a fresh place, a second
 * server started on it, every backed-up row there, the books reconciled.
 */
const npm = (args: string[], env: Record<string, string>) =>
	new Promise<{ code: number | null; out: string }>((resolve) => {
		const child = spawn('npm', ['run', '--silent', ...args], { env: { ...process.env, ...env } });
		let out = '';
		child.stdout.on('data', (d) => (out += String(d)));
		child.stderr.on('data', (d) => (out += String(d)));
		child.on('exit', (code) => resolve({ code, out }));
	});

test('a backup made while writes run restores into a fresh place where a server runs on it and the books agree', async () => {
	test.setTimeout(180_000);
	const live = await startOwnServer('drill-live', 4204);
	const liveEnv = { DATABASE_URL: 'file:.e2e/drill-live/kvarter.db', FILES_DIR: '.e2e/drill-live/files' };
	const backupDir = `.e2e/drill-backup-${Date.now()}`;
	const restoredEnv = { DATABASE_URL: 'file:.e2e/drill-restored/kvarter.db', FILES_DIR: '.e2e/drill-restored/files' };
	spawnSync('rm', ['-rf', '.e2e/drill-restored']);
	let restored: Awaited<ReturnType<typeof startOwnServer>> | undefined;
	try {
		// The applicant saves her draft over and over (as autosave does) while the backup is made.
		const signIn = async (origin: string) => {
			const res = await fetch(`${origin}/sign-in`, { method: 'POST', redirect: 'manual', headers: { origin, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.8.0.1' }, body: new URLSearchParams({ email: 'amina@kvarter.demo', password: DEMO_PASSWORD, next: '/' }) });
			return res.headers.getSetCookie().find((c) => c.startsWith('kvarter_session='))!.split(';')[0];
		};
		const cookie = await signIn(live.origin);
		const draft = String((await live.db.execute("select a.id from applications a join users u on u.id = a.applicant_id where u.email = 'amina@kvarter.demo' and a.status = 'draft' limit 1")).rows[0][0]);
		let saving = true;
		let saves = 0;
		const saver = (async () => {
			while (saving) {
				const body = new URLSearchParams({ title: `Läxhjälp i Centrum, version ${saves + 1}`, summary: 'Läxhjälp två kvällar i veckan.', lineItem: 'Fika', lineCategory: 'food', lineAmount: '2000' });
				const r = await fetch(`${live.origin}/applications/${draft}/edit?/save`, { method: 'POST', headers: { cookie, origin: live.origin, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.8.0.1' }, body });
				expect(r.status).toBeLessThan(400);
				saves++;
			}
		})();
		while (saves < 3) await new Promise((r) => setTimeout(r, 20));
		const made = await npm(['backup', '--', backupDir], liveEnv);
		const savesAtEnd = saves;
		saving = false;
		await saver;
		expect(made.code, made.out).toBe(0);
		expect(savesAtEnd).toBeGreaterThan(3);
		const manifest = JSON.parse(readFileSync(`${backupDir}/manifest.json`, 'utf8')) as { rows: Record<string, number> };

		// Restoring over the live database is refused; into a fresh place it works.
		expect((await npm(['restore', '--', backupDir], liveEnv)).code).not.toBe(0);
		const back = await npm(['restore', '--', backupDir], restoredEnv);
		expect(back.code, back.out).toBe(0);
		// Every row of the backup is there (audit events compared one by one), before a server touches it.
		const copy = createClient({ url: `file:${backupDir}/kvarter.db` });
		const fresh = createClient({ url: restoredEnv.DATABASE_URL });
		const ids = async (c: typeof copy) => (await c.execute('select id from audit_events order by id')).rows.map((r) => Number(r[0]));
		expect(await ids(fresh)).toEqual(await ids(copy));
		expect(Number((await fresh.execute('select count(*) from ledger_entries')).rows[0][0])).toBe(manifest.rows.ledger_entries);
		const title = String((await fresh.execute({ sql: 'select title from applications where id = ?', args: [draft] })).rows[0][0]);
		copy.close();
		fresh.close();

		// A server on the restored database: the applicant signs in and finds her draft as it was backed up.
		restored = await startOwnServer('drill-restored', 4205, { SEED_DEMO_DATA: 'false' }, { keep: true });
		const again = await signIn(restored.origin);
		const page = await fetch(`${restored.origin}/applications/${draft}/edit`, { headers: { cookie: again } });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(title.replaceAll('&', '&amp;'));
		const books = await npm(['reconcile'], restoredEnv);
		expect(books.code, books.out).toBe(0);
		expect(books.out).toContain('Ledger and records agree');
	} finally {
		await live.stop();
		await restored?.stop();
		spawnSync('rm', ['-rf', backupDir]);
	}
});
