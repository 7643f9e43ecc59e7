import * as messages from './paraglide/messages.js';

type MessageFn = (inputs?: Record<string, unknown>) => string;

/**
 * One message by key, in the current language; undefined for a key that is not a message.
 *
 * This is the server's version (and the dev server's): every language's compiled messages.
 * The browser build replaces this module with one that holds only the page's language, fetched
 * once as its own cached file (`scripts/vite-messages.ts`), so a page never downloads the other
 * languages' texts.
 */
export function lookup(key: string, inputs: Record<string, unknown> = {}): string | undefined {
	const fn = (messages as unknown as Record<string, MessageFn | undefined>)[key];
	return typeof fn === 'function' ? fn(inputs) : undefined;
}

/** The browser's version loads the rest of the language's texts before a page that is not public; the server has them all. */
export async function loadAllTexts(): Promise<void> {}
