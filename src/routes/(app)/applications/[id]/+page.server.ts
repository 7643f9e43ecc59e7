import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
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
		const body = text(await event.request.formData(), 'body', 10_000);
		const result = await attempt({ body }, () => postMessage(ctx, Number(event.params.id), body, 'applicant'));
		return 'ok' in result ? { done: t('message_sent') } : result;
	},
	withdraw: async (event) => {
		const ctx = requireUser(event);
		const result = await attempt({}, () => withdrawApplication(ctx, Number(event.params.id)));
		return 'ok' in result ? { done: t('app_withdrawn_notice') } : result;
	}
};
