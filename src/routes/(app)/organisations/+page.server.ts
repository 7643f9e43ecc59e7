import { redirect } from '@sveltejs/kit';
import { requireUser, safeNext } from '#lib/server/auth/guards.ts';
import { attempt, readForm } from '#lib/server/forms.ts';
import { createOrganisation, listMyOrganisations } from '#lib/server/organisations/service.ts';
import { ORGANISATION_FORM, organisationFormValues } from '#lib/server/organisations/form.ts';
import { neighbourhoodChoices } from '#lib/server/neighbourhoods/service.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireUser(event);
	return {
		organisations: await listMyOrganisations(ctx),
		neighbourhoods: await neighbourhoodChoices(ctx),
		country: ctx.config.COUNTRY,
		email: ctx.actor.email
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, ORGANISATION_FORM);
		if (!('ok' in form)) return form;
		const values = organisationFormValues(form.values);
		const result = await attempt(values, () => createOrganisation(ctx, values));
		if (!('ok' in result)) return result;
		const next = event.url.searchParams.get('next');
		redirect(303, next ? safeNext(next) : `/organisations/${result.value}?created`);
	}
};
