import { redirect } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, readForm } from '#lib/server/forms.ts';
import { createCall, getFund } from '#lib/server/calls/service.ts';
import { CALL_FORM, callFormValues, callToFormValues, parseCallForm } from '#lib/server/calls/form.ts';
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
		const form = await readForm(event, CALL_FORM);
		if (!('ok' in form)) return form;
		const values = callFormValues(form.values);
		const result = await attempt(values, async () => createCall(ctx, event.params.id, parseCallForm(values, ctx.config.TIME_ZONE)));
		if (!('ok' in result)) return result;
		redirect(303, `/staff/calls/${result.value}?created`);
	}
};
