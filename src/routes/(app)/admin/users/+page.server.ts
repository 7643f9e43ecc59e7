import { requireRole } from '#lib/server/auth/guards.ts';
import { listUsers } from '#lib/server/users/service.ts';
import { ROLES, type Role } from '#lib/roles.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'admin');
	const q = event.url.searchParams.get('q')?.slice(0, 100) ?? '';
	const roleParam = event.url.searchParams.get('role') ?? '';
	const role = (ROLES as readonly string[]).includes(roleParam) ? (roleParam as Role) : undefined;
	const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	return { q, role: role ?? '', roles: ROLES, users: await listUsers(ctx, { q, role, page }) };
};
