import { getApp } from '#lib/server/app.ts';
import { ctxOf } from '#lib/server/auth/guards.ts';
import { todoCount } from '#lib/server/todo/service.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const actor = event.locals.actor;
	return {
		actor: actor ? { name: actor.name, roles: actor.roles } : null,
		// What waits for the signed-in person, for the header's count (read again after every action).
		todo: actor ? await todoCount(ctxOf(event)) : 0,
		municipality: getApp().config.MUNICIPALITY_NAME,
		timeZone: getApp().config.TIME_ZONE
	};
};
