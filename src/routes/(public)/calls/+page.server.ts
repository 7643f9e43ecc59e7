import { ctxOf } from '#lib/server/auth/guards.ts';
import { listPublicCalls } from '#lib/server/calls/service.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ calls: await listPublicCalls(ctxOf(event)) });
