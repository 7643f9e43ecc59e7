import type { Actor, Ctx } from '../context.ts';
import type { Role } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';

/** Services call this first: the actor must be signed in. Refuses: forbidden. */
export function requireActor(ctx: Pick<Ctx, 'actor'>): Actor {
	if (!ctx.actor) throw new DomainError('forbidden', 'error_sign_in_required');
	return ctx.actor;
}

/** The actor must hold one of `roles`. Refuses: forbidden. */
export function requireRoleIn(ctx: Pick<Ctx, 'actor'>, roles: Role[]): Actor {
	const actor = requireActor(ctx);
	if (!roles.some((r) => actor.roles.includes(r))) throw new DomainError('forbidden', 'error_forbidden');
	return actor;
}
