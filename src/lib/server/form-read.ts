import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { z as zod, type z } from 'zod';
import { t } from '../i18n.ts';

/*
 * The one way plain form actions read a posted form (superforms pages use `validateForm` in
 * forms.ts, with their zod schema): `readForm` with a zod shape that bounds each field (length,
 * list size, choices, files). Forms with repeated rows (budget lines, criteria, spending per line)
 * declare their fixed fields and bound the rest with `rest`; their readers (the `form.ts` of each
 * domain) take the checked values, never the raw body. Errors travel as a field → message map.
 */

const refusalKey = (issue: z.core.$ZodIssue) => (issue.message.startsWith('error_') ? issue.message : 'error_choose_from_list');

/** Fields that are read as every value sent under their name. */
const LISTS = new WeakSet<object>();
const listed = <T extends object>(schema: T) => (LISTS.add(schema), schema);

/** Field kinds for `readForm`: every one bounded, every refusal a message key. */
export const field = {
	/** Text of at most `max` characters; missing is ''. */
	text: (max: number) => zod.string({ error: 'error_form_unreadable' }).max(max, { error: 'error_too_long' }).default(''),
	/** Repeated text fields (rows), each at most `max` characters, at most `count` of them. */
	texts: (max: number, count = 200) => listed(zod.array(zod.string({ error: 'error_form_unreadable' }).max(max, { error: 'error_too_long' })).max(count, { error: 'error_form_too_large' }).default([])),
	/** One of `choices`; missing is `fallback` when given, else refused. */
	choice: <const T extends readonly [string, ...string[]]>(choices: T, fallback?: T[number]) =>
		fallback === undefined ? zod.enum(choices, { error: 'error_choose_from_list' }) : zod.enum(choices, { error: 'error_choose_from_list' }).default(fallback as never),
	/** A checkbox: checked when sent as "on". */
	check: () => zod.literal('on', { error: 'error_choose_from_list' }).optional().transform((v) => v === 'on'),
	/** An uploaded file (sizes and types are the file store's rules), or nothing. */
	file: () => zod.instanceof(File, { error: 'error_file_required' }).optional()
};

/** The checked values of a form, read the way FormData is (for the domain readers of repeated rows). */
export class FormValues {
	private readonly data: Record<string, unknown>;
	constructor(data: Record<string, unknown>) {
		this.data = data;
	}
	get(name: string): string | File | null {
		const v = this.data[name];
		return ((Array.isArray(v) ? v[0] : v) ?? null) as string | File | null;
	}
	getAll(name: string): (string | File)[] {
		const v = this.data[name];
		return (v === undefined ? [] : Array.isArray(v) ? v : [v]) as (string | File)[];
	}
	*entries(): IterableIterator<[string, string | File]> {
		for (const name of Object.keys(this.data)) for (const v of this.getAll(name)) yield [name, v];
	}
}

/**
 * The one way actions read a posted form: the body through the bounded reader (forms-guard.ts),
 * then `shape` — declared fields by their kind, any other field (repeated rows with ids in their
 * names) by `rest` when given, else ignored. A refusal is `fail(400, { values, errors })` with a
 * translated message at each field, and nothing has been done.
 */
export async function readForm<S extends zod.ZodRawShape>(
	event: RequestEvent,
	shape: S,
	opts: { rest?: zod.ZodType } = {}
): Promise<{ ok: true; data: zod.infer<zod.ZodObject<S>>; values: FormValues } | ActionFailure<{ values: Record<string, string>; errors: FieldErrors }>> {
	const fd = await event.request.formData();
	const raw: Record<string, unknown> = {};
	for (const name of new Set(fd.keys())) {
		const all = fd.getAll(name);
		const declared = shape[name];
		if (declared) raw[name] = LISTS.has(declared) ? all : all[0];
		else if (opts.rest) raw[name] = all.length > 1 ? all : all[0];
	}
	const schema = opts.rest ? zod.object(shape).catchall(zod.union([opts.rest, zod.array(opts.rest).max(1000, { error: 'error_form_too_large' })])) : zod.object(shape);
	const parsed = schema.safeParse(raw);
	const values = Object.fromEntries(Object.entries(raw).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v.slice(0, 20_000)]] : [])));
	if (parsed.success) return { ok: true, data: parsed.data as zod.infer<zod.ZodObject<S>>, values: new FormValues(parsed.data as Record<string, unknown>) };
	const errors: FieldErrors = {};
	for (const issue of parsed.error.issues) {
		const name = String(issue.path[0] ?? '');
		errors[name] ??= t(refusalKey(issue), 'maximum' in issue ? { max: Number(issue.maximum) } : {});
	}
	return fail(400, { values, errors });
}

export type FieldErrors = Record<string, string>;

/** `readForm`, then `op` with the checked data; a refusal is returned as it is. */
export async function withForm<S extends zod.ZodRawShape, R>(event: RequestEvent, shape: S, op: (data: zod.infer<zod.ZodObject<S>>, values: FormValues) => Promise<R>) {
	const form = await readForm(event, shape);
	return 'ok' in form ? op(form.data, form.values) : form;
}

/** A text value of a checked form (for the domain readers of repeated rows); files read as ''. */
export const text = (fd: FormValues, name: string, max = 100_000) => {
	const v = fd.get(name);
	return typeof v === 'string' ? v.slice(0, max) : '';
};
export const texts = (fd: FormValues, name: string, max = 100_000) => fd.getAll(name).map((v) => (typeof v === 'string' ? v.slice(0, max) : ''));

