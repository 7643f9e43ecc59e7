import { requireRole } from '#lib/server/auth/guards.ts';
import { listApplicationsForStaff, type StaffListFilter } from '#lib/server/applications/service.ts';
import { listCallsForStaff } from '#lib/server/calls/service.ts';
import { listNeighbourhoods } from '#lib/server/neighbourhoods/service.ts';
import { APPLICANT_KINDS, APPLICATION_STATUSES } from '#lib/domain.ts';
import type { PageServerLoad } from './$types';

const oneOf = <T extends string>(list: readonly T[], v: string | null) => (v && (list as readonly string[]).includes(v) ? (v as T) : undefined);

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const p = event.url.searchParams;
	const filter: StaffListFilter = {
		callId: p.get('call')?.slice(0, 100) || undefined,
		status: oneOf(APPLICATION_STATUSES, p.get('status')),
		neighbourhoodId: p.get('neighbourhood')?.slice(0, 100) || undefined,
		kind: oneOf(APPLICANT_KINDS, p.get('kind')),
		q: p.get('q')?.slice(0, 200) || undefined,
		sort: oneOf(['newest', 'oldest', 'amount', 'title'] as const, p.get('sort')),
		page: Math.max(1, Number.parseInt(p.get('page') ?? '1', 10) || 1)
	};
	const started = performance.now();
	const list = await listApplicationsForStaff(ctx, filter);
	const ms = Math.round(performance.now() - started);
	const [calls, neighbourhoods] = await Promise.all([listCallsForStaff(ctx), listNeighbourhoods(ctx)]);
	event.setHeaders({ 'server-timing': `list;dur=${ms}` });
	return { list, filter, calls, neighbourhoods };
};
