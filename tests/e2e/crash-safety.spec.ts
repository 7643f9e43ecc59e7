import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { startOwnServer, type OwnServer } from './own-server.ts';
import { DEMO_PASSWORD } from './helpers.ts';

/**
 * Crash safety: the server is killed (SIGKILL, no shutdown) while it answers writes, then started
 * again on the same database. Every write it had answered as done is there, the database is
 * whole and the books agree. CRASH_ROUNDS sets how many rounds (3 here; the closing figures of a
 * longer run are in docs/benchmarks.md).
 */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const PORT = 4206;

test('killing the server during writes loses no answered write, and the database and the books stay whole', async () => {
	test.setTimeout(60_000 + ROUNDS * 30_000);
	let server: OwnServer = await startOwnServer('crash', PORT);
	const acknowledged: string[] = [];
	const paid: string[] = [];
	try {
		for (let round = 1; round <= ROUNDS; round++) {
			const { origin } = server;
			const signIn = async (email: string) => {
				const res = await fetch(`${origin}/sign-in`, { method: 'POST', redirect: 'manual', headers: { origin, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.7.${round}.1` }, body: new URLSearchParams({ email, password: DEMO_PASSWORD, next: '/' }) });
				return res.headers.getSetCookie().find((c) => c.startsWith('kvarter_session='))!.split(';')[0];
			};
			const [amina, finance] = [await signIn('amina@kvarter.demo'), await signIn('finance@kvarter.demo')];
			const app = String((await server.db.execute("select a.id from applications a join users u on u.id = a.applicant_id where u.email = 'amina@kvarter.demo' and a.status <> 'draft' order by a.id limit 1")).rows[0][0]);
			// A payment finance may record now (the demo's queue), if one is left.
			const due = (await server.db.execute("select t.id from payment_tranches t join payout_accounts p on p.grant_id = t.grant_id and p.status = 'confirmed' where t.status = 'due' and t.amount <= 500000 and p.kind <> 'stripe' limit 1")).rows[0]?.[0];
			const post = (path: string, cookie: string, form: Record<string, string>) =>
				fetch(origin + path, { method: 'POST', redirect: 'manual', headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.7.${round}.1`, 'x-sveltekit-action': 'true', accept: 'application/json' }, body: new URLSearchParams(form) });
			let crashed = false;
			// Four writers send messages as fast as answers come; the server is killed at a moment of its choosing.
			const writers = [0, 1, 2, 3].map(async (w) => {
				for (let i = 0; !crashed; i++) {
					const body = `Krasch ${round}-${w}-${i}`;
					try {
						const r = await post(`/applications/${app}?/message`, amina, { body });
						if (r.status === 200 && (JSON.parse(await r.text()) as { type: string }).type === 'success') acknowledged.push(body);
					} catch {
						// the connection died with the server: not answered, so not promised
					}
				}
			});
			const payment = due
				? post('/finance?/pay', finance, { trancheId: String(due), paidDate: new Date().toISOString().slice(0, 10), reference: `KRASCH-${round}` }).then(
						async (r) => {
							const type = (JSON.parse(await r.text()) as { type: string }).type;
							if (type === 'redirect') paid.push(String(due));
						},
						() => undefined
					)
				: Promise.resolve();
			await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
			crashed = true;
			await server.crash();
			await Promise.all([...writers, payment]);

			server = await startOwnServer('crash', PORT, { SEED_DEMO_DATA: 'false' }, { keep: true });
			expect((await server.db.execute('PRAGMA integrity_check')).rows[0][0], `round ${round}`).toBe('ok');
			const stored = new Set((await server.db.execute("select body from application_messages where body like 'Krasch %'")).rows.map((r) => String(r[0])));
			const lost = acknowledged.filter((b) => !stored.has(b));
			expect(lost, `round ${round}: answered as sent, missing after the restart`).toEqual([]);
			for (const id of paid) {
				const rows = (await server.db.execute({ sql: "select (select status from payment_tranches where id = ?), (select count(*) from ledger_entries where tranche_id = ? and kind = 'disbursement')", args: [id, id] })).rows[0];
				expect([rows[0], Number(rows[1])], `round ${round}: payment ${id}`).toEqual(['paid', 1]);
			}
			const books = spawnSync('npm', ['run', '--silent', 'reconcile'], { env: { ...process.env, DATABASE_URL: 'file:.e2e/crash/kvarter.db' }, encoding: 'utf8' });
			expect(books.status, `round ${round}: ${books.stdout}${books.stderr}`).toBe(0);
		}
		expect(acknowledged.length).toBeGreaterThan(ROUNDS);
		console.log(`crash safety: ${ROUNDS} rounds, ${acknowledged.length} answered messages and ${paid.length} answered payments, none lost`);
	} finally {
		await server.stop();
	}
});
