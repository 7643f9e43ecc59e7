import { requireRole } from '#lib/server/auth/guards.ts';
import { staffDashboard } from '#lib/server/transparency/dashboard.ts';
import { listCallsForStaff, listFunds } from '#lib/server/calls/service.ts';
import { isIsoDate } from '#lib/server/time.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const p = event.url.searchParams;
	const date = (k: string) => {
		const v = p.get(k) ?? '';
		return isIsoDate(v) ? v : undefined;
	};
	const filter = { fundId: p.get('fund')?.slice(0, 100) || undefined, callId: p.get('call')?.slice(0, 100) || undefined, from: date('from'), to: date('to') };
	const started = performance.now();
	const [dashboard, funds, calls] = await Promise.all([staffDashboard(ctx, filter), listFunds(ctx), listCallsForStaff(ctx)]);
	event.setHeaders({ 'server-timing': `dashboard;dur=${Math.round(performance.now() - started)}` });
	const { neighbourhoods, ...stats } = dashboard.stats;
	return { ...dashboard, stats: { ...stats, neighbourhoods: neighbourhoods.map(({ boundary: _b, ...n }) => n) }, funds: funds.map((f) => ({ id: f.id, name: f.name })), calls: calls.map((c) => ({ id: c.id, title: c.title })), filter, currency: ctx.config.COUNTRY === 'BE' ? 'EUR' : 'SEK' };
};
