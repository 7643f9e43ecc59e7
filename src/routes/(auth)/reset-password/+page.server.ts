import { redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { resetPasswordSchema } from '#lib/schemas/auth.ts';
import { ctxOf } from '#lib/server/auth/guards.ts';
import { failFrom, invalid, validateForm } from '#lib/server/forms.ts';
import { resetPassword } from '#lib/server/auth/service.ts';
import { clearSessionCookie } from '#lib/server/auth/cookie.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => ({
	form: await superValidate({ token: url.searchParams.get('token') ?? '' }, zod4(resetPasswordSchema), { errors: false })
});

export const actions: Actions = {
	default: async (event) => {
		const form = await validateForm(event, resetPasswordSchema);
		if (!form.valid) return invalid(form, 'password');
		const ctx = ctxOf(event);
		try {
			await resetPassword(ctx, form.data.token, form.data.password);
		} catch (err) {
			return failFrom(form, err, 'password');
		}
		clearSessionCookie(event.cookies, ctx.config);
		redirect(303, '/sign-in?reset');
	}
};
