import type { Ctx } from '../context.ts';
import { keptUntilChange } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { listCallsForStaffOrFinance } from '../calls/service.ts';
import { allFundFigures, recentlyPaid } from './service.ts';
import { listBatches } from './batches.ts';

/** How many of the newest payment files the finance page lists (the rest are on the files page). */
export const NEWEST_BATCHES = 5;

async function readOverview(ctx: Ctx) {
	const [figures, paid, calls, batches] = await Promise.all([allFundFigures(ctx), recentlyPaid(ctx), listCallsForStaffOrFinance(ctx), listBatches(ctx)]);
	return { figures, paid, calls, batches: batches.rows.slice(0, NEWEST_BATCHES) };
}

const keptOverview = keptUntilChange<Awaited<ReturnType<typeof readOverview>>>(1);

/**
 * What the finance page shows beside the queue — the funds' figures, recent payments, the calls
 * to filter by and the newest payment files — the same for everyone in finance: kept until the
 * next change (keptUntilChange). Refuses: forbidden.
 */
export async function financeOverview(ctx: Ctx) {
	requireRoleIn(ctx, ['finance']);
	return keptOverview(ctx, 'finance', () => readOverview(ctx));
}

/** The overview read afresh: what the kept one is checked against. */
export async function freshFinanceOverview(ctx: Ctx) {
	requireRoleIn(ctx, ['finance']);
	return readOverview(ctx);
}
