import { expect, test, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import { routeTree, type Route } from './route-tree.ts';
import { startOwnServer, type OwnServer } from './own-server.ts';
import { DEMO_PASSWORD } from './helpers.ts';

/**
 * Hostile input against the production build, on a server and database of its own:
 * 1. the route × role matrix — every page, endpoint and form action, read from the route tree,
 *    tried anonymously and as every role on someone else's object, answers as written below;
 * 2. fuzzing — at least 10 000 requests with bad values in every field of every action and every
 *    query parameter never answer 5xx, refusals carry a message, and a refused request changes
 *    nothing in the database. A failure prints fast-check's seed; FUZZ_SEED replays it.
 */
const ROLES = ['anonymous', 'applicant', 'reviewer', 'officer', 'finance', 'admin'] as const;
type Role = (typeof ROLES)[number];
const EMAILS: Record<Exclude<Role, 'anonymous'>, string> = {
	applicant: 'amina@kvarter.demo',
	reviewer: 'reviewer@kvarter.demo',
	officer: 'officer@kvarter.demo',
	finance: 'finance@kvarter.demo',
	admin: 'admin@kvarter.demo'
};

let server: OwnServer;
const as = {} as Record<Role, APIRequestContext>;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
	test.setTimeout(180_000);
	server = await startOwnServer('hostile', 4175);
	for (const role of ROLES) {
		as[role] = await playwright.request.newContext({ baseURL: server.origin, maxRedirects: 0, extraHTTPHeaders: { 'x-forwarded-for': '10.9.0.1', accept: 'text/html' } });
		if (role === 'anonymous') continue;
		const res = await as[role].post('/sign-in', { form: { email: EMAILS[role], password: DEMO_PASSWORD, next: '/' } });
		expect(res.status(), `sign-in as ${role}`).toBe(303);
	}
});

test.afterAll(async () => {
	for (const r of ROLES) await as[r]?.dispose();
	await server?.stop();
});

const one = async (sql: string, args: (string | number)[] = []) => {
	const rs = await server.db.execute({ sql, args });
	return rs.rows[0] ? String(Object.values(rs.rows[0])[0]) : crypto.randomUUID();
};
const userId = (email: string) => one('select id from users where email = ?', [email]);

/** Someone else's object for each route parameter (not the applicant's, not the reviewer's). */
async function othersIds(): Promise<Record<string, string>> {
	const joost = await userId('joost@kvarter.demo');
	const ruben = await userId('ruben@kvarter.demo');
	const app = await one("select id from applications where applicant_id = ? and status <> 'draft' order by id limit 1", [joost]);
	const grant = await one('select g.id from grants g join applications a on a.id = g.application_id where a.applicant_id = ? limit 1', [joost]);
	return {
		'/applications/[id]': app,
		'/applications/[id]/files/[fileId]': await one('select id from attachments where application_id = ?', [app]),
		'/staff/applications/[id]': app,
		'/grants/[id]': grant,
		'/grants/[id]/reports/[milestoneId]': await one('select id from milestones where grant_id = ? order by position limit 1', [grant]),
		'/grants/[id]/reports/[milestoneId]/files/[fileId]': await one('select id from report_files limit 1'),
		'/projects/[id]': grant,
		'/calls/[id]': await one("select id from calls where status = 'published' limit 1"),
		'/staff/calls/[id]': await one('select id from calls limit 1'),
		'/staff/funds/[id]': await one('select id from funds limit 1'),
		'/finance/batches/[id]': await one('select id from payment_batches limit 1'),
		'/admin/outbox/[id]': await one('select id from email_outbox limit 1'),
		'/admin/users/[id]': joost,
		'/organisations/[id]': await one("select organisation_id from organisation_members where user_id = ? and role = 'owner' limit 1", [joost]),
		'/reviews/[id]': await one('select id from review_assignments where reviewer_id = ? limit 1', [ruben]),
		'/reviews/[id]/files/[fileId]': await one('select id from attachments limit 1')
	};
}

