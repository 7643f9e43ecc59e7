import { requireRole } from '#lib/server/auth/guards.ts';
import { listGrantsForStaff } from '#lib/server/grants/service.ts';
import { listCallsForStaff } from '#lib/server/calls/service.ts';
import { listNeighbourhoods } from '#lib/server/neighbourhoods/service.ts';
import { GRANT_STATUSES, type GrantStatus } from '#lib/domain.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const p = event.url.searchParams;
	const status = p.get('status');
	const filter = {
		callId: p.get('call')?.slice(0, 100) || undefined,
		status: status && (GRANT_STATUSES as readonly string[]).includes(status) ? (status as GrantStatus) : undefined,
		neighbourhoodId: p.get('neighbourhood')?.slice(0, 100) || undefined,
		overdue: p.get('overdue') === 'on',
		page: Math.max(1, Number.parseInt(p.get('page') ?? '1', 10) || 1)
	};
	const [grants, calls, neighbourhoods] = await Promise.all([listGrantsForStaff(ctx, filter), listCallsForStaff(ctx), listNeighbourhoods(ctx)]);
	return { grants, calls, neighbourhoods, filter };
};
