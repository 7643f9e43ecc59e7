import { getTextDirection, type Locale } from '#lib/paraglide/runtime.js';

declare const __KVARTER_MESSAGE_FILES__: Record<string, { all: string; public: string }> | undefined;

/** Each language's texts for the browser, by file name (production build only; see scripts/vite-messages.ts). */
const MESSAGE_FILES: Record<string, { all: string; public: string }> = typeof __KVARTER_MESSAGE_FILES__ === 'undefined' ? {} : __KVARTER_MESSAGE_FILES__;

/**
 * Fills app.html's language: `lang`, `dir`, which of the language's texts the page needs (all, or
 * those of public pages: `data-texts`), and — on pages that load JavaScript (Kit preloads their
 * modules) — a preload of the file holding them.
 */
export function fillLanguage(html: string, locale: Locale, publicPage = false): string {
	// Everything to fill is in the head: the body (most of a long page) is left as it is, not copied.
	const end = html.indexOf('</head>');
	const head = end < 0 ? html : html.slice(0, end);
	const file = MESSAGE_FILES[locale]?.[publicPage ? 'public' : 'all'];
	const preload = file && head.includes('rel="modulepreload"') ? `<link rel="modulepreload" href="/_app/immutable/messages/${file}">` : '';
	const filled = head.replace('%lang%', locale).replace('%dir%', directionOf(locale)).replace('%kvarter.texts%', publicPage ? 'public' : 'all').replace('%kvarter.messages%', preload);
	return end < 0 ? filled : filled + html.slice(end);
}

const directions = new Map<Locale, string>();
/** A language's writing direction, worked out once (Intl.Locale is made afresh on every call otherwise). */
function directionOf(locale: Locale) {
	let dir = directions.get(locale);
	if (!dir) directions.set(locale, (dir = getTextDirection(locale)));
	return dir;
}
