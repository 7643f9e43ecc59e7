import { redirect } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { acceptInvitation } from '#lib/server/organisations/service.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return { token: event.url.searchParams.get('token') ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { token: field.text(100) });
		if (!('ok' in form)) return form;
		const { token } = form.data;
		const result = await attempt({ token }, () => acceptInvitation(ctx, token));
		if (!('ok' in result)) return result;
		redirect(303, `/organisations/${result.value}`);
	}
};
