import { redirect } from '@sveltejs/kit';
import { ctxOf } from '#lib/server/auth/guards.ts';
import { signOut } from '#lib/server/auth/service.ts';
import { clearSessionCookie } from '#lib/server/auth/cookie.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		const ctx = ctxOf(event);
		if (event.locals.sessionToken) await signOut(ctx, event.locals.sessionToken);
		clearSessionCookie(event.cookies, ctx.config);
		redirect(303, '/?signed-out');
	}
};
