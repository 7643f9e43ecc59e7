import { redirect } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt } from '#lib/server/forms.ts';
import { createCall, getFund } from '#lib/server/calls/service.ts';
import { callFormValues, callToFormValues, parseCallForm } from '#lib/server/calls/form.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const result = await attempt({}, () => getFund(ctx, event.params.id));
	const fund = 'ok' in result ? result.value.fund : null;
	return { fund, values: callToFormValues(null, ctx.config.TIME_ZONE, ctx.now), timeZone: ctx.config.TIME_ZONE };
};

export const actions: Actions = {
	save: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const values = callFormValues(await event.request.formData());
		const result = await attempt(values, async () => createCall(ctx, event.params.id, parseCallForm(values, ctx.config.TIME_ZONE)));
		if (!('ok' in result)) return result;
		redirect(303, `/staff/calls/${result.value}?created`);
	}
};
