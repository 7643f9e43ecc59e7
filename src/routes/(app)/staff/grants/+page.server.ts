import { requireRole } from '#lib/server/auth/guards.ts';
import { listGrantsForStaff } from '#lib/server/grants/service.ts';
import { listCallsForStaff } from '#lib/server/calls/service.ts';
import { neighbourhoodChoices } from '#lib/server/neighbourhoods/service.ts';
import { GRANT_STATUSES } from '#lib/domain.ts';
import type { PageServerLoad } from './$types';
import { flagQ, oneOfQ, pageQ, readQuery, textQ } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const q = readQuery(event.url, { call: textQ(100), status: oneOfQ(GRANT_STATUSES), neighbourhood: textQ(100), overdue: flagQ, page: pageQ });
	const filter = { callId: q.call, status: q.status, neighbourhoodId: q.neighbourhood, overdue: q.overdue, page: q.page };
	const [grants, calls, neighbourhoods] = await Promise.all([listGrantsForStaff(ctx, filter), listCallsForStaff(ctx), neighbourhoodChoices(ctx)]);
	return { grants, calls, neighbourhoods, filter };
};
