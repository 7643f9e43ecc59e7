import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
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
	// Scores and justifications per criterion travel as score-ID and justification-ID: bounded as the rest.
	const form = await readForm(event, { recommendation: field.text(30), suggestedAmount: field.text(30), commentsForStaff: field.text(6000) }, { rest: field.text(3000) });
	if (!('ok' in form)) return form;
	const { input, errors, values } = parseReviewForm(form.values, current.value.criteria.map((c) => c.id));
	if (Object.keys(errors).length) return fail(400, { values, errors });
	const result = await attempt(values, () => saveReview(ctx, event.params.id, input, submit));
	return 'ok' in result ? { done: t(submit ? 'review_submitted_notice' : 'review_saved_notice') } : result;
}

export const actions: Actions = {
	declare: async (event) => {
		const ctx = requireRole(event, 'reviewer');
		const form = await readForm(event, { conflict: field.choice(['yes', 'no']), reason: field.text(1000) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => declareConflict(ctx, event.params.id, values.conflict === 'yes', values.reason));
		if (!('ok' in result)) return result;
		if (values.conflict === 'yes') redirect(303, '/reviews?released');
		return { done: t('review_no_conflict_notice') };
	},
	save: (event) => save(event, false),
	submit: (event) => save(event, true)
};
