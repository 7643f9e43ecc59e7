import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from './testing/db.ts';
import { callInput, neighbourhood, openCall } from './testing/fixtures.ts';
import { createCall, createFund, getPublicCall, updateCall } from './calls/service.ts';
import { startApplication } from './applications/service.ts';
import { applications } from './db/schema/index.ts';

let db: TestDb;
beforeEach(async () => {
	db = await createTestDb();
});
afterEach(() => db.cleanup());

describe('the language of what people write', () => {
	it('a call is written in the language the officer chooses, else their own; pages read it with the call', async () => {
		const pieter = await createUser(db, { roles: ['officer'], locale: 'nl' });
		const fundId = await createFund(db.ctx(pieter), { name: 'Fonds', currency: 'EUR', budget: 10_000_000, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
		const own = await createCall(db.ctx(pieter), fundId, callInput(new Date()));
		const swedish = await createCall(db.ctx(pieter), fundId, callInput(new Date(), { language: 'sv' }));
		expect((await getPublicCall(db.ctx(pieter), own)).call.language).toBe('nl');
		expect((await getPublicCall(db.ctx(pieter), swedish)).call.language).toBe('sv');
		await updateCall(db.ctx(pieter), own, callInput(new Date(), { language: 'en' }));
		expect((await getPublicCall(db.ctx(pieter), own)).call.language).toBe('en');
	});

	it('an application is marked with the language of the person who starts it', async () => {
		const officer = await createUser(db, { roles: ['officer'] });
		await neighbourhood(db, await createUser(db, { roles: ['admin'] }), 'Norrbacka');
		const grace = await createUser(db, { locale: 'en' });
		const amina = await createUser(db, { locale: 'sv' });
		const { callId } = await openCall(db, officer);
		const a = await startApplication(db.ctx(grace), callId, null);
		const b = await startApplication(db.ctx(amina), callId, null);
		const rows = await db.database.db.select({ id: applications.id, language: applications.language }).from(applications).where(eq(applications.callId, callId));
		expect(Object.fromEntries(rows.map((r) => [r.id, r.language]))).toEqual({ [a]: 'en', [b]: 'sv' });
	});
});

describe('milestone titles', () => {
	it('are in the call’s language, or the grantee’s for the default final report', async () => {
		const { decide } = await import('./decisions/service.ts');
		const { saveApplication, screenApplication, submitApplication } = await import('./applications/service.ts');
		const { completeApplication } = await import('./testing/fixtures.ts');
		const { milestones } = await import('./db/schema/index.ts');
		const officer = await createUser(db, { roles: ['officer'], locale: 'nl' });
		const place = await neighbourhood(db, await createUser(db, { roles: ['admin'] }), 'Norrbacka');
		const titles = async (milestoneTemplate: { title: string; months: number }[], who: Awaited<ReturnType<typeof createUser>>) => {
			const { callId } = await openCall(db, officer, { milestoneTemplate, language: 'sv' });
			const id = await startApplication(db.ctx(who), callId, null);
			await saveApplication(db.ctx(who), id, completeApplication(place));
			await submitApplication(db.ctx(who), id);
			await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
			const { grantId } = await decide(db.ctx(officer), { applicationId: id, outcome: 'approve', amount: 1_000_000, conditions: '' });
			return (await db.database.db.select().from(milestones).where(eq(milestones.grantId, grantId!))).map((m) => [m.title, m.language]);
		};
		expect(await titles([{ title: 'Slutrapport', months: 3 }], await createUser(db, { locale: 'en' }))).toEqual([['Slutrapport', 'sv']]);
		expect(await titles([], await createUser(db, { locale: 'ar' }))).toEqual([['التقرير النهائي', 'ar']]);
	});
});
