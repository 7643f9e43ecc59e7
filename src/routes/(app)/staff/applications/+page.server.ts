import { requireRole } from '#lib/server/auth/guards.ts';
import { listApplicationsForStaff, type StaffListFilter } from '#lib/server/applications/service.ts';
import { listCallsForStaff } from '#lib/server/calls/service.ts';
import { neighbourhoodChoices } from '#lib/server/neighbourhoods/service.ts';
import { APPLICANT_KINDS, APPLICATION_STATUSES } from '#lib/domain.ts';
import type { PageServerLoad } from './$types';
import { oneOfQ, pageQ, readQuery, textQ } from '#lib/server/query.ts';


export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const p = readQuery(event.url, {
		call: textQ(100),
		status: oneOfQ(APPLICATION_STATUSES),
		neighbourhood: textQ(100),
		kind: oneOfQ(APPLICANT_KINDS),
		q: textQ(200),
		sort: oneOfQ(['newest', 'oldest', 'amount', 'title']),
		page: pageQ
	});
	const filter: StaffListFilter = { callId: p.call, status: p.status, neighbourhoodId: p.neighbourhood, kind: p.kind, q: p.q, sort: p.sort, page: p.page };
	const started = performance.now();
	const list = await listApplicationsForStaff(ctx, filter);
	const ms = Math.round(performance.now() - started);
	const [calls, neighbourhoods] = await Promise.all([listCallsForStaff(ctx), neighbourhoodChoices(ctx)]);
	event.setHeaders({ 'server-timing': `list;dur=${ms}` });
	return { list, filter, calls, neighbourhoods };
};
