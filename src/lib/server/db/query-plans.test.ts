import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../testing/db.ts';
import type { Actor, Ctx } from '../context.ts';
import { seedDemo } from '../seed/demo.ts';
import { actorByEmail, seedGrants } from '../seed/grants.ts';
import { scaleCall, seedApplicationsAtScale, seedGrantsAtScale, seedReviewsAtScale } from '../seed/scale.ts';
import { listPublicCalls, listCallsForStaff, listCallsForStaffOrFinance, listFunds } from '../calls/service.ts';
import { listPublicProjects, publicCallOutcomes, registerYears } from '../transparency/register.ts';
import { publicStatistics } from '../transparency/statistics.ts';
import { staffDashboard } from '../transparency/dashboard.ts';
import { listApplicationsForStaff, listMyApplications } from '../applications/service.ts';
import { listGrantsForStaff } from '../grants/service.ts';
import { allFundFigures, dueTranches, overpaymentsToRefund, recentlyPaid, repaymentsOwed } from '../payments/service.ts';
import { listBatches } from '../payments/batches.ts';
import { myQueue } from '../reviews/service.ts';
import { rankCall, RANKING_PAGE_SIZE } from '../reviews/ranking.ts';
import { todoCount, todoFor } from '../todo/service.ts';
import { listNeighbourhoods } from '../neighbourhoods/service.ts';

/**
 * Every query of every list page, explained (EXPLAIN QUERY PLAN) on a database with thousands of
 * rows: none may read a whole large table. What a page's work costs at 100 000 is measured by
 * `npm run bench`; this test keeps a missing index from coming back.
 */
const LARGE = ['applications', 'application_scores', 'reviews', 'review_scores', 'review_assignments', 'grants', 'payment_tranches', 'ledger_entries', 'audit_events', 'users', 'organisations', 'organisation_members', 'budget_lines', 'application_neighbourhoods', 'application_messages', 'reports', 'milestones', 'payout_accounts', 'sessions', 'email_outbox'];

let db: TestDb;
const as: Record<string, Actor> = {};
beforeAll(async () => {
	db = await createTestDb();
	await seedDemo(db.database);
	await seedGrants(db.database, db.config);
	await seedApplicationsAtScale(db.database, 2000);
	await seedGrantsAtScale(db.database, 1000);
	await seedReviewsAtScale(db.database, 3);
	for (const who of ['officer', 'finance', 'reviewer', 'amina']) as[who] = await actorByEmail(db.database, `${who}@kvarter.demo`);
}, 300_000);
afterAll(() => db.cleanup());

/** Runs `work` and returns each distinct statement it sent to the database, with its arguments. */
async function statementsOf(work: (ctx: Ctx) => Promise<unknown>, actor: Actor | null) {
	const client = db.database.client;
	const seen = new Map<string, unknown[]>();
	const original = client.execute.bind(client);
	client.execute = ((stmt: string | { sql: string; args?: unknown[] }) => {
		const sql = typeof stmt === 'string' ? stmt : stmt.sql;
		if (!seen.has(sql)) seen.set(sql, typeof stmt === 'string' ? [] : ((stmt.args as unknown[]) ?? []));
		return original(stmt as never);
	}) as typeof client.execute;
	try {
		await work(db.ctx(actor));
	} finally {
		client.execute = original;
	}
	return [...seen];
}

/**
 * The plan's steps that read a whole large table: a SCAN without an index to narrow it — unless
 * the statement stops after a page (a LIMIT, with the rows coming in the asked order, so no sort
 * of all of them first), which reads only as far as the page.
 */
async function fullScans(sql: string, args: unknown[]) {
	const plan = (await db.database.client.execute({ sql: `explain query plan ${sql}`, args: args as never })).rows.map((r) => String(r.detail));
	const stopsEarly = /\slimit\s+\?(\s+offset\s+\?)?\s*$/i.test(sql) && !plan.some((d) => d.startsWith('USE TEMP B-TREE FOR ORDER BY'));
	return plan.filter((d) => {
		const m = /^SCAN (\w+)(?: AS \w+)?(.*)$/.exec(d);
		return m && LARGE.includes(m[1]) && !/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(m[2]) && !stopsEarly;
	});
}

const PAGES: [string, string | null, (ctx: Ctx) => Promise<unknown>][] = [
	['/calls', null, (ctx) => Promise.all([listPublicCalls(ctx), publicCallOutcomes(ctx.database.db)])],
	['/projects', null, (ctx) => Promise.all([listPublicProjects(ctx.database.db, { page: 1 }), listPublicProjects(ctx.database.db, { page: 40 }), registerYears(ctx.database.db), listNeighbourhoods(ctx)])],
	['/projects?q=', null, (ctx) => listPublicProjects(ctx.database.db, { q: 'läxhjälp' })],
	['/statistics', null, (ctx) => publicStatistics(ctx.database.db, {})],
	['/staff/applications', 'officer', (ctx) => Promise.all([listApplicationsForStaff(ctx, { page: 1 }), listApplicationsForStaff(ctx, { page: 50 }), listApplicationsForStaff(ctx, { q: 'schack' }), listCallsForStaff(ctx)])],
	['/staff/grants', 'officer', (ctx) => Promise.all([listGrantsForStaff(ctx, { page: 1 }), listGrantsForStaff(ctx, { page: 30 }), listGrantsForStaff(ctx, { overdue: true })])],
	['/staff/statistics', 'officer', (ctx) => Promise.all([staffDashboard(ctx, {}), listFunds(ctx)])],
	['/staff/calls/…/ranking', 'officer', async (ctx) => {
		const id = (await scaleCall(db.database)).id;
		const first = await rankCall(ctx, id, 'raw', { pageSize: RANKING_PAGE_SIZE, top: 3 });
		return Promise.all([rankCall(ctx, id, 'raw', { page: 7, pageSize: RANKING_PAGE_SIZE, selected: [first.rows[0].id] }), rankCall(ctx, id, 'normalised', { page: 2, pageSize: RANKING_PAGE_SIZE })]);
	}],
	['/todo (officer)', 'officer', (ctx) => Promise.all([todoFor(ctx), todoCount(ctx)])],
	['/finance', 'finance', (ctx) => Promise.all([dueTranches(ctx, {}), allFundFigures(ctx), recentlyPaid(ctx), listCallsForStaffOrFinance(ctx), listBatches(ctx)])],
	['/finance/repayments', 'finance', (ctx) => Promise.all([repaymentsOwed(ctx), overpaymentsToRefund(ctx)])],
	['/todo (finance)', 'finance', (ctx) => todoFor(ctx)],
	['/reviews', 'reviewer', (ctx) => Promise.all([myQueue(ctx), todoFor(ctx)])],
	['/applications', 'amina', (ctx) => Promise.all([listMyApplications(ctx), todoFor(ctx)])]
];

describe('list pages at size read no large table whole', () => {
	for (const [page, who, work] of PAGES) {
		it(page, async () => {
			const statements = await statementsOf(work, who ? as[who] : null);
			expect(statements.length).toBeGreaterThan(0);
			const scans: string[] = [];
			for (const [sql, args] of statements) for (const s of await fullScans(sql, args)) scans.push(`${s}  ←  ${sql.slice(0, 300)}`);
			expect(scans).toEqual([]);
		});
	}
});
