import { ctxOf } from '#lib/server/auth/guards.ts';
import { PUBLIC_GRANT_STATUSES, registerPage } from '#lib/server/transparency/register.ts';
import { neighbourhoodChoices } from '#lib/server/neighbourhoods/service.ts';
import type { PageServerLoad } from './$types';
import { oneOfQ, pageQ, readQuery, textQ, yearQ } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const ctx = ctxOf(event);
	const p = readQuery(event.url, { call: textQ(100), neighbourhood: textQ(100), year: yearQ, status: oneOfQ(PUBLIC_GRANT_STATUSES), q: textQ(200), page: pageQ });
	const filter = { callId: p.call, neighbourhoodId: p.neighbourhood, year: p.year, status: p.status, q: p.q, page: p.page, timeZone: ctx.config.TIME_ZONE };
	const started = performance.now();
	const [{ projects, years, calls }, places] = await Promise.all([registerPage(ctx, filter), neighbourhoodChoices(ctx)]);
	event.setHeaders({ 'server-timing': `register;dur=${Math.round(performance.now() - started)}` });
	return { projects, years, places, calls: calls.map((c) => ({ id: c.id, title: c.title })), filter, statuses: PUBLIC_GRANT_STATUSES };
};
