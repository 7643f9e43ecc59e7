// `npm run bench [-- --size 100000 --grants 50000 --seconds 10 --connections 10 --workers 1 --only NAME --soak SECONDS --sqld]`:
// builds Kvarter, seeds a scratch database at that size (kept in the system's temporary folder and
// reused while the code's migrations and the size stay the same), starts the production server with
// an event-loop monitor, signs in as each role and puts every heavy page under HTTP load
// (autocannon). Prints one table: requests per second, the ratio to the sign-in page in the same
// run, latency p50 / p99, errors, server CPU per request, the server's event-loop delay and its
// memory; then how `/healthz` answers while the open-data export and the largest ranking run.
// `--workers N` runs the server as `npm start` does with WORKERS=N (figures summed over them);
// `--soak S` then loads every page in turn for S seconds and reports the memory every 30 s.
// `--sqld` runs the server on a libSQL server on loopback instead of the file: the seeded file is
// backed up and restored into sqld once (`npm run backup`, `npm run restore`), and kept with it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import autocannon from 'autocannon';
import { startSqld } from './sqld.mjs';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : fallback;
};
const size = Number(option('size', '100000'));
const grantCount = Number(option('grants', '50000'));
const seconds = Number(option('seconds', '10'));
const connections = Number(option('connections', '10'));
const only = option('only', '');
const workers = Number(option('workers', '1'));
const soak = Number(option('soak', '0'));
const onSqld = args.includes('--sqld');
const PORT = 4195; // not 4190: fetch refuses that port (the Fetch standard's list of bad ports)
const origin = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'kvarter-demo-2026';

// 1. A scratch database at the asked size, reused while the migrations and the size are the same.
const migrations = readdirSync('drizzle').filter((f) => f.endsWith('.sql')).length;
const dir = join(tmpdir(), `kvarter-bench-${size}-${grantCount}-m${migrations}`);
const dbFile = join(dir, 'kvarter.db');
const env = { ...process.env, DATABASE_URL: `file:${dbFile}`, FILES_DIR: join(dir, 'files') };
if (!existsSync(join(dir, 'seeded'))) {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const started = Date.now();
	const seeded = spawnSync('node', ['--experimental-strip-types', 'scripts/cli.ts', 'seed', '--size', String(size), '--grants', String(grantCount)], { env, stdio: 'inherit' });
	if (seeded.status !== 0) process.exit(1);
	console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	spawnSync('touch', [join(dir, 'seeded')]);
}
let sqld: Awaited<ReturnType<typeof startSqld>> | undefined;
if (onSqld) {
	// The same data in a libSQL server: restored once from a backup of the file, then kept.
	sqld = await startSqld({ dir: join(dir, 'sqld'), port: 4196 });
	const served = { ...env, DATABASE_URL: sqld.url.replace('http:', 'ws:'), FILES_DIR: join(dir, 'sqld', 'files') };
	if (!existsSync(join(dir, 'sqld', 'restored'))) {
		const started = Date.now();
		rmSync(join(dir, 'backup'), { recursive: true, force: true });
		for (const [command, e] of [['backup', env], ['restore', served]] as const) {
			const r = spawnSync('node', ['--experimental-strip-types', 'scripts/cli.ts', command, join(dir, 'backup')], { env: e, stdio: 'inherit' });
			if (r.status !== 0) process.exit(1);
		}
		console.log(`restored into sqld in ${((Date.now() - started) / 1000).toFixed(0)} s`);
		spawnSync('touch', [join(dir, 'sqld', 'restored')]);
	}
	Object.assign(env, served);
	process.on('exit', () => void sqld?.stop());
}
const client = createClient({ url: `file:${dbFile}` });
const count = async (table: string) => Number((await client.execute(`select count(*) from ${table}`)).rows[0][0]);
console.log(
	`database ${dbFile}: ${(statSync(dbFile).size / 1e6).toFixed(0)} MB; ${await count('applications')} applications, ${await count('reviews')} reviews, ${await count('grants')} grants, ${await count('ledger_entries')} ledger rows`
);
const one = async (q: string) => String((await client.execute(q)).rows[0][0]);
const largestCall = await one('select call_id from applications group by call_id order by count(*) desc limit 1');
const aminasDraft = await one(`select a.id from applications a join users u on u.id = a.applicant_id where u.email = 'amina@kvarter.demo' and a.status = 'draft' limit 1`);
const aminasSent = await one(`select a.id from applications a join users u on u.id = a.applicant_id where u.email = 'amina@kvarter.demo' and a.status <> 'draft' limit 1`);
const project = await one(`select id from grants where status = 'active' order by created_at desc limit 1`);
const neighbourhood = await one('select id from neighbourhoods limit 1');
client.close();

