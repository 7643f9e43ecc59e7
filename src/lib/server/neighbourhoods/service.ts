import { asc, eq } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { neighbourhoods } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { DomainError, notFound } from '../errors.ts';
import { normaliseBoundary } from './geojson.ts';
import { once } from '../db/prepared.ts';

export interface NeighbourhoodInput {
	name: string;
	/** The municipality's own area code; optional. */
	code?: string;
	population: number | null;
	priority: boolean;
	boundary: string;
}

/** Anyone may list the neighbourhoods (they label public statistics too). */
export function listNeighbourhoods(ctx: Pick<Ctx, 'database'>) {
	return ctx.database.db.select().from(neighbourhoods).orderBy(asc(neighbourhoods.name));
}

/** The neighbourhoods as a form's or a filter's choices (id and name, by name; no boundaries): asked on many pages, built once. */
export function neighbourhoodChoices(ctx: Pick<Ctx, 'database'>) {
	return once(ctx.database.db, 'neighbourhoods.choices', (db) => db.select({ id: neighbourhoods.id, name: neighbourhoods.name }).from(neighbourhoods).orderBy(asc(neighbourhoods.name)).prepare()).all();
}

function validate(input: NeighbourhoodInput) {
	const name = input.name.trim();
	if (!name || name.length > 100) throw new DomainError('invalid', 'error_neighbourhood_name', 'name');
	if (input.population !== null && (!Number.isInteger(input.population) || input.population < 0 || input.population > 10_000_000)) {
		throw new DomainError('invalid', 'error_population', 'population');
	}
	const boundary = input.boundary.trim() ? normaliseBoundary(input.boundary) : null;
	if (input.boundary.trim() && !boundary) throw new DomainError('invalid', 'error_geojson', 'boundary');
	const code = (input.code ?? '').trim();
	if (code.length > 40) throw new DomainError('invalid', 'error_area_code', 'code');
	return { name, code: code || null, population: input.population, priority: input.priority, boundary };
}

/** Officers and admins add a neighbourhood. Refuses: forbidden, invalid, conflict (name taken). */
export async function createNeighbourhood(ctx: Ctx, input: NeighbourhoodInput) {
	requireRoleIn(ctx, ['officer', 'admin']);
	const values = validate(input);
	return ctx.database.write(async (tx) => {
		const [taken] = await tx.select({ id: neighbourhoods.id }).from(neighbourhoods).where(eq(neighbourhoods.name, values.name));
		if (taken) throw new DomainError('conflict', 'error_neighbourhood_taken', 'name');
		const id = crypto.randomUUID();
		await tx.insert(neighbourhoods).values({ id, ...values, createdAt: ctx.now });
		await audit(tx, ctx, { action: 'neighbourhood.created', entityType: 'neighbourhood', entityId: id, summary: { name: values.name, priority: values.priority } });
		return id;
	});
}

/** Officers and admins change a neighbourhood. Refuses: forbidden, invalid, not_found, conflict. */
export async function updateNeighbourhood(ctx: Ctx, id: string, input: NeighbourhoodInput) {
	requireRoleIn(ctx, ['officer', 'admin']);
	const values = validate(input);
	await ctx.database.write(async (tx) => {
		const [row] = await tx.select().from(neighbourhoods).where(eq(neighbourhoods.id, id));
		if (!row) throw notFound();
		const [taken] = await tx.select({ id: neighbourhoods.id }).from(neighbourhoods).where(eq(neighbourhoods.name, values.name));
		if (taken && taken.id !== id) throw new DomainError('conflict', 'error_neighbourhood_taken', 'name');
		await tx.update(neighbourhoods).set(values).where(eq(neighbourhoods.id, id));
		await audit(tx, ctx, {
			action: 'neighbourhood.updated',
			entityType: 'neighbourhood',
			entityId: id,
			summary: { name: values.name, priority: values.priority, population: values.population }
		});
	});
}
