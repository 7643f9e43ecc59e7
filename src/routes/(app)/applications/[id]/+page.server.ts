import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { getApplication, postMessage, withdrawApplication } from '#lib/server/applications/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireUser(event);
	const result = await attempt({}, () => getApplication(ctx, Number(event.params.id)));
	return { view: 'ok' in result ? result.value : null };
};

export const actions: Actions = {
	message: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { body: field.text(10_000) });
		if (!('ok' in form)) return form;
		const { body } = form.data;
		const result = await attempt({ body }, () => postMessage(ctx, Number(event.params.id), body, 'applicant'));
		return 'ok' in result ? { done: t('message_sent') } : result;
	},
	withdraw: async (event) => {
		const ctx = requireUser(event);
		const result = await attempt({}, () => withdrawApplication(ctx, Number(event.params.id)));
		return 'ok' in result ? { done: t('app_withdrawn_notice') } : result;
	}
};
