import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { callInput, openCall } from '../testing/fixtures.ts';
import { calls } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../context.ts';
import { createCall, createFund, getPublicCall, listPublicCalls, publishCall } from './service.ts';
import { renderMarkdown } from './markdown.ts';
import { normaliseBoundary } from '../neighbourhoods/geojson.ts';
import { createNeighbourhood, updateNeighbourhood } from '../neighbourhoods/service.ts';
import { utcToZoned, zonedToUtc } from '../time.ts';

let db: TestDb;
let officer: Actor;
let applicant: Actor;
beforeAll(async () => {
	db = await createTestDb();
	officer = await createUser(db, { roles: ['officer'] });
	applicant = await createUser(db);
});
afterAll(() => db.cleanup());

const fieldOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => (e instanceof DomainError ? `${e.code}:${e.field ?? ''}` : Promise.reject(e))
	);

describe('calls', () => {
	it('refuse settings that break the rules, naming the field', async () => {
		const fundId = await createFund(db.ctx(officer), { name: 'Fond', currency: 'EUR', budget: 1_000_000, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
		const now = new Date();
		const bad: [Partial<ReturnType<typeof callInput>>, string][] = [
			[{ title: '  ' }, 'invalid:title'],
			[{ closesAt: new Date(now.getTime() - 2 * 86_400_000) }, 'invalid:closesAt'],
			[{ minAmount: 0 }, 'invalid:minAmount'],
			[{ minAmount: 10_000, maxAmount: 5_000 }, 'invalid:maxAmount'],
			[{ maxAmount: 2_000_000 }, 'invalid:maxAmount'], // above the whole fund
			[{ eligibleKinds: [] }, 'invalid:eligibleKinds'],
			[{ paymentTemplate: [{ percent: 80, trigger: 'acceptance' }] }, 'invalid:paymentTemplate'],
			[{ criteria: [{ name: 'X', guidance: '', weight: 0, scaleMax: 5 }] }, 'invalid:criteria'],
			[{ criteria: [{ name: 'X', guidance: '', weight: 1, scaleMax: 11 }] }, 'invalid:criteria'],
			[{ reviewersPerApplication: 0 }, 'invalid:reviewersPerApplication']
		];
		for (const [override, expected] of bad) {
			expect(await fieldOf(createCall(db.ctx(officer), fundId, callInput(now, { minAmount: 10_000, maxAmount: 500_000, ...override }))), expected).toBe(expected);
		}
		expect(await fieldOf(createCall(db.ctx(applicant), fundId, callInput(now)))).toBe('forbidden:');
	});

	it('cannot be published without criteria; drafts are hidden from the public', async () => {
		const fundId = await createFund(db.ctx(officer), { name: 'Fond 2', currency: 'SEK', budget: 10_000_000, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
		const id = await createCall(db.ctx(officer), fundId, callInput(new Date(), { criteria: [] }));
		expect(await fieldOf(publishCall(db.ctx(officer), id))).toBe('invalid:criteria');
		expect((await db.database.db.select().from(calls).where(eq(calls.id, id)))[0].status).toBe('draft');
		expect(await fieldOf(getPublicCall(db.ctx(applicant), id))).toBe('not_found:');
		expect((await listPublicCalls(db.ctx())).map((c) => c.id)).not.toContain(id);
		expect((await getPublicCall(db.ctx(officer), id)).phase).toBe('open'); // staff preview
	});

	it('lists open and upcoming calls, not closed ones', async () => {
		const now = new Date();
		const { callId: open } = await openCall(db, officer, { title: 'Open one' }, now);
		const { callId: upcoming } = await openCall(db, officer, { title: 'Later one', opensAt: new Date(now.getTime() + 5 * 86_400_000), closesAt: null }, now);
		const { callId: closed } = await openCall(db, officer, { title: 'Old one', opensAt: new Date(now.getTime() - 10 * 86_400_000), closesAt: new Date(now.getTime() - 86_400_000) }, now);
		const listed = await listPublicCalls(db.ctx(null, now));
		expect(listed.find((c) => c.id === open)?.phase).toBe('open');
		expect(listed.find((c) => c.id === upcoming)?.phase).toBe('upcoming');
		expect(listed.map((c) => c.id)).not.toContain(closed);
	});
});

describe('markdown in call descriptions', () => {
	it('keeps formatting and drops anything that could run', () => {
		const html = renderMarkdown('**Bold** and [a link](https://example.se)\n\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n[bad](javascript:alert(1))\n<iframe src="https://evil"></iframe>');
		expect(html).toContain('<strong>Bold</strong>');
		expect(html).toContain('<a href="https://example.se">a link</a>');
		for (const bad of ['<script', 'onerror', 'href="javascript:', '<iframe', '<img']) expect(html).not.toContain(bad);
		const link = renderMarkdown('Click [here](javascript:alert(1)) or [there](JAVASCRIPT:alert(2)).');
		expect(link).not.toMatch(/href="javascript:/i);
		expect(link).toContain('here');
	});
});

describe('neighbourhood boundaries', () => {
	const square = { type: 'Polygon', coordinates: [[[17.6, 59.8], [17.7, 59.8], [17.7, 59.9], [17.6, 59.8]]] };
	it('accept a closed Polygon or MultiPolygon, bare or as a Feature', () => {
		expect(normaliseBoundary(JSON.stringify(square))).toBe(JSON.stringify(square));
		expect(normaliseBoundary(JSON.stringify({ type: 'Feature', properties: {}, geometry: square }))).toBe(JSON.stringify(square));
		expect(normaliseBoundary(JSON.stringify({ type: 'MultiPolygon', coordinates: [square.coordinates] }))).not.toBeNull();
	});
	it('refuse anything else', () => {
		for (const bad of ['not json', '{"type":"Point","coordinates":[17,59]}', JSON.stringify({ type: 'Polygon', coordinates: [[[17, 59], [18, 59], [18, 60]]] }), JSON.stringify({ type: 'Polygon', coordinates: [[[17, 59], [18, 59], [18, 60], [17.5, 59]]] }), JSON.stringify({ type: 'Polygon', coordinates: [[[200, 59], [18, 59], [18, 60], [200, 59]]] })]) {
			expect(normaliseBoundary(bad), bad).toBeNull();
		}
	});
	it('are checked by the service, which refuses duplicates and non-staff', async () => {
		const id = await createNeighbourhood(db.ctx(officer), { name: 'Kvarnbacken', population: 4200, priority: true, boundary: JSON.stringify(square) });
		expect(await fieldOf(createNeighbourhood(db.ctx(officer), { name: 'Kvarnbacken', population: null, priority: false, boundary: '' }))).toBe('conflict:name');
		expect(await fieldOf(updateNeighbourhood(db.ctx(officer), id, { name: 'Kvarnbacken', population: null, priority: true, boundary: '{"type":"Point"}' }))).toBe('invalid:boundary');
		expect(await fieldOf(createNeighbourhood(db.ctx(applicant), { name: 'Elsewhere', population: null, priority: false, boundary: '' }))).toBe('forbidden:');
	});
});

describe('time zones', () => {
	it('reads call times as the municipality’s wall clock, across daylight saving', () => {
		expect(zonedToUtc('2027-01-15T17:00', 'Europe/Stockholm')?.toISOString()).toBe('2027-01-15T16:00:00.000Z');
		expect(zonedToUtc('2027-07-15T17:00', 'Europe/Stockholm')?.toISOString()).toBe('2027-07-15T15:00:00.000Z');
		expect(zonedToUtc('2027-07-15T17:00', 'Europe/Brussels')?.toISOString()).toBe('2027-07-15T15:00:00.000Z');
		expect(utcToZoned(new Date('2027-07-15T15:00:00Z'), 'Europe/Stockholm')).toBe('2027-07-15T17:00');
		expect(zonedToUtc('2027-02-30T10:00', 'Europe/Stockholm')).toBeNull();
		expect(zonedToUtc('tomorrow', 'Europe/Stockholm')).toBeNull();
	});
});
