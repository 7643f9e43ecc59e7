import { redirect } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { getPublicCall } from '#lib/server/calls/service.ts';
import { listMyOrganisations } from '#lib/server/organisations/service.ts';
import { startApplication } from '#lib/server/applications/service.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireUser(event);
	const result = await attempt({}, () => getPublicCall(ctx, event.params.id));
	if (!('ok' in result)) return { view: null, organisations: [] };
	return { view: result.value, organisations: await listMyOrganisations(ctx) };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { applyAs: field.text(100) });
		if (!('ok' in form)) return form;
		const { applyAs } = form.data;
		const result = await attempt({ applyAs }, () => startApplication(ctx, event.params.id, applyAs && applyAs !== 'individual' ? applyAs : null));
		if (!('ok' in result)) return result;
		redirect(303, `/applications/${result.value}/edit?started`);
	}
};
