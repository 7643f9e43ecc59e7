import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { getApplication, postMessage, screenApplication, type ScreeningOutcome } from '#lib/server/applications/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const result = await attempt({}, () => getApplication(ctx, Number(event.params.id)));
	return { view: 'ok' in result ? result.value : null };
};

const OUTCOMES: ScreeningOutcome[] = ['mark_eligible', 'mark_ineligible', 'request_changes'];

export const actions: Actions = {
	screen: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const fd = await event.request.formData();
		const outcome = text(fd, 'outcome', 30) as ScreeningOutcome;
		const message = text(fd, 'message', 10_000);
		if (!OUTCOMES.includes(outcome)) return { errors: { outcome: t('error_choose_from_list') }, values: { message, outcome } };
		const result = await attempt({ message, outcome }, () => screenApplication(ctx, Number(event.params.id), outcome, message));
		return 'ok' in result ? { done: t(`screened_${outcome}`) } : result;
	},
	message: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const fd = await event.request.formData();
		const body = text(fd, 'body', 10_000);
		const visibility = text(fd, 'visibility', 20) === 'internal' ? 'internal' : 'applicant';
		const result = await attempt({ body }, () => postMessage(ctx, Number(event.params.id), body, visibility));
		return 'ok' in result ? { done: t('message_sent') } : result;
	}
};
