import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../testing/db.ts';
import type { Actor } from '../context.ts';
import { seedDemo } from '../seed/demo.ts';
import { actorByEmail, seedGrants } from '../seed/grants.ts';
import { seedApplicationsAtScale } from '../seed/scale.ts';
import { listApplicationsForStaff, STAFF_PAGE_SIZE } from './service.ts';
import { applicationCountsDrift } from './counts.ts';
import { boundedPage, LIST_DEPTH, pageOf } from '../pagination.ts';

/**
 * The staff list at a size past what paging reaches: counts by state come from the kept counts
 * (exact, however many), pages stop at LIST_DEPTH rows and say so, and a search that matches more
 * than that is counted only that far.
 */
let db: TestDb;
let officer: Actor;
beforeAll(async () => {
	db = await createTestDb();
	await seedDemo(db.database);
	await seedGrants(db.database, db.config);
	await seedApplicationsAtScale(db.database, LIST_DEPTH + 100, new Date(), 'submitted');
	officer = await actorByEmail(db.database, 'officer@kvarter.demo');
}, 300_000);
afterAll(() => db.cleanup());

const countWhere = async (where: string) => Number((await db.database.client.execute(`select count(*) as n from applications a where a.submitted_at is not null and ${where}`)).rows[0].n);

describe('the staff list at size', () => {
	it('counts every submitted application by state, exactly, from the kept counts', async () => {
		const list = await listApplicationsForStaff(db.ctx(officer), {});
		expect(list.counts.submitted).toBe(await countWhere(`a.status = 'submitted'`));
		expect(list.counts.submitted).toBeGreaterThan(LIST_DEPTH);
		expect(list.total).toBe(await countWhere('1'));
		expect(list.atLeast).toBe(0);
		expect(await applicationCountsDrift(db.database.db)).toEqual([]);
	});

	it('pages to LIST_DEPTH rows and no further, saying that more match', async () => {
		const last = LIST_DEPTH / STAFF_PAGE_SIZE;
		const deep = await listApplicationsForStaff(db.ctx(officer), { page: 100_000, sort: 'oldest' });
		expect([deep.page, deep.pageCount, deep.deeper, deep.rows.length]).toEqual([last, last, LIST_DEPTH, STAFF_PAGE_SIZE]);
		// The last page reached holds rows LIST_DEPTH - 24 … LIST_DEPTH in that order.
		const ids = (await db.database.client.execute(`select id from applications where submitted_at is not null order by id limit ${STAFF_PAGE_SIZE} offset ${LIST_DEPTH - STAFF_PAGE_SIZE}`)).rows.map((r) => Number(r.id));
		expect(deep.rows.map((r) => r.id)).toEqual(ids);
		// A filter that matches fewer pages to its end.
		const school = await listApplicationsForStaff(db.ctx(officer), { kind: 'school', page: 100_000 });
		const schools = await countWhere(`a.applicant_kind = 'school'`);
		expect([school.total, school.deeper, school.pageCount]).toEqual([schools, 0, Math.ceil(schools / STAFF_PAGE_SIZE)]);
	});

	it('counts a search that matches more than paging reaches as "more than"', async () => {
		const wide = await listApplicationsForStaff(db.ctx(officer), { q: 'gemenskap' });
		expect(wide.atLeast).toBe(LIST_DEPTH);
		const narrow = await listApplicationsForStaff(db.ctx(officer), { q: 'seniorer' });
		expect(narrow.atLeast).toBe(0);
		expect(narrow.total).toBe(await countWhere(`(a.title like '%seniorer%' or a.summary like '%seniorer%')`));
		expect(narrow.total).toBeGreaterThan(0);
	});

	it('bounds pages in any list that asks', () => {
		expect(boundedPage(undefined, 25)).toBe(1);
		expect(boundedPage(7, 25)).toBe(7);
		expect(boundedPage(100_000, 25)).toBe(LIST_DEPTH / 25);
		expect(pageOf([], LIST_DEPTH + 1, 1, 25, LIST_DEPTH)).toMatchObject({ pageCount: LIST_DEPTH / 25, deeper: LIST_DEPTH });
		expect(pageOf([], LIST_DEPTH + 1, 1, 25)).toMatchObject({ pageCount: Math.ceil((LIST_DEPTH + 1) / 25), deeper: 0 });
	});
});
