import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as compiled from './paraglide/messages.js';
import { fillPlaceholders } from '../../scripts/vite-messages.ts';

const load = (locale: string) => JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>;
const keys = (o: Record<string, string>) => Object.keys(o).filter((k) => k !== '$schema').sort();

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		if (name === 'paraglide' || name === 'node_modules') return [];
		return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|svelte)$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
	});
}

describe('translations', () => {
	const en = load('en');
	// Every language the portal offers (project.inlang/settings.json), Arabic included.
	const LOCALES: string[] = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')).locales;
	const all = Object.fromEntries(LOCALES.map((l) => [l, load(l)]));

	it('offers English, Swedish, Dutch and Arabic', () => {
		expect(LOCALES).toEqual(['en', 'sv', 'nl', 'ar']);
	});

	it('has every key in every language, none empty', () => {
		for (const [locale, messages] of Object.entries(all)) {
			expect(keys(messages), `keys of ${locale}`).toEqual(keys(en));
			const empty = keys(messages).filter((k) => !messages[k]?.trim());
			expect(empty, `empty messages in ${locale}`).toEqual([]);
		}
	});

	it('uses the same {placeholders} in every language', () => {
		const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const [locale, messages] of Object.entries(all)) for (const k of keys(en)) expect(params(messages[k] ?? ''), `${locale} ${k}`).toEqual(params(en[k]));
	});

	it('defines every message the code uses', () => {
		const used = new Set<string>();
		for (const file of sourceFiles('src')) {
			const text = readFileSync(file, 'utf8');
			for (const m of text.matchAll(/\bm\.([a-z0-9_]+)\(/g)) used.add(m[1]);
			for (const m of text.matchAll(/\bt\('([a-z0-9_]+)'/g)) used.add(m[1]);
			for (const m of text.matchAll(/DomainError\('\w+', '([a-z0-9_]+)'/g)) used.add(m[1]);
			for (const m of text.matchAll(/'(error_[a-z0-9_]+)'/g)) used.add(m[1]);
		}
		const missing = [...used].filter((k) => !(k in en)).sort();
		expect(missing).toEqual([]);
		expect(used.size).toBeGreaterThan(100);
	});

	it('has a name for every role and outbox status', () => {
		for (const k of ['role_applicant', 'role_reviewer', 'role_officer', 'role_finance', 'role_admin', 'outbox_status_pending', 'outbox_status_sent', 'outbox_status_failed']) {
			expect(en[k], k).toBeTruthy();
		}
	});

	// The browser gets one language's texts from messages/<lang>.json and fills them itself
	// (scripts/vite-messages.ts); the server renders Paraglide's compiled messages. A difference
	// would show as text changing when the page starts, so every message must come out the same.
	it('fills every message in the browser exactly as the server renders it', () => {
		type Compiled = (inputs: Record<string, unknown>, options: { locale: string }) => string;
		const fns = compiled as unknown as Record<string, Compiled>;
		let checked = 0;
		for (const [locale, messages] of Object.entries(all)) {
			for (const k of keys(en)) {
				const names = [...(messages[k] ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
				const inputs = Object.fromEntries(names.map((n, i) => [n, i % 2 ? 1234 : `<${n}>`]));
				expect(fillPlaceholders(messages[k] ?? '', inputs), `${locale} ${k}`).toBe(fns[k](inputs, { locale }));
				// A value the caller left out reads as Paraglide's does ("undefined"), not differently.
				if (names.length) expect(fillPlaceholders(messages[k] ?? '', {}), `${locale} ${k} without values`).toBe(fns[k]({}, { locale }));
				checked++;
			}
		}
		expect(checked).toBe(LOCALES.length * keys(en).length);
	});
});
