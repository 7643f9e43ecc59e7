import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { buildTown, T0 } from '../testing/town.ts';
import { exactStatistics, publicStatistics } from './statistics.ts';
import { getPublicProject, listPublicProjects, publicCallOutcomes, registerPage, registerYears } from './register.ts';
import { audit } from '../audit/service.ts';
import { openDataContext, package360Csv, package360Json } from './opendata.ts';
import { staffDashboard } from './dashboard.ts';
import { mapShapes } from './map.ts';
import { DomainError } from '../errors.ts';

let db: TestDb;
let town: Awaited<ReturnType<typeof buildTown>>;
beforeAll(async () => {
	db = await createTestDb({ OPEN_DATA_PREFIX: '360G-town', FUNDER_ORG_ID: 'SE-BLV-2120000000', MUNICIPALITY_NAME: 'Town kommun' });
	town = await buildTown(db);
});
afterAll(() => db.cleanup());

const collect = async (chunks: AsyncGenerator<string>) => {
	let out = '';
	for await (const c of chunks) out += c;
	return out;
};
const PRIVATE = ['secret-contact@example.org', '070-000 00 00', 'sven.secret@example.org', 'Sven Secret', 'INTERNAL-MESSAGE-PRIVATE', 'SCREENING-NOTE-PRIVATE', 'REJECTION-REASON-PRIVATE', 'REPORT-NARRATIVE-PRIVATE', 'SE4550000000058398257466', 'HOLDER-NAME-PRIVATE', 'BANK-REF-PRIVATE', 'Private description', 'passwordHash', 'owner1@example.org', 'Ruth Repeat'];

describe('statistics, against figures worked out by hand', () => {
	it('counts money and grants by neighbourhood, per inhabitant, and the priority share', async () => {
		const s = await exactStatistics(db.database.db);
		const by = Object.fromEntries(s.neighbourhoods.map((n) => [n.name, n]));
		expect([by.Aby.grants, by.Berga.grants, by.Centrum.grants, by.Dal.grants]).toEqual([6, 2, 7, 0]);
		expect([by.Aby.amount, by.Berga.amount, by.Centrum.amount, by.Dal.amount]).toEqual([6_000_000, 1_000_000, 14_000_000, 0]);
		expect(s.total).toEqual({ grants: 15, amount: 21_000_000, participants: 43 });
		// Priority areas (Aby, Berga): 7 000 000 of 21 000 000 = 1/3 of the money, 4 000 of 10 000 = 40 % of the people.
		expect(s.priority).toEqual({ amount: 7_000_000, population: 4000, totalPopulation: 10_000 });
		const pub = await publicStatistics(db.database.db);
		expect(pub.priority).toEqual({ hidden: false, value: { moneyShare: 1 / 3, populationShare: 0.4 } });
		expect(pub.neighbourhoods.find((n) => n.name === 'Centrum')!.perInhabitant).toEqual({ hidden: false, value: 3500 });
	});

	it('gives applicant kinds, first-time and returning grantees, approval rate and median days', async () => {
		const s = await exactStatistics(db.database.db);
		expect(Object.fromEntries(s.byKind.map((k) => [k.kind, k.grants]))).toEqual({ association: 10, school: 3, informal_group: 0, individual: 2 });
		expect(Object.fromEntries(s.byKind.map((k) => [k.kind, k.amount]))).toEqual({ association: 16_000_000, school: 4_000_000, informal_group: 0, individual: 1_000_000 });
		expect([s.firstTime, s.returning]).toEqual([13, 2]);
		expect([s.approved, s.rejected]).toEqual([15, 5]);
		// Decisions after 10, 11, …, 29 days: the median of twenty is (19 + 20) / 2.
		expect(s.daysToDecision).toBe(19.5);
		// First payments 1, 2, …, 15 days after the decision: the median is 8.
		expect(s.daysToFirstPayment).toBe(8);
		const pub = await publicStatistics(db.database.db);
		expect(pub.approvalRate).toEqual({ hidden: false, value: 0.75 });
		expect(pub.daysToDecision).toEqual({ hidden: false, value: 20 });
		expect(pub.daysToFirstPayment).toEqual({ hidden: false, value: 8 });
	});

	it('filters by year, period, fund and call', async () => {
		expect((await exactStatistics(db.database.db, { year: 2025 })).total.grants).toBe(0);
		expect((await exactStatistics(db.database.db, { year: 2026 })).total.grants).toBe(15);
		// Decided from day 10 (grant 0) to day 38 (grant 14): the first 5 grants were decided by 20 March.
		expect((await exactStatistics(db.database.db, { from: '2026-03-01', to: '2026-03-19' })).total.grants).toBe(5);
		expect((await exactStatistics(db.database.db, { callId: town.callId })).total.grants).toBe(15);
		expect((await exactStatistics(db.database.db, { fundId: 'none' })).total.grants).toBe(0);
	});
});

