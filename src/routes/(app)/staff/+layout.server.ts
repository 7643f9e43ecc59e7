import { requireRole } from '#lib/server/auth/guards.ts';
import type { LayoutServerLoad } from './$types';

// Convenience only: every staff service checks the role again itself.
export const load: LayoutServerLoad = (event) => {
	requireRole(event, 'officer', 'admin');
};
