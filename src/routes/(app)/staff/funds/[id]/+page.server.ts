import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt } from '#lib/server/forms.ts';
import { getFund } from '#lib/server/calls/service.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const result = await attempt({}, () => getFund(ctx, event.params.id));
	return 'ok' in result ? result.value : { fund: null, calls: [] };
};
