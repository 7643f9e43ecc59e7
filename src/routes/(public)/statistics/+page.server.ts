import { ctxOf } from '#lib/server/auth/guards.ts';
import { publicStatistics } from '#lib/server/transparency/statistics.ts';
import { registerYears } from '#lib/server/transparency/register.ts';
import { mapShapes, MAP_HEIGHT, MAP_WIDTH } from '#lib/server/transparency/map.ts';
import type { PageServerLoad } from './$types';
import { readQuery, yearQ } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const ctx = ctxOf(event);
	const db = ctx.database.db;
	const years = await registerYears(db, ctx.config.TIME_ZONE);
	const asked = readQuery(event.url, { year: yearQ }).year;
	const year = asked !== undefined && years.includes(asked) ? asked : undefined;
	const started = performance.now();
	const stats = await publicStatistics(db, { year, timeZone: ctx.config.TIME_ZONE });
	event.setHeaders({ 'server-timing': `stats;dur=${Math.round(performance.now() - started)}` });
	const shapes = mapShapes(stats.neighbourhoods).map(({ boundary: _b, ...s }) => ({ id: s.id, name: s.name, d: s.d, cx: s.cx, cy: s.cy, value: s.perInhabitant.hidden ? null : s.perInhabitant.value }));
	const neighbourhoods = stats.neighbourhoods.map(({ boundary: _b, ...n }) => n);
	return { stats: { ...stats, neighbourhoods }, shapes, map: { width: MAP_WIDTH, height: MAP_HEIGHT }, years, year: year ?? null, currency: ctx.config.COUNTRY === 'BE' ? 'EUR' : 'SEK' };
};
