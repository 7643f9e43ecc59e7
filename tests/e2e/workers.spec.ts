import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Client } from '@libsql/client';
import { startOwnServer, type OwnServer } from './own-server.ts';
import { startTestSmtp } from '../../src/lib/server/testing/smtp.ts';
import { DEMO_PASSWORD } from './helpers.ts';
// @ts-expect-error a plain script of the project's, without types
import { startSqld } from '../../scripts/sqld.mjs';

/**
 * Kvarter on more than one process, two ways: as `npm start` runs it with WORKERS=2 (two processes
 * answer on one port and share one database file), and as two app servers on two ports sharing one
 * libSQL server (sqld). Requests raced across both must still keep the books: the fund's budget,
 * one payment per tranche, the sign-in throttle, each email sent once. No browser: plain HTTP, as
 * many at once as possible.
 */
interface Cluster {
	/** Where to send requests: request i goes to origins[i % length]. */
	origins: string[];
	/** The shared database, read directly. */
	db: Client;
	databaseUrl: string;
	/** The processes answering. */
	pids(): number[];
	stop(): Promise<void>;
}

const workerPids = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);

const topologies: { name: string; start(env: Record<string, string>): Promise<Cluster> }[] = [
	{
		name: 'WORKERS=2 on one port, one database file',
		async start(env) {
			const server = await startOwnServer('workers', 4203, env, { workers: 2 });
			return { origins: [server.origin], db: server.db, databaseUrl: server.databaseUrl, pids: () => workerPids(server.pid), stop: () => server.stop() };
		}
	},
	{
		name: 'two app servers on two ports, one libSQL server',
		async start(env) {
			const dir = '.e2e/two-servers-sqld';
			rmSync(dir, { recursive: true, force: true });
			const sqld = await startSqld({ dir, port: 4209 });
			// Over WebSocket, as README advises: the servers keep connections to sqld open.
			const shared = { ...env, DATABASE_URL: sqld.url.replace('http:', 'ws:'), FILES_DIR: `${dir}/files` };
			// One after the other: the first seeds the empty database with the demo.
			const servers: OwnServer[] = [await startOwnServer('two-servers-a', 4207, shared)];
			servers.push(await startOwnServer('two-servers-b', 4208, shared));
			return {
				origins: servers.map((s) => s.origin),
				db: servers[0].db,
				databaseUrl: shared.DATABASE_URL,
				pids: () => servers.map((s) => s.pid),
				async stop() {
					try {
						for (const s of servers) await s.stop();
					} finally {
						await sqld.stop();
					}
				}
			};
		}
	}
];

/** CPU time a process has used, in clock ticks. */
const cpuOf = (pid: number) => {
	const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(f[11]) + Number(f[12]);
};