// 2. The production server, with the event-loop monitor preloaded.
if (!existsSync('build/index.js')) throw new Error('build first: npm run build');
const loopFile = join(dir, 'loop.json');
// As `npm start` runs it: V8's heap capped (HEAP_MB, 384 MB unless set).
const server: ChildProcess = spawn('node', [`--max-old-space-size=${process.env.HEAP_MB || 384}`, '--import', './scripts/bench-loop.mjs', 'scripts/serve.mjs'], {
	env: { ...env, HOST: '127.0.0.1', PORT: String(PORT), ORIGIN: origin, PUBLIC_ORIGIN: origin, SEED_DEMO_DATA: 'false', BENCH_LOOP_FILE: loopFile, WORKERS: String(workers) },
	stdio: ['ignore', 'ignore', 'inherit']
});
process.on('exit', () => server.kill());
for (let tries = 0; ; tries++) {
	try {
		if ((await fetch(`${origin}/healthz`)).ok) break;
	} catch (err) {
		if (tries > 240) throw new Error('the server did not start', { cause: err });
		await new Promise((r) => setTimeout(r, 250));
	}
}
// The processes that answer: the server itself, or its workers (once all of them listen).
const children = () => readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
while (workers > 1 && children().length < workers) await new Promise((r) => setTimeout(r, 100));
const answering = workers > 1 ? children() : [server.pid!];
/** Whose CPU and memory count: the server, and its workers when it has them. */
const measured = workers > 1 ? [server.pid!, ...answering] : answering;
const proc = (pid: number, file: string) => readFileSync(`/proc/${pid}/${file}`, 'utf8');
const cpuMs = () =>
	measured.reduce((sum, pid) => {
		const f = proc(pid, 'stat').split(') ')[1].split(' ');
		return sum + (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in ticks of 10 ms
	}, 0);
const rssMb = () => Math.round(measured.reduce((sum, pid) => sum + Number(/VmRSS:\s+(\d+)/.exec(proc(pid, 'status'))![1]), 0) / 1024);
/** The event-loop delays since the last call (the worst of the workers): each writes them when signalled, as soon as its loop is free. */
const loop = async () => {
	const files = answering.map((pid) => `${loopFile}-${pid}`);
	for (const f of files) rmSync(f, { force: true });
	for (const pid of answering) process.kill(pid, 'SIGUSR2');
	for (let waited = 0; !files.every((f) => existsSync(f)); waited += 20) {
		// After a heavy page the server first answers the requests still queued (minutes for the largest ranking).
		if (waited > 900_000) throw new Error('the server did not report its event-loop delay');
		await new Promise((r) => setTimeout(r, 20));
	}
	await new Promise((r) => setTimeout(r, 20));
	const each = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as { p50: number; p99: number; max: number });
	return { p50: Math.max(...each.map((e) => e.p50)), p99: Math.max(...each.map((e) => e.p99)), max: Math.max(...each.map((e) => e.max)) };
};

