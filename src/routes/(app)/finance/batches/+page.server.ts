import { requireRole } from '#lib/server/auth/guards.ts';
import { listBatches } from '#lib/server/payments/batches.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'finance');
	const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	return { batches: await listBatches(ctx, page) };
};
