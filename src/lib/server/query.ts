import { z } from 'zod';
import { isIsoDate } from './time.ts';

/**
 * Query parameters (page, filters, sort) read through one schema per page. Every field falls
 * back to its default when missing, malformed or out of range, so no address a person can type
 * makes a page fail.
 */
export const MAX_PAGE = 100_000;

/** A page number from 1 to MAX_PAGE; anything else is the first page. */
export const pageQ = z.coerce.number().int().min(1).max(MAX_PAGE).catch(1);
/** Free text (a search, an id): trimmed, at most `max` characters, without control characters; else none. */
export const textQ = (max: number) => {
	let schema = textSchemas.get(max);
	if (!schema) textSchemas.set(max, (schema = z.string().trim().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]*$/).optional().catch(undefined)));
	return schema;
};
const textSchemas = new Map<number, z.ZodCatch<z.ZodOptional<z.ZodString>>>();
/** One of a fixed list; else none. */
export const oneOfQ = <const T extends readonly [string, ...string[]]>(list: T) => z.enum(list).optional().catch(undefined);
/** A year from 2000 to 2999; else none. */
export const yearQ = z.coerce.number().int().min(2000).max(2999).optional().catch(undefined);
/** A calendar day (YYYY-MM-DD); else none. */
export const dayQ = z.string().refine(isIsoDate).optional().catch(undefined);
/** A checkbox filter: present as "on". */
export const flagQ = z
	.string()
	.optional()
	.transform((v) => v === 'on')
	.catch(false);

/**
 * The first value of each parameter, parsed by `shape` (whose fields never fail). Field by field:
 * an object schema made afresh for each request would be compiled afresh each time.
 */
export function readQuery<S extends z.ZodRawShape>(url: URL, shape: S): z.infer<z.ZodObject<S>> {
	const out: Record<string, unknown> = {};
	for (const [key, schema] of Object.entries(shape)) {
		const value = (schema as z.ZodType).parse(url.searchParams.get(key) ?? undefined);
		if (value !== undefined) out[key] = value;
	}
	return out as z.infer<z.ZodObject<S>>;
}

/** Repeated ids (`?select=1&select=2`): at most `max` positive whole numbers, the rest ignored. */
export function idsQ(url: URL, name: string, max = 500): number[] {
	return url.searchParams
		.getAll(name)
		.slice(0, max)
		.map(Number)
		.filter((n) => Number.isSafeInteger(n) && n > 0);
}