for (const topology of topologies) {
	test.describe(topology.name, () => {
		let cluster: Cluster;
		let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
		test.beforeAll(async () => {
			test.setTimeout(120_000);
			// Their own SMTP server: every message the processes send, counted.
			smtp = await startTestSmtp();
			cluster = await topology.start({ SMTP_URL: smtp.url, OUTBOX_INTERVAL_MS: '200' });
		});
		test.afterAll(async () => {
			test.setTimeout(120_000);
			await cluster?.stop();
			await smtp?.close();
		});
		const origin = (i = 0) => cluster.origins[i % cluster.origins.length];
		const one = async (sql: string, args: (string | number)[] = []) => (await cluster.db.execute({ sql, args })).rows[0];

		async function signIn(email: string) {
			const res = await fetch(`${origin()}/sign-in`, {
				method: 'POST',
				redirect: 'manual',
				headers: { origin: origin(), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.9.0.1' },
				body: new URLSearchParams({ email, password: DEMO_PASSWORD, next: '/' })
			});
			const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kvarter_session='));
			expect(cookie, `signed in as ${email}`).toBeTruthy();
			return cookie!.split(';')[0];
		}
		const post = (i: number, path: string, cookie: string, form: Record<string, string>, ip = '10.9.0.1') =>
			fetch(origin(i) + path, {
				method: 'POST',
				redirect: 'manual',
				headers: { cookie, origin: origin(i), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip, 'x-sveltekit-action': 'true', accept: 'application/json' },
				body: new URLSearchParams(form)
			});

		/** The actions' answers (SvelteKit's JSON for forms sent by script): a success (or its redirect), or a refusal the form shows (4xx) — never an error. */
		async function jsonOf(answers: Response[]) {
			const texts = await Promise.all(answers.map((r) => r.text()));
			const bodies = texts.map((t) => JSON.parse(t) as { type: string; data?: string });
			const odd = answers.map((r, i) => ({ status: r.status, body: texts[i].slice(0, 300) })).filter((a, i) => !(a.status === 200 && ['success', 'redirect'].includes(bodies[i].type)) && !(a.status >= 400 && a.status < 500 && bodies[i].type === 'failure'));
			expect(odd).toEqual([]);
			return bodies;
		}

		test('both processes share the work, and raced approvals never commit more than the fund has', async () => {
			const workers = cluster.pids();
			expect(workers).toHaveLength(2);
			const cpuBefore = workers.map(cpuOf);

			const officer = await signIn('officer@kvarter.demo');
			const officerId = String((await one(`select id from users where email = 'officer@kvarter.demo'`)).id);
			// Applications the officer may decide: in review, not their own.
			const rows = (
				await cluster.db.execute({
					sql: `select a.id, a.call_id, c.fund_id from applications a join calls c on c.id = a.call_id join funds f on f.id = c.fund_id
					      where a.status = 'in_review' and a.applicant_id <> ? and f.status = 'active' and a.requested_amount >= 100000 order by a.id`,
					args: [officerId]
				})
			).rows.map((r) => ({ id: Number(r.id), callId: String(r.call_id), fundId: String(r.fund_id) }));
			// The call with the most of them.
			const callId = [...new Set(rows.map((r) => r.callId))].sort((a, b) => rows.filter((r) => r.callId === b).length - rows.filter((r) => r.callId === a).length)[0];
			const apps = rows.filter((r) => r.callId === callId);
			const fundId = apps[0].fundId;
			expect(apps.length).toBeGreaterThanOrEqual(3);
			// Leave room in the fund for two awards of 1 000 kr and a half.
			const committed = `select coalesce(sum(case kind when 'commitment' then amount when 'release' then -amount when 'repayment' then -amount when 'write_off' then -amount else 0 end), 0) as n from ledger_entries where fund_id = ?`;
			const before = Number((await one(committed, [fundId])).n);
			await cluster.db.execute({ sql: 'update funds set budget = ? where id = ?', args: [before + 250_000, fundId] });

			// 100 approvals of 1 000 kr at once, each of one of the applications, spread over both processes.
			const answers = await Promise.all(
				Array.from({ length: 100 }, (_, i) => {
					const app = apps[i % apps.length];
					return post(i, `/staff/calls/${app.callId}/ranking?/decide`, officer, { applicationId: String(app.id), [`outcome-${app.id}`]: 'approve', [`amount-${app.id}`]: '1000', [`conditions-${app.id}`]: '' });
				})
			);
			const bodies = await jsonOf(answers);
			// Two fit; every other answer is a refusal shown on the form (SvelteKit's "failure"), never an error.
			expect(bodies.filter((b) => b.type === 'success')).toHaveLength(2);
			expect(bodies.filter((b) => b.type === 'failure').every((b) => /does not cover|not possible/.test(b.data ?? ''))).toBe(true);
			const ids = apps.map((a) => a.id).join(',');
			expect(Number((await one(`select count(*) as n from grants where application_id in (${ids}) and status <> 'cancelled'`)).n)).toBe(2);
			expect(Number((await one(`select count(*) as n from applications where id in (${ids}) and status = 'approved'`)).n)).toBe(2);
			expect(Number((await one(committed, [fundId])).n)).toBe(before + 200_000);

			// Both processes answered some of them.
			const cpuAfter = workers.map(cpuOf);
			expect(cpuAfter.every((t, i) => t > cpuBefore[i])).toBe(true);
		});

		test('a tranche paid from both processes at once is paid once, and the throttle counts across them', async () => {
			const finance = await signIn('finance@kvarter.demo');
			const financeId = String((await one(`select id from users where email = 'finance@kvarter.demo'`)).id);
			const tranche = await one(
				`select t.id from payment_tranches t join grants g on g.id = t.grant_id join applications a on a.id = g.application_id
				 where t.status = 'due' and a.applicant_id <> ? order by t.amount limit 1`,
				[financeId]
			);
			const trancheId = String(tranche.id);
			const today = new Date().toISOString().slice(0, 10);
			const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => post(i, '/finance?/pay', finance, { trancheId, paidDate: today, reference: `BANK-RACE-${i}` })));
			const bodies = await jsonOf(answers);
			expect(bodies.filter((b) => b.type === 'redirect')).toHaveLength(1);
			expect(bodies.filter((b) => b.type === 'failure').every((b) => (b.data ?? '').includes('not due'))).toBe(true);
			expect(String((await one('select status from payment_tranches where id = ?', [trancheId])).status)).toBe('paid');
			expect(Number((await one(`select count(*) as n from ledger_entries where kind = 'disbursement' and tranche_id = ?`, [trancheId])).n)).toBe(1);

			// 30 wrong passwords for one account at once, from 30 addresses: five are tried, the rest refused.
			const email = 'grace@kvarter.demo';
			const tries = await Promise.all(
				Array.from({ length: 30 }, (_, i) =>
					fetch(`${origin(i)}/sign-in`, {
						method: 'POST',
						redirect: 'manual',
						headers: { origin: origin(i), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.8.0.${i + 1}` },
						body: new URLSearchParams({ email, password: 'not-the-password', next: '/' })
					})
				)
			);
			expect(tries.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
			expect(Number((await one('select count(*) as n from auth_attempts where bucket = ?', [`signin:account:${email}`])).n)).toBe(5);
			expect(tries.filter((r) => r.status === 429)).toHaveLength(25);

			// And the books agree with the ledger (reconcile: every money invariant, exit code 0).
			const reconcile = spawnSync('node', ['--experimental-strip-types', 'scripts/cli.ts', 'reconcile'], { env: { ...process.env, DATABASE_URL: cluster.databaseUrl }, encoding: 'utf8' });
			expect(reconcile.status, reconcile.stdout + reconcile.stderr).toBe(0);
		});

		test('each email is sent once, whichever process holds the outbox job', async () => {
			// 40 people sign up at once (from 40 addresses), over both processes: 40 confirmation emails queued.
			const stamp = Date.now();
			const emails = Array.from({ length: 40 }, (_, i) => `ny-${stamp}-${i}@example.org`);
			const answers = await Promise.all(
				emails.map((email, i) =>
					fetch(`${origin(i)}/sign-up`, {
						method: 'POST',
						redirect: 'manual',
						headers: { origin: origin(i), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.6.0.${i + 1}` },
						body: new URLSearchParams({ name: `Ny granne ${i}`, email, password: 'grannskap-2026', locale: 'sv' })
					})
				)
			);
			expect(answers.map((r) => r.status).filter((s) => s >= 400)).toEqual([]);
			expect(Number((await one(`select count(*) as n from users where email like ?`, [`ny-${stamp}-%`])).n)).toBe(40);
			// The outbox empties (both processes run the job's timer; the lease lets one send)...
			await expect.poll(async () => Number((await one(`select count(*) as n from email_outbox where status = 'pending'`)).n), { timeout: 30_000 }).toBe(0);
			// ...and what arrived is exactly what the outbox holds as sent: no message twice.
			const sent = Number((await one(`select count(*) as n from email_outbox where status = 'sent'`)).n);
			expect(smtp.received.length).toBe(sent);
			for (const email of emails) expect(smtp.received.filter((m) => m.to === email), email).toHaveLength(1);
		});

		// Last: it stops the servers. A process manager sends SIGTERM and waits; a server that never
		// ends (a connection to the database left open) is killed in the middle of its work.
		test('the servers end on SIGTERM within seconds, letting go of the database', async () => {
			const pids = cluster.pids();
			const started = Date.now();
			const timedOut = new Promise((_, reject) => setTimeout(() => reject(new Error('a server did not end within 20 s of SIGTERM')), 20_000).unref());
			await Promise.race([cluster.stop(), timedOut]);
			for (const pid of pids) expect(() => process.kill(pid, 0), `process ${pid}`).toThrow();
			expect(Date.now() - started).toBeLessThan(20_000);
		});
	});
}
