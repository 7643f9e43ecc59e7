import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * The browser downloads only its own language's texts.
 *
 * Paraglide compiles each message into a function that holds every language, and `t()` (keys
 * that travel as data) reaches every message, so without this each page would load the texts of
 * all four languages (about 120 KB compressed). In the browser build only, this plugin:
 *
 * - writes one file per language, `_app/immutable/messages/<lang>.<hash>.js`, holding that
 *   language's messages as they are in `messages/<lang>.json` (cached for good, like every
 *   immutable asset; a change of any text changes its name);
 * - replaces `src/lib/messages-lookup.ts` with a module that loads the file of the page's
 *   language (`<html lang>`) before the page starts, and fills in `{placeholders}` exactly as
 *   the compiled messages do (`i18n.test.ts` checks every message of every language);
 * - replaces each compiled message with a one-line call of that lookup, so a page still carries
 *   only the messages it uses.
 *
 * The server keeps Paraglide's compiled messages. It adds a modulepreload link for the
 * language's file to pages that load JavaScript (`MESSAGE_FILES`, hooks.server.ts), so the
 * file arrives together with the page's code rather than after it.
 */
export function messagesPerLanguage(root = process.cwd()): Plugin {
	const { locales } = JSON.parse(readFileSync(resolve(root, 'project.inlang/settings.json'), 'utf8')) as { locales: string[] };
	const files: Record<string, string> = {};
	const sources: Record<string, string> = {};
	for (const locale of locales) {
		const { $schema: _, ...strings } = JSON.parse(readFileSync(resolve(root, `messages/${locale}.json`), 'utf8')) as Record<string, string>;
		const source = `export default ${JSON.stringify(strings)};\n`;
		const hash = createHash('sha256').update(source).digest('base64url').slice(0, 10);
		files[locale] = `${locale}.${hash}.js`;
		sources[locale] = source;
	}
	const lookupModule = resolve(root, 'src/lib/messages-lookup.ts');
	const messageDir = resolve(root, 'src/lib/paraglide/messages');
	const isClient = (env: { config: { consumer: string } } | undefined) => env?.config.consumer === 'client';

	return {
		name: 'kvarter-messages-per-language',
		apply: 'build',
		enforce: 'pre',
		config: () => ({ define: { __KVARTER_MESSAGE_FILES__: JSON.stringify(files) } }),
		load(id) {
			if (!isClient(this.environment)) return null;
			const path = id.split('?')[0];
			if (path === lookupModule) return clientLookup(files);
			if (path.startsWith(messageDir + '/') && path.endsWith('.js')) {
				const key = path.slice(messageDir.length + 1, -'.js'.length);
				if (key === '_index' || !/^\w+$/.test(key)) return null;
				return `import { lookup } from ${JSON.stringify(lookupModule)};\nexport const ${key} = (inputs = {}) => lookup(${JSON.stringify(key)}, inputs) ?? ${JSON.stringify(key)};\n`;
			}
			return null;
		},
		generateBundle() {
			if (!isClient(this.environment)) return;
			for (const locale of locales) {
				this.emitFile({ type: 'asset', fileName: `_app/immutable/messages/${files[locale]}`, source: sources[locale] });
			}
		}
	};
}

/** A message's text with its `{placeholders}` filled in, as Paraglide's compiled message does it. */
export function fillPlaceholders(text: string, inputs: Record<string, unknown> = {}): string {
	return text.replace(/\{(\w+)\}/g, (_, name: string) => `${inputs?.[name]}`);
}

/** The browser's lookup: the page's language only, loaded once before any message is used. */
function clientLookup(files: Record<string, string>): string {
	const fill = fillPlaceholders.toString().replace(/\(text: string, inputs: Record<string, unknown> = \{\}\)/, '(text, inputs = {})').replace(/\(_, name: string\)/, '(_, name)');
	return `const files = ${JSON.stringify(files)};
const file = files[document.documentElement.lang] ?? files.en;
const strings = (await import(/* @vite-ignore */ new URL('../messages/' + file, import.meta.url).href)).default;
${fill}
export function lookup(key, inputs = {}) {
	const text = strings[key];
	return text === undefined ? undefined : fillPlaceholders(text, inputs);
}
`;
}
