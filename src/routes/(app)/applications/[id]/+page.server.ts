import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm, withForm } from '#lib/server/forms.ts';
import { getApplication, postMessage, withdrawApplication } from '#lib/server/applications/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';
import { pageQ, readQuery } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const ctx = requireUser(event);
	const pages = readQuery(event.url, { messages: pageQ, history: pageQ });
	const result = await attempt({}, () => getApplication(ctx, Number(event.params.id), pages));
	return { view: 'ok' in result ? result.value : null };
};

const mayOn = async (ctx: ReturnType<typeof requireUser>, id: number) =>
	getApplication(ctx, id).then(
		(v) => v.may['application.withdraw'],
		() => false
	);

export const actions: Actions = {
	message: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { body: field.text(10_000) });
		if (!('ok' in form)) return form;
		const { body } = form.data;
		const result = await attempt({ body }, () => postMessage(ctx, Number(event.params.id), body, 'applicant'));
		return 'ok' in result ? { done: t('message_sent') } : result;
	},
	// Withdrawing is final: the first press asks to confirm (a second step that needs no JavaScript).
	withdraw: async (event) => {
		const ctx = requireUser(event);
		const id = Number(event.params.id);
		return withForm(event, { confirmed: field.check() }, async ({ confirmed }) => {
			// Asked only of someone who may withdraw it; anyone else gets the service's refusal.
			if (!confirmed && (await mayOn(ctx, id))) return { confirm: 'withdraw' as const };
			const result = await attempt({}, () => withdrawApplication(ctx, id));
			return 'ok' in result ? { done: t('app_withdrawn_notice') } : result;
		});
	}
};
