import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { getOrganisation, inviteMember, updateOrganisation } from '#lib/server/organisations/service.ts';
import { ORGANISATION_FORM, organisationFormValues } from '#lib/server/organisations/form.ts';
import { neighbourhoodChoices } from '#lib/server/neighbourhoods/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireUser(event);
	const result = await attempt({}, () => getOrganisation(ctx, event.params.id));
	return { view: 'ok' in result ? result.value : null, neighbourhoods: await neighbourhoodChoices(ctx), country: ctx.config.COUNTRY };
};

export const actions: Actions = {
	update: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, ORGANISATION_FORM);
		if (!('ok' in form)) return form;
		const values = organisationFormValues(form.values);
		const result = await attempt(values, () => updateOrganisation(ctx, event.params.id, values));
		return 'ok' in result ? { done: t('org_saved') } : result;
	},
	invite: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { email: field.text(300) });
		if (!('ok' in form)) return form;
		const { email } = form.data;
		const result = await attempt({ inviteEmail: email }, () => inviteMember(ctx, event.params.id, email));
		return 'ok' in result ? { done: t('org_invited', { email: email.trim() }) } : result;
	}
};
