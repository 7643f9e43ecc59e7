import { requireUser } from '#lib/server/auth/guards.ts';
import { todoPage } from '#lib/server/todo/service.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ groups: await todoPage(requireUser(event)) });
