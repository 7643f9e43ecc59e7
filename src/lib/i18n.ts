import * as messages from './paraglide/messages.js';

type MessageFn = (inputs?: Record<string, unknown>) => string;

/**
 * Translates a message key chosen at run time (errors carried as keys from services and
 * schemas). Pages call messages directly; this is for keys that travel as data.
 */
export function t(key: string, params: Record<string, unknown> = {}): string {
	const fn = (messages as unknown as Record<string, MessageFn | undefined>)[key];
	return typeof fn === 'function' ? fn(params) : key;
}

export const LOCALE_NAMES = { en: 'English', sv: 'Svenska', nl: 'Nederlands', ar: 'العربية' } as const;
