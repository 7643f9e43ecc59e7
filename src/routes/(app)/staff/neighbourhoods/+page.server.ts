import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { createNeighbourhood, listNeighbourhoods, updateNeighbourhood } from '#lib/server/neighbourhoods/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const list = await listNeighbourhoods(ctx);
	const editing = list.find((n) => n.id === event.url.searchParams.get('edit')) ?? null;
	return { neighbourhoods: list, editing };
};

const NEIGHBOURHOOD_FORM = { id: field.text(100), name: field.text(200), code: field.text(100), population: field.text(20), priority: field.check(), boundary: field.text(200_000) };

function read(values: { id: string; name: string; code: string; population: string; priority: boolean; boundary: string }) {
	const population = values.population.trim() === '' ? null : /^\d+$/.test(values.population.trim()) ? Number(values.population) : -1;
	return { values, input: { name: values.name, code: values.code, population, priority: values.priority, boundary: values.boundary } };
}

export const actions: Actions = {
	create: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, NEIGHBOURHOOD_FORM);
		if (!('ok' in form)) return form;
		const { values, input } = read(form.data);
		const result = await attempt(values, () => createNeighbourhood(ctx, input));
		return 'ok' in result ? { done: t('neighbourhood_saved', { name: input.name.trim() }) } : result;
	},
	update: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, NEIGHBOURHOOD_FORM);
		if (!('ok' in form)) return form;
		const { values, input } = read(form.data);
		const result = await attempt(values, () => updateNeighbourhood(ctx, values.id, input));
		return 'ok' in result ? { done: t('neighbourhood_saved', { name: input.name.trim() }) } : result;
	}
};