describe('statistics are worked out once per change to what they count', () => {
	it('answers from kept figures until a write changes them, then computes afresh; other writes keep them', async () => {
		const first = await publicStatistics(db.database.db, { year: 2026 });
		expect(await publicStatistics(db.database.db, { year: 2026 })).toBe(first);
		// A write the figures do not depend on (a person's name) keeps them.
		await db.database.client.execute(`update users set name = name || '' where rowid = (select min(rowid) from users)`);
		expect(await publicStatistics(db.database.db, { year: 2026 })).toBe(first);
		// A neighbourhood's population changes the money per inhabitant: worked out afresh, and right.
		const centrum = first.neighbourhoods.find((n) => n.name === 'Centrum')!;
		await db.database.client.execute({ sql: `update neighbourhoods set population = population * 2 where id = ?`, args: [centrum.id] });
		const second = await publicStatistics(db.database.db, { year: 2026 });
		expect(second).not.toBe(first);
		expect(second.neighbourhoods.find((n) => n.name === 'Centrum')!.perInhabitant).toEqual({ hidden: false, value: 1750 });
		await db.database.client.execute({ sql: `update neighbourhoods set population = population / 2 where id = ?`, args: [centrum.id] });
		expect((await publicStatistics(db.database.db, { year: 2026 })).neighbourhoods.find((n) => n.name === 'Centrum')!.perInhabitant).toEqual({ hidden: false, value: 3500 });
	});
});

describe('small numbers on public pages', () => {
	it('shows cells under 5 as hidden, with a second cell, so no total gives one away', async () => {
		const pub = await publicStatistics(db.database.db);
		const by = Object.fromEntries(pub.neighbourhoods.map((n) => [n.name, n]));
		// Berga has 2 grants: hidden; Aby (6) is the next smallest in the priority areas and the town: hidden too.
		expect(by.Berga.grants).toEqual({ hidden: true, value: null });
		expect(by.Berga.amount.hidden).toBe(true);
		expect(by.Aby.grants.hidden).toBe(true);
		expect(by.Centrum.grants).toEqual({ hidden: false, value: 7 });
		expect(by.Dal.grants).toEqual({ hidden: false, value: 0 });
		expect(pub.total.grants).toEqual({ hidden: false, value: 15 });
		// Total minus every shown cell leaves Aby + Berga together (8), never one of them.
		const shown = pub.neighbourhoods.filter((n) => !n.grants.hidden).reduce((a, n) => a + (n.grants.value ?? 0), 0);
		expect(15 - shown).toBe(8);
		expect(pub.neighbourhoods.filter((n) => n.grants.hidden)).toHaveLength(2);
		// Kinds: schools (3) and residents (2) hidden; first-time (13) must go with returning (2).
		expect(pub.byKind.filter((k) => k.grants.hidden).map((k) => k.kind).sort()).toEqual(['individual', 'school']);
		expect([pub.firstTime.hidden, pub.returning.hidden]).toEqual([true, true]);
		// People: 3 from Centrum is hidden, and so is Aby's 40 (the only other).
		expect([by.Centrum.participants.hidden, by.Aby.participants.hidden]).toEqual([true, true]);
	});
});

