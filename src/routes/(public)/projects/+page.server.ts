import { ctxOf } from '#lib/server/auth/guards.ts';
import { listPublicProjects, publicCallOutcomes, PUBLIC_GRANT_STATUSES, registerYears } from '#lib/server/transparency/register.ts';
import { listNeighbourhoods } from '#lib/server/neighbourhoods/service.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = ctxOf(event);
	const db = ctx.database.db;
	const p = event.url.searchParams;
	const year = Number.parseInt(p.get('year') ?? '', 10);
	const filter = {
		callId: p.get('call')?.slice(0, 100) || undefined,
		neighbourhoodId: p.get('neighbourhood')?.slice(0, 100) || undefined,
		year: Number.isInteger(year) && year > 2000 && year < 3000 ? year : undefined,
		status: PUBLIC_GRANT_STATUSES.find((s) => s === p.get('status')),
		q: p.get('q')?.slice(0, 200) || undefined,
		page: Math.max(1, Number.parseInt(p.get('page') ?? '1', 10) || 1),
		timeZone: ctx.config.TIME_ZONE
	};
	const started = performance.now();
	const [projects, years, places, calls] = await Promise.all([listPublicProjects(db, filter), registerYears(db, ctx.config.TIME_ZONE), listNeighbourhoods(ctx), publicCallOutcomes(db)]);
	event.setHeaders({ 'server-timing': `register;dur=${Math.round(performance.now() - started)}` });
	return { projects, years, places: places.map((n) => ({ id: n.id, name: n.name })), calls: calls.map((c) => ({ id: c.id, title: c.title })), filter, statuses: PUBLIC_GRANT_STATUSES };
};
