import { fail } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { addReportFile, getReport, reviewReport, saveReport } from '#lib/server/grants/reports.ts';
import { parseReportForm } from '#lib/server/grants/form.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const result = await attempt({}, () => getReport(requireUser(event), event.params.id, event.params.milestoneId));
	return { view: 'ok' in result ? result.value : null };
};

/** Saves the report (as a draft, or submitting it); with `withFile` the chosen file is added after saving. */
async function save(event: RequestEvent, submit: boolean, withFile = false) {
	const ctx = requireUser(event);
	// Spending and people per row travel as spent-ID and reached-ID: bounded as the rest.
	const form = await readForm(event, { narrative: field.text(10_000), participants: field.text(20), unspentAmount: field.text(30), file: field.file() }, { rest: field.text(30) });
	if (!('ok' in form)) return form;
	const { input, errors, values } = parseReportForm(form.values);
	if (Object.keys(errors).length) return fail(400, { values, errors });
	const result = await attempt(values, () => saveReport(ctx, event.params.id, event.params.milestoneId, input, submit));
	if (!('ok' in result)) return result;
	if (!withFile) return { done: t(submit ? 'report_submitted_notice' : 'report_saved_notice') };
	const file = form.data.file;
	const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
	const name = file instanceof File ? file.name : '';
	const added = await attempt(values, () => addReportFile(ctx, event.params.id, event.params.milestoneId, { name, bytes }));
	return 'ok' in added ? { done: t('file_added', { name: name.slice(0, 100) }) } : added;
}

export const actions: Actions = {
	save: (event) => save(event, false),
	submit: (event) => save(event, true),
	// The file travels in the report's own form, so nothing typed is lost when a photo is added.
	upload: (event) => save(event, false, true),
	review: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { outcome: field.choice(['accept', 'request_changes']), feedback: field.text(5000) });
		if (!('ok' in form)) return form;
		const { outcome, feedback } = form.data;
		const result = await attempt({ feedback, outcome }, () => reviewReport(ctx, event.params.id, event.params.milestoneId, outcome, feedback));
		return 'ok' in result ? { done: t(outcome === 'accept' ? 'report_accepted_notice' : 'report_changes_notice') } : result;
	}
};
