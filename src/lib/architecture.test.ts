import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		return statSync(p).isDirectory() ? files(p) : /\.(ts|svelte)$/.test(name) ? [p] : [];
	});
}

describe('the shape of the code', () => {
	it('keeps routes thin: no route imports drizzle, the schema or the database client', () => {
		const offenders = files('src/routes').filter((f) =>
			/from ['"](drizzle-orm[^'"]*|#lib\/server\/db\/[^'"]*|\$lib\/server\/db\/[^'"]*|@libsql\/client)['"]/.test(readFileSync(f, 'utf8'))
		);
		expect(offenders).toEqual([]);
	});

	it('keeps route files short', () => {
		const long = files('src/routes')
			.filter((f) => f.endsWith('.ts'))
			.filter((f) => readFileSync(f, 'utf8').split('\n').length > 90);
		expect(long).toEqual([]);
	});

	it('writes only through the serialized write path', () => {
		// A bare db.transaction() elsewhere would bypass the queue and risk SQLITE_BUSY. The copy for
		// backups and restores reads a database in one read transaction and writes only a new, empty one.
		const bare = files('src/lib/server')
			.filter((f) => !f.endsWith('db/client.ts') && !f.endsWith('db/copy.ts') && !f.endsWith('.test.ts'))
			.filter((f) => /\.transaction\(/.test(readFileSync(f, 'utf8')));
		expect(bare).toEqual([]);
	});

	it('keeps the space before text that a block adds to a line (Svelte trims it inside the block)', () => {
		// "Approved{#if x} SEK 10 500{/if}" renders "ApprovedSEK 10 500": write {' '} inside the block.
		const trimmed = [...files('src/routes'), ...files('src/lib/components')]
			.filter((f) => f.endsWith('.svelte'))
			.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (/(\{(#if|:else if) [^}\n]*\}|\{:else\}) +[^ \n]/.test(line) ? [`${f}:${i + 1}`] : [])));
		expect(trimmed).toEqual([]);
	});

	it('lays out with logical properties only, so that a right-to-left language mirrors every page', () => {
		const physical = /\b(margin|padding|border)-(left|right)\b|(^|[;{\s])(left|right)\s*:|text-align:\s*(left|right)|float:\s*(left|right)/;
		const found = ['src/app.css', ...files('src/routes'), ...files('src/lib/components')]
			.filter((f) => f.endsWith('.css') || f.endsWith('.svelte'))
			.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (physical.test(line) ? [`${f}:${i + 1}: ${line.trim().slice(0, 80)}`] : [])));
		expect(found).toEqual([]);
	});
});