describe('the public register', () => {
	it('lists funded projects with public facts only, filtered, searched and paged', async () => {
		const all = await listPublicProjects(db.database.db);
		expect(all.total).toBe(15);
		expect(all.rows).toHaveLength(15);
		const p = all.rows.find((r) => r.title === 'Project 0 in A')!;
		expect(p).toMatchObject({ awarded: 1_000_000, paid: 1_000_000, neighbourhood: 'Aby', callTitle: 'Town call 2026', done: 1, total: 1, grantee: { name: 'Föreningen Återkomst', resident: false } });
		expect((await listPublicProjects(db.database.db, { neighbourhoodId: town.ids.B })).rows.map((r) => r.grantee)).toEqual(
			expect.arrayContaining([{ name: 'Olivia Open', resident: false }, { name: null, resident: true, neighbourhood: 'Berga' }])
		);
		expect((await listPublicProjects(db.database.db, { status: 'active' })).total).toBe(7);
		expect((await listPublicProjects(db.database.db, { year: 2025 })).total).toBe(0);
		expect((await listPublicProjects(db.database.db, { q: 'project 12' })).rows.map((r) => r.title)).toEqual(['Project 12 in C']);
		expect(await registerYears(db.database.db)).toEqual([2026]);
		// A year turns at midnight in the municipality's time zone; years without a grant are left out.
		const moved = town.grantIds[0];
		const [{ was }] = (await db.database.client.execute({ sql: 'select created_at as was from grants where id = ?', args: [moved] })).rows as unknown as { was: number }[];
		await db.database.client.execute({ sql: 'update grants set created_at = ? where id = ?', args: [Date.parse('2023-12-31T23:30:00Z'), moved] });
		expect(await registerYears(db.database.db, 'Europe/Stockholm')).toEqual([2026, 2024]);
		expect(await registerYears(db.database.db, 'UTC')).toEqual([2026, 2023]);
		await db.database.client.execute({ sql: 'update grants set created_at = ? where id = ?', args: [was, moved] });
		const outcomes = await publicCallOutcomes(db.database.db);
		expect(outcomes.find((o) => o.id === town.callId)).toMatchObject({ applied: 20, funded: 15, awarded: 21_000_000 });
	});

	it('keeps the register’s page per filter until the next audited write, and for at most a minute', async () => {
		const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000);
		const at = (seconds: number) => ({ database: db.database, now: new Date(t0.getTime() + seconds * 1000) });
		const first = await registerPage(at(0), { q: 'project 12' });
		expect(first.projects.rows.map((r) => r.title)).toEqual(['Project 12 in C']);
		expect(await registerPage(at(1), { q: 'project 12' })).toBe(first);
		expect(await registerPage(at(1), { q: 'project 1' })).not.toBe(first);
		// A change no write announces (straight into the file, as no service does) shows within a minute.
		const id = first.projects.rows[0].id;
		await db.database.client.execute({ sql: `update applications set title = 'Project 12 in C, renamed' where id = (select application_id from grants where id = ?)`, args: [id] });
		expect((await registerPage(at(2), { q: 'project 12' })).projects.rows[0].title).toBe('Project 12 in C');
		expect((await registerPage(at(61), { q: 'project 12' })).projects.rows[0].title).toBe('Project 12 in C, renamed');
		await db.database.client.execute({ sql: `update applications set title = 'Project 12 in C' where id = (select application_id from grants where id = ?)`, args: [id] });
		// Any audited write (every service audits its change in its transaction) is seen at once.
		const kept = await registerPage(at(62), { q: 'project 12' });
		expect(kept.projects.rows[0].title).toBe('Project 12 in C, renamed');
		const admin = await createUser(db, { roles: ['admin'] });
		await db.database.write((tx) => audit(tx, db.ctx(admin), { action: 'user.profile_updated', entityType: 'user', entityId: admin.id }));
		expect((await registerPage(at(63), { q: 'project 12' })).projects.rows[0].title).toBe('Project 12 in C');
	});

	it('shows a project page, and "not found" for what is not public', async () => {
		const page = await getPublicProject(db.database.db, town.grantIds[0]);
		expect(page.milestones).toEqual([{ title: 'Final report', language: null, dueDate: '2026-11-30', done: true }]);
		expect((await getPublicProject(db.database.db, town.grantIds[1])).milestones[0].done).toBe(false);
		expect(page.neighbourhoods).toEqual(['Aby']);
		await expect(getPublicProject(db.database.db, 'no-such-grant')).rejects.toBeInstanceOf(DomainError);
	});

	it('never carries contact details, messages, reviews, bank details or unconsenting residents’ names', async () => {
		const everything = JSON.stringify([
			await listPublicProjects(db.database.db),
			...(await Promise.all(town.grantIds.map((id) => getPublicProject(db.database.db, id)))),
			await publicStatistics(db.database.db),
			await publicCallOutcomes(db.database.db),
			await collect(package360Json(db.database.db, openDataContext(db.config, new Date(T0)))),
			await collect(package360Csv(db.database.db, openDataContext(db.config, new Date(T0))))
		]);
		for (const secret of PRIVATE) expect(everything, secret).not.toContain(secret);
		expect(everything).toContain('Olivia Open');
		expect(everything).toContain('A resident of Berga');
	});
});

