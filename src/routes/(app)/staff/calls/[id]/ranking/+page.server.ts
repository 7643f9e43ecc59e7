import { fail } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, errorsOf, field, readForm } from '#lib/server/forms.ts';
import { equityPreview, rankCall, RANKING_PAGE_SIZE } from '#lib/server/reviews/ranking.ts';
import { decideMany } from '#lib/server/decisions/service.ts';
import { parseDecisions } from '#lib/server/decisions/form.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';
import { idsQ, oneOfQ, pageQ, readQuery } from '#lib/server/query.ts';
import { z } from 'zod';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const q = readQuery(event.url, { by: oneOfQ(['raw', 'normalised']), page: pageQ, top: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined) });
	const started = performance.now();
	const view = { page: q.page, pageSize: RANKING_PAGE_SIZE, top: q.top, selected: idsQ(event.url, 'select') };
	const result = await attempt({}, () => rankCall(ctx, event.params.id, q.by ?? 'raw', view));
	if (!('ok' in result)) return { ranking: null, preview: null, selected: [] as number[] };
	event.setHeaders({ 'server-timing': `ranking;dur=${Math.round(performance.now() - started)}` });
	const selected = result.value.selected.map((r) => r.id);
	return { ranking: result.value, preview: await equityPreview(ctx, selected), selected };
};

export const actions: Actions = {
	decide: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		// Per row: outcome-ID, amount-ID, conditions-ID, reason-ID, bounded as the rest.
		const form = await readForm(event, { applicationId: field.texts(20, 200) }, { rest: field.text(5000) });
		if (!('ok' in form)) return form;
		const { decisions, errors, values } = parseDecisions(form.values);
		if (Object.keys(errors).length) return fail(400, { values, errors });
		if (decisions.length === 0) return fail(400, { values, errors: { '': t('error_no_decision') } });
		const results = await decideMany(ctx, decisions);
		const failed = results.filter((r) => !r.ok);
		const failures = Object.assign({}, ...failed.map((r) => errorsOf(r.error!)));
		const done = results.filter((r) => r.ok).length;
		return failed.length ? fail(400, { values, errors: failures, done }) : { done };
	}
};
