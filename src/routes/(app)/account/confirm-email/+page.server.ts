import { redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { tokenSchema } from '#lib/schemas/auth.ts';
import { ctxOf } from '#lib/server/auth/guards.ts';
import { failFrom, validateForm } from '#lib/server/forms.ts';
import { confirmEmailChange } from '#lib/server/auth/service.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => ({
	form: await superValidate({ token: url.searchParams.get('token') ?? '' }, zod4(tokenSchema), { errors: false })
});

export const actions: Actions = {
	default: async (event) => {
		const form = await validateForm(event, tokenSchema);
		try {
			await confirmEmailChange(ctxOf(event), form.data.token);
		} catch (err) {
			return failFrom(form, err);
		}
		redirect(303, event.locals.actor ? '/account?email-changed' : '/sign-in?verified');
	}
};
