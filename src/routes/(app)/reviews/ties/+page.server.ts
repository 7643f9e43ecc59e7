import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { declareTie, myTies, removeTie } from '#lib/server/reviews/service.ts';
import { t } from '#lib/i18n.ts';
import type { TieKind } from '#lib/domain.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => myTies(requireRole(event, 'reviewer'));

export const actions: Actions = {
	add: async (event) => {
		const ctx = requireRole(event, 'reviewer');
		const form = await readForm(event, { organisationId: field.text(100), kind: field.text(20) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => declareTie(ctx, values.organisationId, values.kind as TieKind));
		return 'ok' in result ? { done: t('tie_added') } : result;
	},
	remove: async (event) => {
		const ctx = requireRole(event, 'reviewer');
		const form = await readForm(event, { organisationId: field.text(100) });
		if (!('ok' in form)) return form;
		const { organisationId } = form.data;
		const result = await attempt({}, () => removeTie(ctx, organisationId));
		return 'ok' in result ? { done: t('tie_removed') } : result;
	}
};
