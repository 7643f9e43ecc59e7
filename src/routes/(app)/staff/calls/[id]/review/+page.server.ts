import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { getCallForStaff } from '#lib/server/calls/service.ts';
import { appointReviewer, autoAssign, dismissReviewer, reviewerPool } from '#lib/server/reviews/assignment.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const call = await attempt({}, () => getCallForStaff(ctx, event.params.id));
	if (!('ok' in call)) return { call: null, pool: [], candidates: [] };
	return { call: call.value.call, ...(await reviewerPool(ctx, event.params.id)) };
};

export const actions: Actions = {
	appoint: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { userId: field.text(100) });
		if (!('ok' in form)) return form;
		const { userId } = form.data;
		const result = await attempt({ userId }, () => appointReviewer(ctx, event.params.id, userId));
		return 'ok' in result ? { done: t('pool_appointed') } : result;
	},
	dismiss: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { userId: field.text(100) });
		if (!('ok' in form)) return form;
		const { userId } = form.data;
		const result = await attempt({}, () => dismissReviewer(ctx, event.params.id, userId));
		return 'ok' in result ? { done: t('pool_dismissed') } : result;
	},
	auto: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const result = await attempt({}, () => autoAssign(ctx, event.params.id));
		return 'ok' in result ? { report: result.value } : result;
	}
};
