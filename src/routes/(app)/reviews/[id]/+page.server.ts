import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { declareConflict, getReviewForm, saveReview } from '#lib/server/reviews/service.ts';
import { parseReviewForm } from '#lib/server/reviews/form.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'reviewer');
	const result = await attempt({}, () => getReviewForm(ctx, event.params.id));
	return { view: 'ok' in result ? result.value : null };
};

async function save(event: RequestEvent, submit: boolean) {
	const ctx = requireRole(event, 'reviewer');
	const current = await attempt({}, () => getReviewForm(ctx, event.params.id));
	if (!('ok' in current)) return current;
	const { input, errors, values } = parseReviewForm(await event.request.formData(), current.value.criteria.map((c) => c.id));
	if (Object.keys(errors).length) return fail(400, { values, errors });
	const result = await attempt(values, () => saveReview(ctx, event.params.id, input, submit));
	return 'ok' in result ? { done: t(submit ? 'review_submitted_notice' : 'review_saved_notice') } : result;
}

export const actions: Actions = {
	declare: async (event) => {
		const ctx = requireRole(event, 'reviewer');
		const fd = await event.request.formData();
		const values = { conflict: text(fd, 'conflict', 10), reason: text(fd, 'reason', 1000) };
		if (!['yes', 'no'].includes(values.conflict)) return fail(400, { values, errors: { conflict: t('error_choose_from_list') } });
		const result = await attempt(values, () => declareConflict(ctx, event.params.id, values.conflict === 'yes', values.reason));
		if (!('ok' in result)) return result;
		if (values.conflict === 'yes') redirect(303, '/reviews?released');
		return { done: t('review_no_conflict_notice') };
	},
	save: (event) => save(event, false),
	submit: (event) => save(event, true)
};
