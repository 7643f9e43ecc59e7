import { getApp } from '#lib/server/app.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	actor: locals.actor ? { name: locals.actor.name, roles: locals.actor.roles } : null,
	municipality: getApp().config.MUNICIPALITY_NAME
});