/** The address of a route with its parameters filled from `ids` (each parameter by the route's own entry). */
function urlOf(route: Route, ids: Record<string, string>): string {
	let path = route.pattern;
	for (const p of route.params) {
		const prefix = route.pattern.slice(0, route.pattern.indexOf(`[${p}]`) + p.length + 2);
		const key = Object.keys(ids).find((k) => k === route.pattern) ?? prefix;
		const value = p === route.params[0] ? (ids[prefix] ?? ids[key]) : ids[key];
		path = path.replace(`[${p}]`, encodeURIComponent(value ?? 'none'));
	}
	return path;
}

test('every route, action and endpoint answers each role as the matrix says, on someone else’s object', async () => {
	test.setTimeout(300_000);
	const ids = await othersIds();
	const actual: Record<string, string> = {};
	// Signing out ends the sessions the other rows use: it goes last. Stripe's webhook has its own signature tests.
	const routes = routeTree().sort((a, b) => Number(a.pattern === '/sign-out') - Number(b.pattern === '/sign-out'));
	for (const route of routes) {
		if (route.pattern === '/stripe/webhook') continue;
		const url = urlOf(route, ids);
		const tries: [string, (c: APIRequestContext) => Promise<number>][] = [];
		if (route.page || route.methods.includes('GET') || !route.methods.length) tries.push(['GET', async (c) => (await c.get(url)).status()]);
		for (const a of route.actions) tries.push([a, async (c) => (await c.post(a === 'default' ? url : `${url}?/${a}`, { form: {} })).status()]);
		for (const m of route.methods.filter((m) => m !== 'GET')) tries.push([m, async (c) => (await c.fetch(url, { method: m, form: {} })).status()]);
		for (const [what, go] of tries) {
			const codes: number[] = [];
			for (const role of ROLES) codes.push(await go(as[role]));
			actual[`${route.pattern} ${what}`] = codes.join(' ');
		}
	}
	// A route, action or endpoint without a line in the matrix fails here: add its line (the actual table is printed).
	if (Object.keys(actual).some((k) => MATRIX[k] !== actual[k])) console.log(JSON.stringify(actual, null, '\t'));
	expect(Object.keys(actual).filter((k) => !(k in MATRIX)), 'routes missing from MATRIX').toEqual([]);
	expect(Object.keys(MATRIX).filter((k) => !(k in actual)), 'MATRIX lines for routes that no longer exist').toEqual([]);
	const wrong = Object.entries(actual).filter(([k, v]) => MATRIX[k] !== v).map(([k, v]) => `${k}: expected ${MATRIX[k]}, got ${v}`);
	expect(wrong).toEqual([]);
});

/** The role that may use a route, so fuzzing reaches its validation rather than a refusal at the door. */
function actorFor(route: Route): Role {
	const p = route.pattern;
	if (p.startsWith('/admin')) return 'admin';
	if (p.startsWith('/staff')) return 'officer';
	if (p.startsWith('/finance')) return 'finance';
	if (p.startsWith('/reviews')) return 'reviewer';
	if (['/sign-in', '/sign-up', '/forgot-password', '/reset-password', '/verify-email'].includes(p)) return 'anonymous';
	return 'applicant';
}

/** Each role's own objects (the applicant's application and grant, the reviewer's assignment…). */
async function ownIds(): Promise<Record<string, string>> {
	const amina = await userId('amina@kvarter.demo');
	const fatima = await userId('reviewer@kvarter.demo');
	const app = await one("select id from applications where applicant_id = ? order by status = 'draft' desc, id limit 1", [amina]);
	const grant = await one('select g.id from grants g join applications a on a.id = g.application_id where a.applicant_id = ? limit 1', [amina]);
	const staffApp = await one("select id from applications where status in ('submitted', 'in_review') limit 1");
	return {
		'/applications/[id]': app,
		'/applications/[id]/files/[fileId]': await one('select id from attachments where application_id = ?', [app]),
		'/grants/[id]': grant,
		'/grants/[id]/reports/[milestoneId]': await one('select id from milestones where grant_id = ? order by position limit 1', [grant]),
		'/grants/[id]/reports/[milestoneId]/files/[fileId]': await one('select id from report_files limit 1'),
		'/projects/[id]': grant,
		'/calls/[id]': await one("select id from calls where status = 'published' limit 1"),
		'/staff/applications/[id]': staffApp,
		'/staff/calls/[id]': await one('select call_id from applications where id = ?', [staffApp]),
		'/staff/funds/[id]': await one('select id from funds limit 1'),
		'/finance/batches/[id]': await one('select id from payment_batches limit 1'),
		'/admin/outbox/[id]': await one('select id from email_outbox limit 1'),
		'/admin/users/[id]': await userId('joost@kvarter.demo'),
		'/organisations/[id]': await one("select organisation_id from organisation_members where user_id = ? and role = 'owner' limit 1", [amina]),
		'/reviews/[id]': await one('select id from review_assignments where reviewer_id = ? and released_at is null limit 1', [fatima]),
		'/reviews/[id]/files/[fileId]': await one('select id from attachments limit 1')
	};
}

