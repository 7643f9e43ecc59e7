import { requireUser } from '#lib/server/auth/guards.ts';
import { listMyApplications } from '#lib/server/applications/service.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ applications: await listMyApplications(requireUser(event)) });
