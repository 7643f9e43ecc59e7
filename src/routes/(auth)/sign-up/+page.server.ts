import { redirect } from '@sveltejs/kit';
import { defaults } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { signUpSchema } from '#lib/schemas/auth.ts';
import { ctxOf } from '#lib/server/auth/guards.ts';
import { failFrom, invalid, validateForm } from '#lib/server/forms.ts';
import { signUp } from '#lib/server/auth/service.ts';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.actor) redirect(303, '/account');
	const form = defaults({ locale: getLocale() }, zod4(signUpSchema));
	return { form, sent: url.searchParams.has('sent') };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await validateForm(event, signUpSchema);
		if (!form.valid) return invalid(form, 'password');
		try {
			await signUp(ctxOf(event), form.data);
		} catch (err) {
			return failFrom(form, err, 'password');
		}
		redirect(303, '/sign-up?sent');
	}
};
