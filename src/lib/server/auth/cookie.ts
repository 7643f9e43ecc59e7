import type { Cookies } from '@sveltejs/kit';
import type { Config } from '../config.ts';
import { isProductionOrigin } from '../config.ts';
import { cookieName as localeCookieName } from '../../paraglide/runtime.js';

/** `__Host-` and Secure when served over https (production); a plain name on http://localhost. */
export function sessionCookieName(config: Config) {
	return isProductionOrigin(config) ? '__Host-kvarter_session' : 'kvarter_session';
}

export function setSessionCookie(cookies: Cookies, config: Config, token: string, expiresAt: Date) {
	cookies.set(sessionCookieName(config), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: isProductionOrigin(config),
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies, config: Config) {
	cookies.delete(sessionCookieName(config), { path: '/', httpOnly: true, sameSite: 'lax', secure: isProductionOrigin(config) });
}

/** The language cookie is read by the browser too (Paraglide on the client), so not HttpOnly. */
export function setLocaleCookie(cookies: Cookies, config: Config, locale: string) {
	cookies.set(localeCookieName, locale, { path: '/', httpOnly: false, sameSite: 'lax', secure: isProductionOrigin(config), maxAge: 60 * 60 * 24 * 400 });
}

/** The device cookie: marks a browser its person signed in from before (see signIn). */
export function deviceCookieName(config: Config) {
	return isProductionOrigin(config) ? '__Host-kvarter_device' : 'kvarter_device';
}

export function setDeviceCookie(cookies: Cookies, config: Config, token: string) {
	cookies.set(deviceCookieName(config), token, { path: '/', httpOnly: true, sameSite: 'lax', secure: isProductionOrigin(config), maxAge: 60 * 60 * 24 * 365 });
}
