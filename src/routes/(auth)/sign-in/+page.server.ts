import { redirect } from '@sveltejs/kit';
import { defaults } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { signInSchema } from '#lib/schemas/auth.ts';
import { ctxOf, safeNext } from '#lib/server/auth/guards.ts';
import { failFrom, invalid, validateForm } from '#lib/server/forms.ts';
import { signIn } from '#lib/server/auth/service.ts';
import { deviceCookieName, setDeviceCookie, setLocaleCookie, setSessionCookie } from '#lib/server/auth/cookie.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.actor) redirect(303, next);
	const form = defaults({ next }, zod4(signInSchema));
	return { form, verified: url.searchParams.has('verified'), reset: url.searchParams.has('reset') };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await validateForm(event, signInSchema);
		if (!form.valid) return invalid(form, 'password');
		const ctx = ctxOf(event);
		let result;
		try {
			result = await signIn(ctx, { ...form.data, deviceToken: event.cookies.get(deviceCookieName(ctx.config)) });
		} catch (err) {
			return failFrom(form, err, 'password');
		}
		// The session is new, so the first expiry is the fullest; validation shortens it for staff.
		setSessionCookie(event.cookies, ctx.config, result.token, new Date(ctx.now.getTime() + 30 * 24 * 3600 * 1000));
		setLocaleCookie(event.cookies, ctx.config, result.locale);
		setDeviceCookie(event.cookies, ctx.config, result.deviceToken);
		redirect(303, safeNext(form.data.next));
	}
};
