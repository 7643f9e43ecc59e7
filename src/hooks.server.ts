import { error, redirect } from '@sveltejs/kit';
import { sequence, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit/hooks';
import * as env from '$app/env/private';
import { dev } from '$app/env';
import { counted, startApp, getApp } from '#lib/server/app.ts';
import { configSpec, type Config } from '#lib/server/config.ts';
import { validateSessionToken } from '#lib/server/auth/session.ts';
import { clearSessionCookie, sessionCookieName, setLocaleCookie, setSessionCookie } from '#lib/server/auth/cookie.ts';
import { localPath } from '#lib/server/redirects.ts';
import { guardFormData } from '#lib/server/forms-guard.ts';
import { t } from '#lib/i18n.ts';
import { paraglideMiddleware } from '#lib/paraglide/server.js';
import { cookieName as localeCookie, extractLocaleFromHeader, isLocale } from '#lib/paraglide/runtime.js';
import { fillLanguage } from '#lib/server/page-language.ts';
import { isPublicRoute } from '#lib/public-routes.ts';
import { compressed } from '#lib/server/compress.ts';

export const init: ServerInit = async () => {
	// Kit has already parsed and validated every variable with the parsers of configSpec (src/env.ts).
	const values = env as unknown as Record<string, unknown>;
	await startApp(Object.fromEntries(Object.keys(configSpec).map((k) => [k, values[k]])) as Config);
};

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Refuses state-changing requests from other sites (forms and JSON alike), against PUBLIC_ORIGIN. */
const checkOrigin: Handle = ({ event, resolve }) => {
	if (UNSAFE_METHODS.has(event.request.method)) {
		const origin = event.request.headers.get('origin');
		const site = event.request.headers.get('sec-fetch-site');
		const allowed = [getApp().config.PUBLIC_ORIGIN, ...(dev ? [event.url.origin] : [])];
		const ok = origin ? allowed.includes(origin) : !site || site === 'same-origin' || site === 'none';
		if (!ok) error(403, 'Cross-site form submissions are forbidden');
	}
	return resolve(event);
};

/** Language from ?lang= (the switcher), else the cookie, else Accept-Language; remembered in a cookie. */
const locale: Handle = ({ event, resolve }) => {
	const requested = event.url.searchParams.get('lang');
	const { config } = getApp();
	if (requested !== null && event.request.method === 'GET') {
		const target = new URL(event.url);
		target.searchParams.delete('lang');
		if (isLocale(requested)) setLocaleCookie(event.cookies, config, requested);
		// Back to the same page, never to another site (`//evil.example?lang=en`).
		redirect(303, localPath(target.pathname + target.search) ?? '/');
	}
	const fromCookie = event.cookies.get(localeCookie);
	if (!fromCookie || !isLocale(fromCookie)) {
		setLocaleCookie(event.cookies, config, extractLocaleFromHeader(event.request) ?? 'en');
	}
	// No URL strategy, so the middleware's request is the original one; it only sets getLocale().
	return paraglideMiddleware(event.request, ({ locale }) => {
		return resolve(event, {
			transformPageChunk: ({ html }) => fillLanguage(html, locale, isPublicRoute(event.route.id))
		});
	});
};

/**
 * Every posted form is read through the bounded reader (forms-guard.ts): an unreadable body,
 * too many fields or control characters answer 400 with a translated message, never 500.
 * Addresses that start with `//` name no page here (and could be taken for another site).
 */
const boundedInput: Handle = ({ event, resolve }) => {
	if (event.url.pathname.startsWith('//')) error(404, t('error_not_found'));
	if (UNSAFE_METHODS.has(event.request.method)) guardFormData(event.request);
	return resolve(event);
};

/** Who is signed in: a valid session cookie becomes locals.actor; a bad one is cleared. */
const session: Handle = async ({ event, resolve }) => {
	const { config, database } = getApp();
	const token = event.cookies.get(sessionCookieName(config)) ?? null;
	event.locals.actor = null;
	event.locals.sessionToken = null;
	if (token) {
		const result = await validateSessionToken(database, token, new Date());
		if (result) {
			event.locals.actor = result.actor;
			event.locals.sessionToken = token;
			setSessionCookie(event.cookies, config, token, result.expiresAt);
		} else {
			clearSessionCookie(event.cookies, config);
		}
	}
	return resolve(event);
};

const headers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	h.set('X-Frame-Options', 'DENY');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (getApp().config.PUBLIC_ORIGIN.startsWith('https:')) {
		h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
	}
	if (event.locals.actor || event.locals.sessionToken !== null) h.set('Cache-Control', 'no-store');
	return compressed(event.request, response);
};

const handleRequest = sequence(checkOrigin, locale, boundedInput, session, headers);
/** Every request is counted while it is handled: the database closes after the last one on shutdown. */
export const handle: Handle = (input) => counted(async () => handleRequest(input));

/** Unexpected errors are logged with an id that the error page shows, so a report can be traced. */
export const handleError: HandleServerError = ({ kind, error, event }) => {
	if (kind !== 'unknown') return;
	const errorId = crypto.randomUUID().slice(0, 8);
	console.error(`[error ${errorId}] ${event.request.method} ${event.url.pathname}:`, error);
	return { message: 'Internal error', errorId };
};
