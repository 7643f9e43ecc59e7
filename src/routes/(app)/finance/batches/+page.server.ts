import { requireRole } from '#lib/server/auth/guards.ts';
import { listBatches } from '#lib/server/payments/batches.ts';
import type { PageServerLoad } from './$types';
import { pageQ, readQuery } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'finance');
	const { page } = readQuery(event.url, { page: pageQ });
	return { batches: await listBatches(ctx, page) };
};
