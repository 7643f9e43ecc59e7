import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from './testing/db.ts';
import { acceptedGrant, neighbourhood, refusalOf } from './testing/fixtures.ts';
import { applications, milestones } from './db/schema/index.ts';
import type { Actor } from './context.ts';
import { toCsv } from './csv.ts';
import { readQuery, pageQ, textQ, yearQ, idsQ } from './query.ts';
import { localPath, safeNext } from './redirects.ts';
import { checkForm, FORM_LIMITS } from './forms-guard.ts';
import { createFund } from './calls/service.ts';
import { fundFiguresCsv } from './payments/service.ts';
import { openDataContext, package360Csv } from './transparency/opendata.ts';
import { saveReport } from './grants/reports.ts';
import { field, readForm } from './form-read.ts';
import type { RequestEvent } from '@sveltejs/kit';

/** Regression tests for the causes of server errors and abuse found by trying the portal from outside. */
let db: TestDb;
let officer: Actor;
let finance: Actor;
let place: string;

beforeAll(async () => {
	db = await createTestDb();
	officer = await createUser(db, { roles: ['officer'] });
	finance = await createUser(db, { roles: ['finance'] });
	place = await neighbourhood(db, await createUser(db, { roles: ['admin'] }), 'Norrbacka', true);
});
afterAll(() => db.cleanup());

const FORMULAS = ['=1+1', '+46 8 123', '-2+3', '@SUM(A1)', '\t=cmd', '\r=cmd', '＝1+1'];

