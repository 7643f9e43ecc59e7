import { requireRole } from '#lib/server/auth/guards.ts';
import { listUsers } from '#lib/server/users/service.ts';
import { ROLES } from '#lib/roles.ts';
import type { PageServerLoad } from './$types';
import { oneOfQ, pageQ, readQuery, textQ } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'admin');
	const { q = '', role, page } = readQuery(event.url, { q: textQ(100), role: oneOfQ(ROLES), page: pageQ });
	return { q, role: role ?? '', roles: ROLES, users: await listUsers(ctx, { q, role, page }) };
};
