import { error, fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { setError, superValidate, type SuperValidated } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { z } from 'zod';
import { t } from '../i18n.ts';
import { DomainError, STATUS_OF } from './errors.ts';

/** Validates a posted form with a zod schema whose messages are message keys, translating them. */
export async function validateForm<S extends z.ZodObject>(event: RequestEvent, schema: S) {
	// Read through the bounded reader (forms-guard.ts) first: an unreadable or oversized body is a 400 with its message.
	const form = await superValidate(await event.request.formData(), zod4(schema));
	translateErrors(form.errors as Record<string, unknown>);
	return form;
}

/** Translates message keys in place, keeping only the first message of each field (one fix at a time). */
function translateErrors(errors: Record<string, unknown>) {
	for (const [k, v] of Object.entries(errors)) {
		if (Array.isArray(v)) errors[k] = v.slice(0, 1).map((e) => (typeof e === 'string' ? t(e) : e));
		else if (v && typeof v === 'object') translateErrors(v as Record<string, unknown>);
	}
}

/** Blanks secret fields so they are never sent back to the browser. */
export function withoutSecrets<T extends SuperValidated<Record<string, unknown>>>(form: T, ...fields: string[]): T {
	for (const f of fields) if (f in form.data) (form.data as Record<string, unknown>)[f] = '';
	return form;
}

/**
 * Turns a DomainError into what the person sees: a message next to the field (or at the top of
 * the form), 403 or 404. Anything else is a bug and goes on to handleError.
 */
export function failFrom<T extends SuperValidated<Record<string, unknown>>>(form: T, err: unknown, ...secretFields: string[]) {
	if (!(err instanceof DomainError)) throw err;
	if (err.code === 'not_found') error(404, t('error_not_found'));
	if (err.code === 'forbidden') error(403, t(err.messageKey));
	withoutSecrets(form, ...secretFields);
	const message = t(err.messageKey, err.params);
	const field = err.field && err.field in form.data ? err.field : '';
	return setError(form, field as '', message, { status: STATUS_OF[err.code] as 400 });
}

export function invalid<T extends SuperValidated<Record<string, unknown>>>(form: T, ...secretFields: string[]) {
	return fail(400, { form: withoutSecrets(form, ...secretFields) });
}

// ------------------------------------------------------------------ plain forms
// Read by `readForm` (form-read.ts); their errors travel as a field → message map.
export { field, FormValues, readForm, text, texts, withForm, type FieldErrors } from './form-read.ts';
import type { FieldErrors } from './form-read.ts';



/** Translated messages of a refusal, by field ('' for the form as a whole). */
export function errorsOf(err: DomainError): FieldErrors {
	const list = err.issues.length ? err.issues : [{ field: err.field ?? '', messageKey: err.messageKey, params: err.params }];
	const out: FieldErrors = {};
	// A summary line of its own only when it says more than the issues do.
	if (err.issues.length && !err.issues.some((i) => i.messageKey === err.messageKey)) out[''] = t(err.messageKey, err.params);
	for (const i of list) out[i.field] ??= t(i.messageKey, i.params ?? {});
	return out;
}

/**
 * Runs a service call for a plain form. A refusal comes back as `fail(status, { values, errors })`
 * for the page to show next to the fields (403/404 are thrown); anything else is a bug.
 */
export async function attempt<T, V extends object>(
	values: V,
	op: () => Promise<T>
): Promise<{ ok: true; value: T } | ActionFailure<{ values: V; errors: FieldErrors }>> {
	try {
		return { ok: true, value: await op() };
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		if (err.code === 'not_found') error(404, t('error_not_found'));
		if (err.code === 'forbidden') error(403, t(err.messageKey));
		return fail(STATUS_OF[err.code], { values, errors: errorsOf(err) });
	}
}

/**
 * For endpoints without a form to show errors on: a refusal becomes an HTTP error page with its
 * translated message (404, 403, 409, 400); anything else is a bug.
 */
export async function orRefuse<T>(op: () => Promise<T>): Promise<T> {
	try {
		return await op();
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		error(STATUS_OF[err.code], t(err.messageKey, err.params));
	}
}