async function signIn(email: string) {
	const res = await fetch(`${origin}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: PASSWORD, next: '/' })
	});
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kvarter_session='));
	if (!cookie) throw new Error(`could not sign in as ${email} (${res.status})`);
	return cookie.split(';')[0];
}
const as = {
	visitor: '',
	applicant: await signIn('amina@kvarter.demo'),
	reviewer: await signIn('reviewer@kvarter.demo'),
	officer: await signIn('officer@kvarter.demo'),
	finance: await signIn('finance@kvarter.demo')
};

// 3. The pages, each under load.
const pages: [string, string, keyof typeof as][] = [
	['sign-in', '/sign-in', 'visitor'],
	['calls (public)', '/calls', 'visitor'],
	['projects page 1', '/projects', 'visitor'],
	['projects deep page', '/projects?page=1000', 'visitor'],
	['projects search', '/projects?q=l%C3%A4xhj%C3%A4lp', 'visitor'],
	['projects filter', `/projects?neighbourhood=${neighbourhood}`, 'visitor'],
	['project page', `/projects/${project}`, 'visitor'],
	['statistics (public)', '/statistics', 'visitor'],
	['staff applications', '/staff/applications', 'officer'],
	['staff applications deep page', '/staff/applications?page=2000', 'officer'],
	['staff grants', '/staff/grants', 'officer'],
	['staff grants deep page', '/staff/grants?page=1000', 'officer'],
	['equity dashboard', '/staff/statistics', 'officer'],
	['to-do (officer)', '/todo', 'officer'],
	['finance', '/finance', 'finance'],
	['finance repayments', '/finance/repayments', 'finance'],
	['one application (applicant)', `/applications/${aminasSent}`, 'applicant'],
	['application form', `/applications/${aminasDraft}/edit`, 'applicant'],
	['my applications', '/applications', 'applicant'],
	['reviewer queue', '/reviews', 'reviewer'],
	['ranking of the largest call', `/staff/calls/${largestCall}/ranking`, 'officer'],
	['ranking of the largest call, deep page', `/staff/calls/${largestCall}/ranking?page=800`, 'officer'],
	['ranking of the largest call, normalised', `/staff/calls/${largestCall}/ranking?by=normalised&page=2`, 'officer']
];

interface Row { name: string; rps: number; p50: number; p99: number; errors: number; cpu: number; loop: { p99: number; max: number }; kb: number }
const rows: Row[] = [];
const rssBefore = rssMb();
for (const [name, path, who] of pages) {
	if (only && !name.includes(only) && name !== 'sign-in') continue;
	const headers: Record<string, string> = as[who] ? { cookie: as[who] } : {};
	const probe = await fetch(origin + path, { headers, redirect: 'manual' });
	const kb = (await probe.arrayBuffer()).byteLength / 1024;
	if (probe.status !== 200) console.log(`${name}: ${path} answers ${probe.status}`);
	await loop();
	const cpu0 = cpuMs();
	const r = await autocannon({ url: origin + path, connections, duration: seconds, headers, timeout: 60 });
	const cpu = cpuMs() - cpu0;
	const l = await loop();
	const errors = r.errors + r.timeouts + r.non2xx;
	rows.push({ name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors, cpu: r.requests.total ? cpu / r.requests.total : NaN, loop: l, kb });
	console.log(`${name}: ${r.requests.average.toFixed(1)} req/s, p99 ${r.latency.p99} ms, ${errors} errors`);
}
const rssAfter = rssMb();

// 4. /healthz while the open data (360Giving JSON) downloads and the largest ranking renders.
await loop();
const heavy = [
	fetch(`${origin}/open-data/360giving.json`).then((r) => r.arrayBuffer()),
	fetch(`${origin}/open-data/360giving.json`).then((r) => r.arrayBuffer()),
	fetch(`${origin}/staff/calls/${largestCall}/ranking?page=700`, { headers: { cookie: as.officer } }).then((r) => r.arrayBuffer())
];
const healthStarted = Date.now();
const health = await autocannon({ url: `${origin}/healthz`, connections: 1, duration: seconds, timeout: 60 });
const [json] = await Promise.all(heavy);
const healthSeconds = (Date.now() - healthStarted) / 1000;
const heavyLoop = await loop();

// 5. Writes while reads run: the applicant's draft saved over and over (what autosave does), at
// the same connections, while the staff list and the register are read at the same time.
const draftSave = new URLSearchParams([
	['title', 'Läxhjälp och fika i Centrum'],
	['summary', 'Läxhjälp två kvällar i veckan på biblioteket, med fika.'],
	['lineItem', 'Fika'],
	['lineCategory', 'food'],
	['lineAmount', '2000']
]).toString();
await loop();
const [writes, staffReads, registerReads] = await Promise.all([
	autocannon({ url: `${origin}/applications/${aminasDraft}/edit?/save`, method: 'POST', body: draftSave, headers: { cookie: as.applicant, origin, 'content-type': 'application/x-www-form-urlencoded' }, connections, duration: seconds, timeout: 60 }),
	autocannon({ url: `${origin}/staff/applications`, headers: { cookie: as.officer }, connections, duration: seconds, timeout: 60 }),
	autocannon({ url: `${origin}/projects`, connections, duration: seconds, timeout: 60 })
]);
const writeLoop = await loop();

// 6. With --soak SECONDS: every page above and the draft save, round and round, for that long;
// the server's memory every 30 s (is it bounded and flat?).
const soakRss: [number, number][] = [];
if (soak > 0) {
	const cycle = [
		...pages.map(([, path, who]) => ({ method: 'GET' as const, path, headers: as[who] ? { cookie: as[who] } : {} })),
		{ method: 'POST' as const, path: `/applications/${aminasDraft}/edit?/save`, body: draftSave, headers: { cookie: as.applicant, origin, 'content-type': 'application/x-www-form-urlencoded' } }
	];
	const started = Date.now();
	soakRss.push([0, rssMb()]);
	const sampler = setInterval(() => soakRss.push([Math.round((Date.now() - started) / 1000), rssMb()]), 30_000);
	const r = await autocannon({ url: origin, connections, duration: soak, requests: cycle, timeout: 60 });
	clearInterval(sampler);
	soakRss.push([Math.round((Date.now() - started) / 1000), rssMb()]);
	console.log(`soak: ${r.requests.total} requests, ${r.errors + r.timeouts + r.non2xx} errors`);
}

// 7. The table.
const base = rows[0].rps;
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—');
console.log(`\nMachine: ${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${workers} server process${workers > 1 ? 'es' : ''}; ${connections} connections, ${seconds} s per page.\n`);
console.log('| page | req/s | ratio to sign-in | p50 ms | p99 ms | errors | server CPU ms/request | loop delay p99 / max ms | KB |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.rps, 1)} | ${fmt(r.rps / base, 3)} | ${r.p50} | ${r.p99} | ${r.errors} | ${fmt(r.cpu, 1)} | ${r.loop.p99} / ${r.loop.max} | ${fmt(r.kb)} |`);
console.log(`\nServer memory (RSS): ${rssBefore} MB before the pages, ${rssAfter} MB after.`);
console.log(
	`/healthz while two downloads of the 360Giving JSON (${(json.byteLength / 1e6).toFixed(0)} MB each) and the largest ranking ran (${healthSeconds.toFixed(0)} s): ` +
		`${health.requests.total} answers, p50 ${health.latency.p50} ms, p99 ${health.latency.p99} ms, max ${health.latency.max} ms, ${health.errors + health.timeouts + health.non2xx} errors; ` +
		`event-loop delay p99 ${heavyLoop.p99} ms, max ${heavyLoop.max} ms.`
);
console.log(
	`Writes under read load (${connections} connections each): draft saves ${writes.requests.average.toFixed(1)} req/s, p99 ${writes.latency.p99} ms, ${writes.errors + writes.timeouts + writes.non2xx} errors, ` +
		`while the staff list answered ${staffReads.requests.average.toFixed(1)} req/s (${staffReads.errors + staffReads.timeouts + staffReads.non2xx} errors) and the register ${registerReads.requests.average.toFixed(1)} req/s (${registerReads.errors + registerReads.timeouts + registerReads.non2xx} errors); ` +
		`event-loop delay p99 ${writeLoop.p99} ms, max ${writeLoop.max} ms.`
);
if (soakRss.length) console.log(`Memory (RSS) during ${soak} s of every page and draft saves in turn (${connections} connections): ${soakRss.map(([t, mb]) => `${t} s ${mb} MB`).join(', ')}.`);
// The server first (it finishes what it was answering), then the database it was answering from.
const exited = new Promise((r) => server.once('exit', r));
server.kill();
await exited;
await sqld?.stop();
process.exit(0);