describe('CSV exports', () => {
	it('neutralise every text cell a spreadsheet would run as a formula, and keep numbers as numbers', () => {
		const csv = toCsv([FORMULAS, [-12.5, 0, 3]], { decimals: 2 });
		const [text, numbers] = csv.trim().split('\r\n');
		for (const cell of text.split(',')) expect(cell.replace(/^"/, '')).toMatch(/^'/);
		expect(numbers).toBe('-12.50,0.00,3.00');
		expect(toCsv([['a,b', 'say "hi"', 'line\nbreak']])).toBe('"a,b","say ""hi""","line\nbreak"\r\n');
	});

	it('neutralise formulas in the fund figures and in the 360Giving CSV', async () => {
		await createFund(db.ctx(officer), { name: '=HYPERLINK("http://evil.example","Fonden")', currency: 'SEK', budget: 5_000_000, periodStart: '2026-01-01', periodEnd: '2026-12-31' });
		const funds = await fundFiguresCsv(db.ctx(finance));
		expect(funds).toContain(`"'=HYPERLINK(""http://evil.example"",""Fonden"")"`);
		expect(funds).not.toMatch(/(^|\r\n|,)"?=/);
		await acceptedGrant(db, { officer, place });
		await db.database.write((tx) => tx.update(applications).set({ title: '@SUM(1+1)*cmd|calc', summary: '+46 70 123 45 67' }));
		let csv = '';
		for await (const chunk of package360Csv(db.database.db, openDataContext(db.config, new Date()))) csv += chunk;
		const cells = csv.split(/,|\r\n/);
		expect(cells).toContain("'@SUM(1+1)*cmd|calc");
		expect(cells).toContain("'+46 70 123 45 67");
		expect(cells.filter((c) => /^"?[=+@]/.test(c))).toEqual([]);
	});
});

describe('query parameters', () => {
	const url = (q: string) => new URL(`http://x/list?${q}`);
	it('fall back to their defaults when out of range or malformed, never throw', () => {
		for (const page of ['9223372036854775808', '-1', '0', '1.5', 'NaN', '1e309', 'x'.repeat(5000)]) expect(readQuery(url(`page=${page}`), { page: pageQ }).page).toBe(1);
		expect(readQuery(url('page=7'), { page: pageQ }).page).toBe(7);
		expect(readQuery(url('q=a%00b&year=99999'), { q: textQ(100), year: yearQ })).toEqual({ q: undefined, year: undefined });
		expect(idsQ(url(Array.from({ length: 40_000 }, (_, i) => `select=${i + 1}`).join('&')), 'select')).toHaveLength(500);
	});
});

describe('redirect targets from input', () => {
	it('are paths on this site only', () => {
		for (const bad of ['//evil.example', '/\t/evil.example', '/\\evil.example', 'https://evil.example', '/%0d%0aSet-Cookie:x', 'javascript:alert(1)', '', '/\u0000']) {
			expect(safeNext(bad), JSON.stringify(bad)).toBe(bad === '/%0d%0aSet-Cookie:x' ? '/%0d%0aSet-Cookie:x' : '/');
		}
		expect(localPath('//evil.example?lang=en')).toBeNull();
		expect(localPath('/grants/1?tab=money#top')).toBe('/grants/1?tab=money#top');
	});
});

describe('posted forms', () => {
	it('refuse control characters, too many fields and too many repeats of one field', () => {
		const fd = (entries: [string, string][]) => {
			const f = new FormData();
			for (const [k, v] of entries) f.append(k, v);
			return f;
		};
		expect(checkForm(fd([['title', 'Läxhjälp\tpå\r\nfredagar']]))).toBeNull();
		expect(checkForm(fd([['title', 'a\u0000b']]))?.messageKey).toBe('error_control_characters');
		expect(checkForm(fd(Array.from({ length: FORM_LIMITS.repeats + 1 }, () => ['neighbourhoodIds', 'x'] as [string, string])))?.messageKey).toBe('error_form_too_large');
		expect(checkForm(fd(Array.from({ length: FORM_LIMITS.fields + 1 }, (_, i) => [`f${i}`, 'x'] as [string, string])))?.messageKey).toBe('error_form_too_large');
	});
});

describe('counts and money', () => {
	it('refuse a report count beyond ten million (once stored, it took pages down for everyone)', async () => {
		const g = await acceptedGrant(db, { officer, place });
		const [ms] = await db.database.db.select().from(milestones).where(eq(milestones.grantId, g.grantId)).limit(1);
		const input = { narrative: 'We met.', participants: 9007199254740993, participantsByNeighbourhood: {}, spending: {}, unspentAmount: null };
		expect(await refusalOf(saveReport(db.ctx(g.grantee), g.grantId, ms.id, input, false))).toBe('invalid:error_whole_number');
		expect(await refusalOf(saveReport(db.ctx(g.grantee), g.grantId, ms.id, { ...input, participants: 10_000_001 }, false))).toBe('invalid:error_whole_number');
		expect(await refusalOf(saveReport(db.ctx(g.grantee), g.grantId, ms.id, { ...input, participants: 40 }, false))).toBe('ok');
	});
});

describe('the one form path', () => {
	const post = (entries: [string, string][]) => {
		const body = new URLSearchParams(entries);
		return { request: new Request('http://x/', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }) } as unknown as RequestEvent;
	};
	it('bounds every field and answers a refusal with a 400 and a message at each field', async () => {
		const shape = { title: field.text(10), decision: field.choice(['approve', 'refuse']), rows: field.texts(5, 2), agree: field.check() };
		const ok = await readForm(post([['title', 'Läxhjälp'], ['decision', 'approve'], ['rows', 'a'], ['rows', 'b'], ['agree', 'on'], ['other', 'ignored']]), shape);
		expect(ok).toMatchObject({ ok: true, data: { title: 'Läxhjälp', decision: 'approve', rows: ['a', 'b'], agree: true } });
		expect('ok' in ok && ok.values.get('other')).toBe(null);
		const refused = await readForm(post([['title', 'x'.repeat(11)], ['decision', 'maybe'], ['rows', 'a'], ['rows', 'b'], ['rows', 'c']]), shape);
		expect(refused).toMatchObject({ status: 400, data: { errors: { title: 'Use 10 characters or fewer', decision: 'Choose from the list', rows: expect.any(String) } } });
		// Fields named by rows (spent-ID) are bounded by `rest`.
		expect(await readForm(post([['spent-1', 'x'.repeat(40)]]), {}, { rest: field.text(30) })).toMatchObject({ status: 400, data: { errors: { 'spent-1': 'Use 30 characters or fewer' } } });
	});
});
