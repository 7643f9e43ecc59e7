import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The portal's routes, read from `src/routes`: every page (and whether it has a server load),
 * every form action of every page and every method of every endpoint. The hostile-input tests
 * use this list, so a route or action added tomorrow is tried without anyone listing it.
 */
export interface Route {
	/** `/grants/[id]/reports/[milestoneId]` (groups left out). */
	pattern: string;
	params: string[];
	page: boolean;
	actions: string[];
	methods: string[];
	/** String literals the route's server code reads from forms (field names to fuzz). */
	fields: string[];
}

const ROOT = 'src/routes';

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((f) => {
		const p = join(dir, f);
		return statSync(p).isDirectory() ? files(p) : [p];
	});
}

export function routeTree(): Route[] {
	const byDir = new Map<string, string[]>();
	for (const f of files(ROOT)) {
		const name = f.split('/').pop()!;
		if (!/^\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(name)) continue;
		const dir = relative(ROOT, f.slice(0, -name.length - 1));
		byDir.set(dir, [...(byDir.get(dir) ?? []), name]);
	}
	return [...byDir.entries()]
		.map(([dir, names]) => {
			const pattern = '/' + dir.split('/').filter((s) => s && !/^\(.*\)$/.test(s)).join('/');
			const server = names.includes('+page.server.ts') ? readFileSync(join(ROOT, dir, '+page.server.ts'), 'utf8') : '';
			const endpoint = names.includes('+server.ts') ? readFileSync(join(ROOT, dir, '+server.ts'), 'utf8') : '';
			const actionsBlock = server.split('export const actions')[1] ?? '';
			return {
				pattern,
				params: [...pattern.matchAll(/\[(\w+)\]/g)].map((m) => m[1]),
				page: names.includes('+page.svelte'),
				actions: [...actionsBlock.matchAll(/^\t(\w+): (?:async )?\(/gm)].map((m) => m[1]),
				methods: [...endpoint.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]),
				fields: [...new Set([...server.matchAll(/(?:text|texts|get|getAll|moneyField|numberField|fileOf)\(\s*fd\s*,\s*'([\w-]+)'/g)].map((m) => m[1]))]
			};
		})
		.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
