import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { declareTie, myTies, removeTie } from '#lib/server/reviews/service.ts';
import { t } from '#lib/i18n.ts';
import type { TieKind } from '#lib/domain.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => myTies(requireRole(event, 'reviewer'));

export const actions: Actions = {
	add: async (event) => {
		const ctx = requireRole(event, 'reviewer');
		const fd = await event.request.formData();
		const values = { organisationId: text(fd, 'organisationId', 100), kind: text(fd, 'kind', 20) };
		const result = await attempt(values, () => declareTie(ctx, values.organisationId, values.kind as TieKind));
		return 'ok' in result ? { done: t('tie_added') } : result;
	},
	remove: async (event) => {
		const ctx = requireRole(event, 'reviewer');
		const organisationId = text(await event.request.formData(), 'organisationId', 100);
		const result = await attempt({}, () => removeTie(ctx, organisationId));
		return 'ok' in result ? { done: t('tie_removed') } : result;
	}
};
