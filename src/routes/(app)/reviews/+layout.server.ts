import { requireRole } from '#lib/server/auth/guards.ts';
import type { LayoutServerLoad } from './$types';

// Convenience only: every review service checks the role and the assignment itself.
export const load: LayoutServerLoad = (event) => {
	requireRole(event, 'reviewer');
};
