import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { t } from '../../i18n.ts';
import { getLocale } from '../../paraglide/runtime.js';
import { getApp } from '../app.ts';
import type { Ctx } from '../context.ts';
import type { Locale, Role } from '../../roles.ts';

/** The service context of this request: the app's database and config, the signed-in actor, now. */
export function ctxOf(event: RequestEvent): Ctx {
	const app = getApp();
	return {
		database: app.database,
		config: app.config,
		actor: event.locals.actor,
		now: new Date(),
		ip: clientIp(event),
		locale: getLocale() as Locale
	};
}

export function clientIp(event: RequestEvent): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}

/** Pages that need a signed-in user: others go to sign-in and come back afterwards. */
export function requireUser(event: RequestEvent): Ctx & { actor: NonNullable<Ctx['actor']> } {
	const ctx = ctxOf(event);
	if (!ctx.actor) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/sign-in?next=${encodeURIComponent(next)}`);
	}
	return ctx as Ctx & { actor: NonNullable<Ctx['actor']> };
}

/** Pages for one role: a signed-in user without it gets 403. Services check again themselves. */
export function requireRole(event: RequestEvent, ...roles: Role[]) {
	const ctx = requireUser(event);
	if (!roles.some((r) => ctx.actor.roles.includes(r))) error(403, t('error_forbidden'));
	return ctx;
}

export { safeNext } from '../redirects.ts';

