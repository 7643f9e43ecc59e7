import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, readForm } from '#lib/server/forms.ts';
import { getCallForStaff, publishCall, updateCall } from '#lib/server/calls/service.ts';
import { CALL_FORM, callFormValues, callToFormValues, parseCallForm } from '#lib/server/calls/form.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const result = await attempt({}, () => getCallForStaff(ctx, event.params.id));
	if (!('ok' in result)) return { view: null, values: null, timeZone: ctx.config.TIME_ZONE };
	const view = result.value;
	return { view, values: callToFormValues({ ...view.call, criteria: view.criteria, terms: { en: view.call.termsEn, sv: view.call.termsSv, nl: view.call.termsNl } }, ctx.config.TIME_ZONE, ctx.now), timeZone: ctx.config.TIME_ZONE };
};

export const actions: Actions = {
	save: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, CALL_FORM);
		if (!('ok' in form)) return form;
		const values = callFormValues(form.values);
		const result = await attempt(values, () => updateCall(ctx, event.params.id, parseCallForm(values, ctx.config.TIME_ZONE)));
		return 'ok' in result ? { done: t('call_saved') } : result;
	},
	publish: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const result = await attempt({}, () => publishCall(ctx, event.params.id));
		return 'ok' in result ? { done: t('call_published_notice') } : result;
	}
};
