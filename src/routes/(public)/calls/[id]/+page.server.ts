import { ctxOf } from '#lib/server/auth/guards.ts';
import { attempt } from '#lib/server/forms.ts';
import { getPublicCall } from '#lib/server/calls/service.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = ctxOf(event);
	const result = await attempt({}, () => getPublicCall(ctx, event.params.id));
	return { view: 'ok' in result ? result.value : null, signedIn: !!ctx.actor };
};
