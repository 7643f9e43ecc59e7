import { ctxOf } from '#lib/server/auth/guards.ts';
import { listPublicCalls } from '#lib/server/calls/service.ts';
import { publicCallOutcomes } from '#lib/server/transparency/register.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = ctxOf(event);
	const [calls, outcomes] = await Promise.all([listPublicCalls(ctx), publicCallOutcomes(ctx.database.db)]);
	return { calls, outcomes: outcomes.filter((o) => o.opensAt <= ctx.now) };
};