describe('360Giving open data', () => {
	it('validates against the official package schema, with transactions and locations', async () => {
		const dir = resolve(process.env.KVARTER_SCHEMAS ?? '../shared/schemas');
		// The published files name their meta-schema with http://; Ajv knows it by its https:// address.
		const read = (f: string) => JSON.parse(readFileSync(resolve(dir, f), 'utf8').replace('"http://json-schema.org/draft/2020-12/schema"', '"https://json-schema.org/draft/2020-12/schema"'));
		const grantSchema = read('360-giving-schema.json');
		const packageSchema = read('360-giving-package-schema.json');
		const ajv = new Ajv2020({ allErrors: true, strict: false });
		addFormats(ajv);
		ajv.addSchema(grantSchema);
		// The package schema refers to the grant schema by its 1.4.2 address.
		ajv.addSchema(grantSchema, 'https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json');
		const validate = ajv.compile(packageSchema);
		const pkg = JSON.parse(await collect(package360Json(db.database.db, openDataContext(db.config, new Date(T0)))));
		const ok = validate(pkg);
		expect(validate.errors ?? []).toEqual([]);
		expect(ok).toBe(true);
		expect(pkg.grants).toHaveLength(15);
		const g = pkg.grants.find((x: { title: string }) => x.title === 'Project 0 in A');
		expect(g.id).toMatch(/^360G-town-/);
		expect(g.amountAwarded).toBe(10_000);
		expect(g.recipientOrganization).toEqual([{ id: 'SE-BLV-8024561238', name: 'Föreningen Återkomst' }]);
		expect(g.fundingOrganization).toEqual([{ id: 'SE-BLV-2120000000', name: 'Town kommun' }]);
		expect(g.beneficiaryLocation).toEqual([{ name: 'Aby', countryCode: 'SE', geoCode: 'T-A', geoCodeType: 'municipal area code' }]);
		expect(g.commitmentTransaction).toHaveLength(1);
		expect(g.disbursementTransaction.map((t: { value: number }) => t.value)).toEqual([10_000]);
		const sven = pkg.grants.find((x: { recipientIndividual?: { name: string } }) => x.recipientIndividual?.name === 'A resident of Berga');
		expect(sven.recipientIndividual.id).toMatch(/^360G-town-IND-[0-9a-f]{16}$/);
		// Invalid data is refused by the same check (so the test can fail).
		expect(validate({ grants: [{ ...g, awardDate: 'yesterday' }] })).toBe(false);
	});

	it('writes the CSV with 360Giving’s column titles', async () => {
		const csv = await collect(package360Csv(db.database.db, openDataContext(db.config, new Date(T0))));
		const [head, ...rows] = csv.trim().split('\r\n');
		expect(head.split(',').slice(0, 6)).toEqual(['Identifier', 'Title', 'Description', 'Currency', 'Amount Applied For', 'Amount Awarded']);
		expect(head).toContain('Recipient Org:Identifier');
		expect(head).toContain('Beneficiary Location:Geographic Code');
		expect(rows).toHaveLength(15);
	});
});

describe('the staff dashboard and the map', () => {
	it('shows the funnel by neighbourhood and kind, and neighbourhoods without applications', async () => {
		const officer = await createUser(db, { roles: ['officer'] });
		const d = await staffDashboard(db.ctx(officer, new Date(Date.UTC(2026, 5, 1))), {});
		const by = Object.fromEntries(d.funnelByPlace.map((r) => [r.name, r]));
		expect(by.Aby).toMatchObject({ started: 6, submitted: 6, funded: 6 });
		expect(by.Dal).toMatchObject({ started: 5, submitted: 5, eligible: 5, funded: 0 });
		expect(d.funnelTotal).toMatchObject({ started: 20, submitted: 20, funded: 15 });
		expect(d.quietThisYear).toEqual([]);
		const later = await staffDashboard(db.ctx(officer, new Date(Date.UTC(2027, 1, 1))), {});
		expect(later.quietThisYear).toEqual(['Aby', 'Berga', 'Centrum', 'Dal']);
		const applicant = await createUser(db);
		await expect(staffDashboard(db.ctx(applicant), {})).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('draws the neighbourhoods that have boundaries, and none without', async () => {
		const s = await exactStatistics(db.database.db);
		const shapes = mapShapes(s.neighbourhoods);
		expect(shapes.map((x) => x.name)).toEqual(['Aby', 'Berga', 'Centrum']);
		for (const x of shapes) expect(x.d).toMatch(/^M[\d.]+,[\d.]+L/);
		expect(mapShapes(s.neighbourhoods.map((n) => ({ ...n, boundary: null })))).toEqual([]);
	});
});
