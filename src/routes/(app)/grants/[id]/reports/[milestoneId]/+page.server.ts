import { fail } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { addReportFile, getReport, reviewReport, saveReport } from '#lib/server/grants/reports.ts';
import { parseReportForm } from '#lib/server/grants/form.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const result = await attempt({}, () => getReport(requireUser(event), event.params.id, event.params.milestoneId));
	return { view: 'ok' in result ? result.value : null };
};

async function save(event: RequestEvent, submit: boolean) {
	const ctx = requireUser(event);
	const { input, errors, values } = parseReportForm(await event.request.formData());
	if (Object.keys(errors).length) return fail(400, { values, errors });
	const result = await attempt(values, () => saveReport(ctx, event.params.id, event.params.milestoneId, input, submit));
	return 'ok' in result ? { done: t(submit ? 'report_submitted_notice' : 'report_saved_notice') } : result;
}

export const actions: Actions = {
	save: (event) => save(event, false),
	submit: (event) => save(event, true),
	upload: async (event) => {
		const ctx = requireUser(event);
		const file = (await event.request.formData()).get('file');
		const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
		const name = file instanceof File ? file.name : '';
		const result = await attempt({}, () => addReportFile(ctx, event.params.id, event.params.milestoneId, { name, bytes }));
		return 'ok' in result ? { done: t('file_added', { name: name.slice(0, 100) }) } : result;
	},
	review: async (event) => {
		const ctx = requireUser(event);
		const fd = await event.request.formData();
		const outcome = text(fd, 'outcome', 20) === 'accept' ? 'accept' : 'request_changes';
		const feedback = text(fd, 'feedback', 5000);
		const result = await attempt({ feedback, outcome }, () => reviewReport(ctx, event.params.id, event.params.milestoneId, outcome, feedback));
		return 'ok' in result ? { done: t(outcome === 'accept' ? 'report_accepted_notice' : 'report_changes_notice') } : result;
	}
};
