import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createClient, type Client } from '@libsql/client';

/**
 * A production server of its own (the same `node build` as the journeys use) on another port,
 * with a fresh demo database, for tests that hammer it: nothing they do can disturb another
 * test's data, and each request may come from its own address (ADDRESS_HEADER), as on the
 * internet, so throttling per address applies as it would there.
 */
export async function startOwnServer(name: string, port: number, env: Record<string, string> = {}, options: { workers?: number; keep?: boolean } = {}) {
	const dir = `.e2e/${name}`;
	// `keep`: start on the database and files already in the folder (a restored backup).
	if (!options.keep) rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const origin = `http://localhost:${port}`;
	// A file of its own unless given another database (a libSQL server that several servers share).
	const databaseUrl = env.DATABASE_URL ?? `file:${dir}/kvarter.db`;
	// With workers, the way `npm start` runs it: scripts/serve.mjs and WORKERS processes on one port.
	const child: ChildProcess = spawn('node', options.workers ? ['scripts/serve.mjs'] : ['build'], {
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			PUBLIC_ORIGIN: origin,
			ORIGIN: origin,
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			DATABASE_URL: databaseUrl,
			FILES_DIR: `${dir}/files`,
			SEED_DEMO_DATA: 'true',
			BODY_SIZE_LIMIT: '20M',
			DEBTOR_IBAN: 'DE89370400440532013000',
			DEBTOR_BIC: 'COBADEFF',
			MUNICIPALITY_NAME: 'Älvstads kommun',
			// Longer than any pause between a client's requests on one connection: with Node's 5 s the
			// server may close an idle connection just as the client sends on it (ECONNRESET), as a
			// proxy in front would not (README: KEEP_ALIVE_TIMEOUT).
			KEEP_ALIVE_TIMEOUT: '75',
			...(options.workers ? { WORKERS: String(options.workers) } : {}),
			...env
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (d) => (stderr += String(d)));
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			if ((await fetch(`${origin}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${stderr}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	const db: Client = createClient({ url: databaseUrl });
	return {
		origin,
		databaseUrl,
		db,
		/** The server's process (with workers: the one that started them). */
		pid: child.pid!,
		/** What the server logged on stderr (unexpected errors are logged there). */
		stderr: () => stderr,
		async stop() {
			db.close();
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((r) => child.once('exit', r));
			child.kill();
			// A server that does not end on SIGTERM is killed, so that it never outlives the tests
			// (a test checks that it ends; this keeps the ports free for the next run either way).
			const kill = setTimeout(() => child.kill('SIGKILL'), 25_000);
			await exited;
			clearTimeout(kill);
		},
		/** Kills the server at once (SIGKILL: no shutdown, as in a power cut or an out-of-memory kill). */
		async crash() {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGKILL');
			await exited;
			db.close();
		}
	};
}
export type OwnServer = Awaited<ReturnType<typeof startOwnServer>>;
