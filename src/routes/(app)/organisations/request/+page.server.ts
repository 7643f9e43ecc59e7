import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { requestToJoin } from '#lib/server/organisations/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return { orgNumber: event.url.searchParams.get('number')?.slice(0, 30) ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { orgNumber: field.text(30), message: field.text(1000) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => requestToJoin(ctx, values.orgNumber, values.message));
		return 'ok' in result ? { done: t('org_request_sent', { name: result.value.organisationName }) } : result;
	}
};
