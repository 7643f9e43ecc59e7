import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { createNeighbourhood, listNeighbourhoods, updateNeighbourhood } from '#lib/server/neighbourhoods/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const list = await listNeighbourhoods(ctx);
	const editing = list.find((n) => n.id === event.url.searchParams.get('edit')) ?? null;
	return { neighbourhoods: list, editing };
};

function read(fd: FormData) {
	const values = { id: text(fd, 'id', 100), name: text(fd, 'name', 200), code: text(fd, 'code', 100), population: text(fd, 'population', 20), priority: fd.get('priority') === 'on', boundary: text(fd, 'boundary', 200_000) };
	const population = values.population.trim() === '' ? null : /^\d+$/.test(values.population.trim()) ? Number(values.population) : -1;
	return { values, input: { name: values.name, code: values.code, population, priority: values.priority, boundary: values.boundary } };
}

export const actions: Actions = {
	create: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const { values, input } = read(await event.request.formData());
		const result = await attempt(values, () => createNeighbourhood(ctx, input));
		return 'ok' in result ? { done: t('neighbourhood_saved', { name: input.name.trim() }) } : result;
	},
	update: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const { values, input } = read(await event.request.formData());
		const result = await attempt(values, () => updateNeighbourhood(ctx, values.id, input));
		return 'ok' in result ? { done: t('neighbourhood_saved', { name: input.name.trim() }) } : result;
	}
};
