import { requireRole } from '#lib/server/auth/guards.ts';
import { myQueue } from '#lib/server/reviews/service.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ queue: await myQueue(requireRole(event, 'reviewer')) });
