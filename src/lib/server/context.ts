import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Locale, Role } from './db/schema/index.ts';

/** The signed-in person a service acts for. Every user is an applicant; `roles` lists the rest. */
export interface Actor {
	id: string;
	email: string;
	name: string;
	locale: Locale;
	roles: Role[];
}

/**
 * What every service operation receives: where to read and write, who is acting, and the
 * clock. Tests pass their own clock and database; pages build one per request.
 */
export interface Ctx {
	database: Database;
	config: Config;
	actor: Actor | null;
	now: Date;
	ip: string | null;
	locale: Locale;
}

export const STAFF_ROLES: readonly Role[] = ['officer', 'finance', 'admin'];

export function hasRole(actor: Actor | null, role: Role): boolean {
	return !!actor && actor.roles.includes(role);
}

export function isStaff(roles: readonly Role[]): boolean {
	return roles.some((r) => STAFF_ROLES.includes(r));
}