/** Values no form expects: huge and odd numbers, control characters, markup, formulas, paths, long and empty text. */
const badValue = fc.oneof(
	fc.constantFrom('', ' ', '9223372036854775808', '9007199254740993', '-1', '-0', '1e309', 'NaN', 'Infinity', '0x10', '1,5', '½', '٣', '\u0000', 'a\u0000b', '\u202e', '\ud800', '<script>alert(1)</script>', '=HYPERLINK("http://evil")', '+1', '@SUM(A1)', '../../etc/passwd', '//evil.example', '/\t/evil.example', 'javascript:alert(1)', 'true', 'on', 'null', '[]', '{}', '2026-02-30', '99999-12-31'),
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.integer().map(String),
	fc.constant('x'.repeat(5_000))
);

interface Shot {
	route: Route;
	kind: 'action' | 'get';
	action: string;
	fields: [string, string][];
	encoding: 'form' | 'multipart' | 'text' | 'broken' | 'repeat';
}

test('at least 10 000 requests with bad values never answer 5xx, and refused ones change nothing', async () => {
	test.setTimeout(600_000);
	const ids = await ownIds();
	const routes = routeTree().filter((r) => r.pattern !== '/sign-out' && r.pattern !== '/stripe/webhook');
	// Field names: what the route's code reads, what its page renders, and the usual query parameters.
	const names = new Map<string, string[]>();
	for (const r of routes) {
		const html = r.page ? await (await as[actorFor(r)].get(urlOf(r, ids))).text() : '';
		const rendered = [...html.matchAll(/\bname="([\w-]+)"/g)].map((m) => m[1]);
		names.set(r.pattern, [...new Set([...r.fields, ...rendered, 'page', 'q', 'status', 'year', 'id', 'amount', 'next'])]);
	}
	const withActions = routes.filter((r) => r.actions.length || r.methods.some((m) => m !== 'GET'));
	const shot: fc.Arbitrary<Shot> = fc
		.record({ route: fc.constantFrom(...routes), pickAction: fc.nat(), get: fc.boolean(), encoding: fc.constantFrom('form', 'form', 'form', 'multipart', 'text', 'broken', 'repeat') as fc.Arbitrary<Shot['encoding']>, values: fc.array(fc.tuple(fc.nat(), badValue), { minLength: 1, maxLength: 6 }) })
		.map(({ route, pickAction, get, encoding, values }) => {
			const r = get || !withActions.includes(route) ? route : route;
			const actions = [...r.actions, ...r.methods.filter((m) => m !== 'GET')];
			const kind: Shot['kind'] = get || !actions.length ? 'get' : 'action';
			const fieldNames = names.get(r.pattern)!;
			return { route: r, kind, action: actions[pickAction % Math.max(1, actions.length)] ?? '', encoding, fields: values.map(([i, v]) => [fieldNames[i % fieldNames.length], v] as [string, string]) };
		});

	const fingerprint = async () => {
		const rs = await server.db.execute(
			"select (select count(*) from audit_events where action not like 'auth.%') || '/' || (select count(*) from ledger_entries) || '/' || (select count(*) from applications) || '/' || (select count(*) from grants) as f"
		);
		return String(rs.rows[0].f);
	};

	let sent = 0;
	let ip = 0;
	const send = async (s: Shot) => {
		const c = as[actorFor(s.route)];
		const base = urlOf(s.route, ids);
		const headers = { 'x-forwarded-for': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}`, accept: 'text/html' };
		sent++;
		if (s.kind === 'get') {
			const q = new URLSearchParams(s.fields);
			return c.get(`${base}?${q}`, { headers });
		}
		const url = /^[A-Z]+$/.test(s.action) ? base : s.action === 'default' ? base : `${base}?/${s.action}`;
		const method = /^[A-Z]+$/.test(s.action) ? s.action : 'POST';
		if (s.encoding === 'multipart') return c.fetch(url, { method, headers, multipart: Object.fromEntries(s.fields) });
		if (s.encoding === 'text') return c.fetch(url, { method, headers: { ...headers, 'content-type': 'text/plain' }, data: s.fields.map(([k, v]) => `${k}=${v}`).join('\n') });
		if (s.encoding === 'broken') return c.fetch(url, { method, headers: { ...headers, 'content-type': 'multipart/form-data; boundary=xyz' }, data: `--xyz\r\nContent-Disposition: form-data; name="${s.fields[0][0]}"\r\n\r\n${s.fields[0][1]}` });
		const body = new URLSearchParams(s.fields);
		if (s.encoding === 'repeat') for (let i = 0; i < 1500; i++) body.append(s.fields[0][0], s.fields[0][1]);
		return c.fetch(url, { method, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, data: body.toString() });
	};

	const started = Date.now();
	await fc.assert(
		fc.asyncProperty(fc.array(shot, { minLength: 8, maxLength: 8 }), async (batch) => {
			const before = await fingerprint();
			const answers = await Promise.all(batch.map(send));
			for (const [i, res] of answers.entries()) {
				const what = `${batch[i].kind} ${batch[i].route.pattern} ${batch[i].action} (${batch[i].encoding}) ${JSON.stringify(batch[i].fields).slice(0, 300)}`;
				expect(res.status(), what).toBeLessThan(500);
				// Node's HTTP layer refuses an address or headers that are too long (414/431) before the portal sees them.
				if (res.status() >= 400 && ![413, 414, 431].includes(res.status())) expect((await res.text()).length, `a refusal says why: ${what}`).toBeGreaterThan(0);
			}
			// A batch that was refused throughout changed nothing.
			if (answers.every((r) => r.status() >= 400)) expect(await fingerprint()).toBe(before);
		}),
		{ numRuns: 1250, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined, endOnFailure: true }
	);
	console.log(`fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	expect(sent).toBeGreaterThanOrEqual(10_000);
	expect(server.stderr()).not.toMatch(/\[error [0-9a-f]{8}\]/);
});

/** The route × role matrix: anonymous, applicant, reviewer, officer, finance, admin — on someone else's object. */
const MATRIX: Record<string, string> = {
"/ GET": "200 200 200 200 200 200",
	"/accessibility GET": "200 200 200 200 200 200",
	"/contact GET": "200 200 200 200 200 200",
	"/privacy GET": "200 200 200 200 200 200",
	"/todo GET": "303 200 200 200 200 200",
	"/account GET": "303 200 200 200 200 200",
	"/account profile": "303 400 400 400 400 400",
	"/account password": "303 400 400 400 400 400",
	"/account email": "303 400 400 400 400 400",
	"/account digest": "303 200 200 200 200 200",
	"/account/confirm-email GET": "200 200 200 200 200 200",
	"/account/confirm-email default": "400 400 400 400 400 400",
	"/admin GET": "303 403 403 403 403 303",
	"/admin/audit GET": "303 403 403 403 403 200",
	"/admin/outbox GET": "303 403 403 403 403 200",
	"/admin/outbox/[id] GET": "303 403 403 403 403 200",
	"/admin/users GET": "303 403 403 403 403 200",
	"/admin/users/[id] GET": "303 403 403 403 403 200",
	"/admin/users/[id] grant": "303 403 403 403 403 400",
	"/admin/users/[id] revoke": "303 403 403 403 403 400",
	"/admin/users/[id] disable": "303 403 403 403 403 200",
	"/admin/users/[id] enable": "303 403 403 403 403 200",
	"/applications GET": "303 200 200 200 200 200",
	"/applications/[id] GET": "303 404 404 200 404 200",
	"/applications/[id] message": "303 404 404 400 404 400",
	"/applications/[id] withdraw": "303 404 404 403 404 403",
	"/applications/[id]/edit GET": "303 404 404 303 404 303",
	"/applications/[id]/edit save": "303 404 404 404 404 404",
	"/applications/[id]/edit submit": "303 404 404 404 404 404",
	"/applications/[id]/edit upload": "303 404 404 404 404 404",
	"/applications/[id]/edit remove": "303 404 404 404 404 404",
	"/applications/[id]/files/[fileId] GET": "303 404 404 404 404 404",
	"/calls GET": "200 200 200 200 200 200",
	"/calls/[id] GET": "200 200 200 200 200 200",
	"/calls/[id]/apply GET": "303 200 200 200 200 200",
	"/calls/[id]/apply default": "303 409 409 409 409 409",
	"/finance GET": "303 403 403 403 200 403",
	"/finance pay": "303 403 403 403 400 403",
	"/finance approve": "303 403 403 403 404 403",
	"/finance stripe": "303 403 403 403 404 403",
	"/finance failed": "303 403 403 403 400 403",
	"/finance batch": "303 403 403 403 400 403",
	"/finance/batches GET": "303 403 403 403 200 403",
	"/finance/batches/[id] GET": "303 403 403 403 404 403",
	"/finance/batches/[id] sent": "303 403 403 403 404 403",
	"/finance/batches/[id] cancel": "303 403 403 403 404 403",
	"/finance/batches/[id] settle": "303 403 403 403 404 403",
	"/finance/batches/[id]/file GET": "303 403 403 403 404 403",
	"/finance/funds.csv GET": "303 403 403 200 200 200",
	"/finance/repayments GET": "303 403 403 403 200 403",
	"/finance/repayments repay": "303 403 403 403 400 403",
	"/forgot-password GET": "200 200 200 200 200 200",
	"/forgot-password default": "400 400 400 400 400 400",
	"/grants GET": "303 200 200 200 200 200",
	"/grants/[id] GET": "303 404 404 200 200 200",
	"/grants/[id] accept": "303 404 404 400 400 400",
	"/grants/[id] decline": "303 404 404 403 403 403",
	"/grants/[id] payout": "303 404 404 400 400 400",
	"/grants/[id] confirm": "303 404 404 400 400 400",
	"/grants/[id] milestones": "303 404 404 400 400 400",
	"/grants/[id] cancel": "303 404 404 400 400 400",
	"/grants/[id] waive": "303 404 404 400 400 400",
	"/grants/[id] writeoff": "303 404 404 400 400 400",
	"/grants/[id] writeoffDecision": "303 404 404 400 400 400",
	"/grants/[id] close": "303 404 404 409 403 409",
	"/grants/[id]/repay POST": "303 404 404 404 404 404",
	"/grants/[id]/reports/[milestoneId] GET": "303 404 404 200 200 200",
	"/grants/[id]/reports/[milestoneId] save": "303 404 404 403 403 403",
	"/grants/[id]/reports/[milestoneId] submit": "303 404 404 403 403 403",
	"/grants/[id]/reports/[milestoneId] upload": "303 404 404 403 403 403",
	"/grants/[id]/reports/[milestoneId] review": "303 404 404 400 400 400",
	"/grants/[id]/reports/[milestoneId]/files/[fileId] GET": "303 404 404 404 404 404",
	"/grants/[id]/stripe GET": "303 303 303 303 303 303",
	"/grants/[id]/stripe POST": "303 404 404 404 404 404",
	"/healthz GET": "200 200 200 200 200 200",
	"/healthz POST": "200 200 200 200 200 200",
	"/open-data GET": "200 200 200 200 200 200",
	"/open-data/360giving.csv GET": "200 200 200 200 200 200",
	"/open-data/360giving.json GET": "200 200 200 200 200 200",
	"/organisations GET": "303 200 200 200 200 200",
	"/organisations default": "303 400 400 400 400 400",
	"/organisations/[id] GET": "303 404 404 404 404 404",
	"/organisations/[id] update": "303 404 404 404 404 404",
	"/organisations/[id] invite": "303 404 404 404 404 404",
	"/organisations/join GET": "303 200 200 200 200 200",
	"/organisations/join default": "303 400 400 400 400 400",
	"/organisations/request GET": "303 200 200 200 200 200",
	"/organisations/request default": "303 400 400 400 400 400",
	"/projects GET": "200 200 200 200 200 200",
	"/projects/[id] GET": "200 200 200 200 200 200",
	"/reset-password GET": "200 200 200 200 200 200",
	"/reset-password default": "400 400 400 400 400 400",
	"/reviews GET": "303 403 200 403 403 403",
	"/reviews/[id] GET": "303 403 404 403 403 403",
	"/reviews/[id] declare": "303 403 404 403 403 403",
	"/reviews/[id] save": "303 403 404 403 403 403",
	"/reviews/[id] submit": "303 403 404 403 403 403",
	"/reviews/[id]/files/[fileId] GET": "303 403 404 403 403 403",
	"/reviews/ties GET": "303 403 200 403 403 403",
	"/reviews/ties add": "303 403 400 403 403 403",
	"/reviews/ties remove": "303 403 200 403 403 403",
	"/sign-in GET": "200 303 303 303 303 303",
	"/sign-in default": "400 303 303 303 303 303",
	"/sign-up GET": "200 303 303 303 303 303",
	"/sign-up default": "400 303 303 303 303 303",
	"/staff GET": "303 403 403 303 403 303",
	"/staff/applications GET": "303 403 403 200 403 200",
	"/staff/applications/[id] GET": "303 403 403 200 403 200",
	"/staff/applications/[id] verify": "303 403 403 409 403 409",
	"/staff/applications/[id] screen": "303 403 403 400 403 400",
	"/staff/applications/[id] assign": "303 403 403 409 403 409",
	"/staff/applications/[id] unassign": "303 403 403 404 403 404",
	"/staff/applications/[id] reverse": "303 403 403 400 403 400",
	"/staff/applications/[id] message": "303 403 403 400 403 400",
	"/staff/calls/[id] GET": "303 403 403 200 403 200",
	"/staff/calls/[id] save": "303 403 403 400 403 400",
	"/staff/calls/[id] publish": "303 403 403 200 403 200",
	"/staff/calls/[id]/ranking GET": "303 403 403 200 403 200",
	"/staff/calls/[id]/ranking decide": "303 403 403 400 403 400",
	"/staff/calls/[id]/review GET": "303 403 403 200 403 200",
	"/staff/calls/[id]/review appoint": "303 403 403 400 403 400",
	"/staff/calls/[id]/review dismiss": "303 403 403 200 403 200",
	"/staff/calls/[id]/review auto": "303 403 403 200 403 200",
	"/staff/funds GET": "303 403 403 200 403 200",
	"/staff/funds default": "303 403 403 400 403 400",
	"/staff/funds/[id] GET": "303 403 403 200 403 200",
	"/staff/funds/[id] default": "303 403 403 400 403 400",
	"/staff/funds/[id]/new-call GET": "303 403 403 200 403 200",
	"/staff/funds/[id]/new-call save": "303 403 403 400 403 400",
	"/staff/grants GET": "303 403 403 200 403 200",
	"/staff/neighbourhoods GET": "303 403 403 200 403 200",
	"/staff/neighbourhoods create": "303 403 403 400 403 400",
	"/staff/neighbourhoods update": "303 403 403 400 403 400",
	"/staff/organisations GET": "303 403 403 200 403 200",
	"/staff/organisations default": "303 403 403 400 403 400",
	"/staff/statistics GET": "303 403 403 200 403 200",
	"/statistics GET": "200 200 200 200 200 200",
	"/verify-email GET": "200 200 200 200 200 200",
	"/verify-email default": "400 400 400 400 400 400",
	"/sign-out GET": "303 303 303 303 303 303",
	"/sign-out default": "303 303 303 303 303 303"
};
