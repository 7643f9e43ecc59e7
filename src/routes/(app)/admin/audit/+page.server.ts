import { requireRole } from '#lib/server/auth/guards.ts';
import { listAuditEvents } from '#lib/server/audit/service.ts';
import type { PageServerLoad } from './$types';
import { pageQ, readQuery } from '#lib/server/query.ts';

const dateParam = (v: string | null, endOfDay = false) => {
	if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
	const d = new Date(`${v}T${endOfDay ? '23:59:59.999' : '00:00:00'}Z`);
	return Number.isNaN(d.getTime()) ? undefined : d;
};

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'admin');
	const p = event.url.searchParams;
	const filter = {
		actor: p.get('actor')?.slice(0, 254) || undefined,
		entityType: p.get('entityType')?.slice(0, 50) || undefined,
		entityId: p.get('entityId')?.slice(0, 100) || undefined,
		from: dateParam(p.get('from')),
		to: dateParam(p.get('to'), true),
		page: readQuery(event.url, { page: pageQ }).page
	};
	return {
		filter: { actor: p.get('actor') ?? '', entityType: p.get('entityType') ?? '', entityId: p.get('entityId') ?? '', from: p.get('from') ?? '', to: p.get('to') ?? '' },
		events: await listAuditEvents(ctx, filter)
	};
};
