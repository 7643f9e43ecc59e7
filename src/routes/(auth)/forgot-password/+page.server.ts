import { redirect } from '@sveltejs/kit';
import { defaults } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { forgotPasswordSchema } from '#lib/schemas/auth.ts';
import { ctxOf } from '#lib/server/auth/guards.ts';
import { failFrom, invalid, validateForm } from '#lib/server/forms.ts';
import { requestPasswordReset } from '#lib/server/auth/service.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => ({
	form: defaults(zod4(forgotPasswordSchema)),
	sent: url.searchParams.has('sent')
});

export const actions: Actions = {
	default: async (event) => {
		const form = await validateForm(event, forgotPasswordSchema);
		if (!form.valid) return invalid(form);
		try {
			await requestPasswordReset(ctxOf(event), form.data.email);
		} catch (err) {
			return failFrom(form, err);
		}
		redirect(303, '/forgot-password?sent');
	}
};
