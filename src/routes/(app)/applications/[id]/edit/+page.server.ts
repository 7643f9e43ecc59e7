import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, readForm } from '#lib/server/forms.ts';
import { getApplication, saveApplication, submitApplication } from '#lib/server/applications/service.ts';
import { addAttachment, removeAttachment } from '#lib/server/applications/attachments.ts';
import { APPLICATION_FORM, applicationFormValues, applicationToFormValues, parseApplicationForm } from '#lib/server/applications/form.ts';
import { neighbourhoodChoices } from '#lib/server/neighbourhoods/service.ts';
import { t } from '#lib/i18n.ts';
import { localDateTime } from '#lib/server/calendar.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const idOf = (event: { params: { id: string } }) => Number(event.params.id);

export const load: PageServerLoad = async (event) => {
	const ctx = requireUser(event);
	const result = await attempt({}, () => getApplication(ctx, idOf(event)));
	if (!('ok' in result)) return { view: null, values: null, neighbourhoods: [] };
	const view = result.value;
	if (!view.editable) redirect(303, `/applications/${view.application.id}`);
	const values = applicationToFormValues(view.application, view.neighbourhoods.map((n) => n.id), view.budgetLines);
	// Only what the form shows travels to the browser (the page's data is written into it again).
	const { application: a, call, currency, attachments, messages } = view;
	const shown = {
		application: { id: a.id, status: a.status, applicantKind: a.applicantKind },
		call: { title: call.title, minAmount: call.minAmount, maxAmount: call.maxAmount },
		currency,
		attachments,
		budgetLines: view.budgetLines.map((l) => ({ amount: l.amount })),
		// Staff's latest message, shown when they asked for changes.
		messages: messages.filter((x) => !x.mine).slice(-1)
	};
	return { view: shown, values, neighbourhoods: await neighbourhoodChoices(ctx) };
};

/** Reads and saves the form; unreadable numbers come back next to their fields and nothing is saved. */
async function save(event: RequestEvent) {
	const ctx = requireUser(event);
	const form = await readForm(event, APPLICATION_FORM);
	if (!('ok' in form)) return { ctx, data: null, failure: form };
	const { input, errors, values } = parseApplicationForm(applicationFormValues(form.values));
	if (Object.keys(errors).length) return { ctx, data: form.data, failure: fail(400, { values, errors }) };
	const result = await attempt(values, () => saveApplication(ctx, idOf(event), input));
	return { ctx, data: form.data, failure: 'ok' in result ? null : result };
}

export const actions: Actions = {
	save: async (event) => {
		const { ctx, failure } = await save(event);
		// The time of day in the municipality's zone, as everywhere else.
		return failure ?? { saved: t('application_saved_at', { time: localDateTime(ctx.now, ctx.config.TIME_ZONE).slice(11, 16) }) };
	},
	submit: async (event) => {
		const { ctx, failure } = await save(event);
		if (failure) return failure;
		const result = await attempt({}, () => submitApplication(ctx, idOf(event)));
		if (!('ok' in result)) return result;
		redirect(303, `/applications/${idOf(event)}?submitted`);
	},
	// The file travels in the application's own form: what was typed is saved first, never lost.
	upload: async (event) => {
		const { ctx, data, failure } = await save(event);
		if (failure || !data) return failure;
		const file = data.file;
		const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
		const name = file instanceof File ? file.name : '';
		const result = await attempt({}, () => addAttachment(ctx, idOf(event), { name, bytes }));
		return 'ok' in result ? { uploaded: t('file_added', { name: name.slice(0, 100) }) } : result;
	},
	remove: async (event) => {
		const { ctx, data, failure } = await save(event);
		if (failure || !data) return failure;
		const fileId = data.fileId;
		const result = await attempt({}, () => removeAttachment(ctx, idOf(event), fileId));
		return 'ok' in result ? { uploaded: t('file_removed') } : result;
	}
};
