import { requireRole } from '#lib/server/auth/guards.ts';
import { fundFiguresCsv } from '#lib/server/payments/service.ts';
import type { RequestHandler } from './$types';

/** The funds' figures, computed from the ledger, as CSV. */
export const GET: RequestHandler = async (event) => {
	const ctx = requireRole(event, 'finance', 'officer', 'admin');
	return new Response(await fundFiguresCsv(ctx), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="kvarter-funds.csv"', 'cache-control': 'no-store' }
	});
};
