import { redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { tokenSchema } from '#lib/schemas/auth.ts';
import { ctxOf } from '#lib/server/auth/guards.ts';
import { failFrom, validateForm } from '#lib/server/forms.ts';
import { verifyEmail } from '#lib/server/auth/service.ts';
import type { Actions, PageServerLoad } from './$types';

// The link opens a page with a button rather than verifying on GET, so that mail scanners
// that follow links do not use it up.
export const load: PageServerLoad = async ({ url }) => ({
	form: await superValidate({ token: url.searchParams.get('token') ?? '' }, zod4(tokenSchema), { errors: false })
});

export const actions: Actions = {
	default: async (event) => {
		const form = await validateForm(event, tokenSchema);
		try {
			await verifyEmail(ctxOf(event), form.data.token);
		} catch (err) {
			return failFrom(form, err);
		}
		redirect(303, '/sign-in?verified');
	}
};
