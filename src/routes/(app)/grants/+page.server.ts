import { requireUser } from '#lib/server/auth/guards.ts';
import { listMyGrants } from '#lib/server/grants/service.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ grants: await listMyGrants(requireUser(event)) });
