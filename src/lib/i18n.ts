import { lookup } from './messages-lookup.ts';

/**
 * Translates a message key chosen at run time (errors carried as keys from services and
 * schemas). Pages call messages directly; this is for keys that travel as data.
 */
export function t(key: string, params: Record<string, unknown> = {}): string {
	return lookup(key, params) ?? key;
}

export const LOCALE_NAMES = { en: 'English', sv: 'Svenska', nl: 'Nederlands', ar: 'العربية' } as const;
