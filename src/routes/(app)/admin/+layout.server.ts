import { requireRole } from '#lib/server/http.ts';
import type { LayoutServerLoad } from './$types';

// Convenience only: every admin service checks the role again itself.
export const load: LayoutServerLoad = (event) => {
	requireRole(event, 'admin');
};
