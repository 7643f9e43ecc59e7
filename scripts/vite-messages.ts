import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { isPublicRoute } from '../src/lib/public-routes.ts';

/**
 * The browser downloads only its own language's texts, and on public pages only the texts public
 * pages use.
 *
 * Paraglide compiles each message into a function that holds every language, and `t()` (keys
 * that travel as data) reaches every message, so without this each page would load the texts of
 * all four languages (about 120 KB compressed). In the browser build only, this plugin:
 *
 * - writes two files per language: `_app/immutable/messages/<lang>.<hash>.js` with all of that
 *   language's messages as they are in `messages/<lang>.json`, and `<lang>.public.<hash>.js`
 *   with the messages of the pages a visitor sees (`isPublicRoute`): those the code of their
 *   routes and of everything it imports names, and every message whose key is written in that
 *   code or starts a key it puts together (`kind_${…}`). Both are cached for good, like every
 *   immutable asset; a change of any text or of the code changes their names;
 * - replaces `src/lib/messages-lookup.ts` with a module that loads the page's language
 *   (`<html lang>`) before the page starts — the public file on a public page (`<html
 *   data-texts="public">`), all otherwise — and all of them before the browser's router shows a
 *   page that is not public (`loadAllTexts`, from the root layout's `onNavigate`). It fills in
 *   `{placeholders}` exactly as the compiled messages do (`i18n.test.ts` checks every message of
 *   every language);
 * - replaces each compiled message with a one-line call of that lookup, so a page still carries
 *   only the messages it uses.
 *
 * The server keeps Paraglide's compiled messages. It adds a modulepreload link for the
 * language's file to pages that load JavaScript (`messageFiles`, page-language.ts), so the file
 * arrives together with the page's code rather than after it.
 */
export function messagesPerLanguage(root = process.cwd()): Plugin {
	const { locales } = JSON.parse(readFileSync(resolve(root, 'project.inlang/settings.json'), 'utf8')) as { locales: string[] };
	const files: Record<string, { all: string; public: string }> = {};
	const strings: Record<string, Record<string, string>> = {};
	// The public files' content depends on the code too, known only once it is bundled: their names
	// carry a hash of every text and of the source that decides which are public.
	const code = createHash('sha256');
	for (const file of sourceFiles(resolve(root, 'src'))) code.update(file).update(readFileSync(file));
	for (const locale of locales) {
		const { $schema: _, ...texts } = JSON.parse(readFileSync(resolve(root, `messages/${locale}.json`), 'utf8')) as Record<string, string>;
		strings[locale] = texts;
		code.update(JSON.stringify(texts));
	}
	const codeHash = code.digest('base64url').slice(0, 10);
	for (const locale of locales) files[locale] = { all: `${locale}.${hashOf(moduleOf(strings[locale]))}.js`, public: `${locale}.public.${codeHash}.js` };

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
		generateBundle(_, bundle) {
			if (!isClient(this.environment)) return;
			const keys = publicKeys(bundle, messageDir, new Set(Object.keys(strings[locales[0]])));
			for (const locale of locales) {
				const texts = strings[locale];
				const publicTexts = Object.fromEntries(Object.entries(texts).filter(([key]) => keys.has(key)));
				this.emitFile({ type: 'asset', fileName: `_app/immutable/messages/${files[locale].all}`, source: moduleOf(texts) });
				this.emitFile({ type: 'asset', fileName: `_app/immutable/messages/${files[locale].public}`, source: moduleOf(publicTexts) });
			}
		}
	};
}

interface OutputChunk {
	type: 'chunk';
	code: string;
	imports: string[];
	moduleIds: string[];
	facadeModuleId: string | null;
	isEntry: boolean;
}

/**
 * The keys of the messages public pages may show: from each public route's entry (and Kit's
 * own), through every chunk it imports, the messages those chunks hold, every message key
 * written in their code, and every key starting a key they put together at run time.
 */
function publicKeys(bundle: Record<string, { type: string }>, messageDir: string, allKeys: Set<string>) {
	const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk');
	const byFile = new Map(Object.entries(bundle).filter(([, c]) => c.type === 'chunk') as [string, OutputChunk][]);
	const starts = chunks.filter((c) => c.isEntry && (!c.facadeModuleId?.includes('/nodes/') || isPublicNode(c.facadeModuleId)));
	const seen = new Set<OutputChunk>();
	const stack = [...starts];
	while (stack.length) {
		const chunk = stack.pop()!;
		if (seen.has(chunk)) continue;
		seen.add(chunk);
		for (const file of chunk.imports) if (byFile.has(file)) stack.push(byFile.get(file)!);
	}
	const keys = new Set<string>();
	const prefixes = new Set<string>();
	for (const chunk of seen) {
		for (const id of chunk.moduleIds) if (id.startsWith(messageDir + '/')) keys.add(id.slice(messageDir.length + 1).replace(/\.js$/, ''));
		for (const [, word] of chunk.code.matchAll(/[`'"](\w+)[`'"]/g)) if (allKeys.has(word)) keys.add(word);
		for (const [, start] of chunk.code.matchAll(/`(\w+_)\$\{/g)) prefixes.add(start);
	}
	for (const key of allKeys) if ([...prefixes].some((p) => key.startsWith(p))) keys.add(key);
	return keys;
}

/** Whether a route node of Kit's build (`…/nodes/N.js`, which imports the route's files) belongs to a public route. */
function isPublicNode(nodeModule: string) {
	const source = readFileSync(nodeModule.split('?')[0], 'utf8');
	const file = /src\/routes\/(?:([^'"]*?)\/)?\+(?:page|layout|error)\b/.exec(source);
	// The route id of the file's folder: "/(public)/calls/[id]"; the root's files are "/".
	return file !== null && isPublicRoute(`/${file[1] ?? ''}`);
}

function* sourceFiles(dir: string): Generator<string> {
	for (const name of readdirSync(dir).sort()) {
		const path = join(dir, name);
		if (name === 'paraglide') continue;
		if (statSync(path).isDirectory()) yield* sourceFiles(path);
		else yield path;
	}
}

const moduleOf = (texts: Record<string, string>) => `export default ${JSON.stringify(texts)};\n`;
const hashOf = (source: string) => createHash('sha256').update(source).digest('base64url').slice(0, 10);

/** A message's text with its `{placeholders}` filled in, as Paraglide's compiled message does it. */
export function fillPlaceholders(text: string, inputs: Record<string, unknown> = {}): string {
	return text.replace(/\{(\w+)\}/g, (_, name: string) => `${inputs?.[name]}`);
}

/** The browser's lookup: the page's language only, loaded once before any message is used. */
function clientLookup(files: Record<string, { all: string; public: string }>): string {
	const fill = fillPlaceholders.toString().replace(/\(text: string, inputs: Record<string, unknown> = \{\}\)/, '(text, inputs = {})').replace(/\(_, name: string\)/, '(_, name)');
	return `const files = ${JSON.stringify(files)};
const html = document.documentElement;
const mine = files[html.lang] ?? files.en;
const load = async (file) => (await import(/* @vite-ignore */ new URL('../messages/' + file, import.meta.url).href)).default;
let all = html.dataset.texts !== 'public';
let strings = await load(all ? mine.all : mine.public);
${fill}
export function lookup(key, inputs = {}) {
	const text = strings[key];
	return text === undefined ? undefined : fillPlaceholders(text, inputs);
}
export async function loadAllTexts() {
	if (all) return;
	strings = await load(mine.all);
	all = true;
}
`;
}
