import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { acceptedGrant, completeApplication, neighbourhood, openCall, TEST_IBAN } from '../testing/fixtures.ts';
import { getReport, saveReport } from '../grants/reports.ts';
import { changePayout } from '../grants/service.ts';
import { saveApplication, screenApplication, startApplication, submitApplication } from '../applications/service.ts';
import { decide } from '../decisions/service.ts';
import { appointReviewer, assignReviewer } from '../reviews/assignment.ts';
import { createOrganisation } from '../organisations/service.ts';
import { emailOutbox, milestones, organisationMembers } from '../db/schema/index.ts';
import { addDays, dayOf, startOfDay } from '../calendar.ts';
import type { Actor } from '../context.ts';
import { TODO_COUNT_CAP, TODO_PAGE_CAP, todoCount, todoFor, todoPage } from './service.ts';
import { todoBadge } from '../../todo.ts';
import { seedApplicationsAtScale } from '../seed/scale.ts';
import { sendTodoDigests, setDigest } from './digest.ts';

let db: TestDb;
let officer: Actor, place: string;
const summary = async (a: Actor) => Object.fromEntries((await todoFor(db.ctx(a))).map((g) => [g.kind, g.total]));

beforeEach(async () => {
	db = await createTestDb();
	const admin = await createUser(db, { roles: ['admin'] });
	officer = await createUser(db, { roles: ['officer'] });
	place = await neighbourhood(db, admin, 'Norrbacka', true);
});
afterEach(() => db.cleanup());

/** An application sent by `who` (alone, or for `organisationId`) to a fresh call. */
async function sent(who: Actor, organisationId: string | null = null) {
	const { callId } = await openCall(db, officer);
	const id = await startApplication(db.ctx(who), callId, organisationId);
	await saveApplication(db.ctx(who), id, completeApplication(place));
	await submitApplication(db.ctx(who), id);
	return { id, callId };
}

describe('to-do', () => {
	it('lists what waits for each person, linking to where they act, and nothing the policy forbids them', async () => {
		const resident = await createUser(db);
		const officer2 = await createUser(db, { roles: ['officer'] });
		const reviewer = await createUser(db, { roles: ['reviewer'] });
		// A draft for an open call waits for its author.
		const { callId: draftCall } = await openCall(db, officer);
		const draft = await startApplication(db.ctx(resident), draftCall, null);
		expect(await summary(resident)).toEqual({ drafts: 1 });
		const [drafts] = await todoFor(db.ctx(resident));
		expect(drafts.entries[0]).toMatchObject({ title: expect.any(String), href: `/applications/${draft}/edit` });

		// Sent applications wait for officers — but not for an officer of the applying organisation.
		const org = await createOrganisation(db.ctx(resident), { kind: 'association', name: 'Norrbacka IF', orgNumber: '802456-1238', address: '', neighbourhoodId: place, contactEmail: 'if@example.org', contactPhone: '' });
		await db.database.write((tx) => tx.insert(organisationMembers).values({ organisationId: org, userId: officer2.id, role: 'member', createdAt: new Date() }));
		const a = await sent(resident);
		const b = await sent(resident, org);
		const screen = (await todoFor(db.ctx(officer))).find((g) => g.kind === 'screen')!;
		expect(screen.total).toBe(2);
		expect(screen.entries.map((e) => e.href).sort()).toEqual([`/staff/applications/${a.id}`, `/staff/applications/${b.id}`].sort());
		expect((await summary(officer2)).screen).toBe(1);
		expect(await todoCount(db.ctx(officer))).toBe(2);

		// Changes asked for wait for the applicant; an application in review waits for its reviewer.
		await screenApplication(db.ctx(officer), a.id, 'request_changes', 'Please add the budget for rent.');
		expect((await summary(resident)).changes).toBe(1);
		await screenApplication(db.ctx(officer), b.id, 'mark_eligible', '');
		await appointReviewer(db.ctx(officer), b.callId, reviewer.id);
		expect((await summary(officer)).assign).toBe(1);
		await assignReviewer(db.ctx(officer), b.id, reviewer.id);
		const reviews = (await todoFor(db.ctx(reviewer))).find((g) => g.kind === 'reviews')!;
		expect(reviews.total).toBe(1);
		expect(reviews.entries[0].href).toMatch(/^\/reviews\/[0-9a-f-]+$/);
		// A reviewer who joins the organisation has a stake: the review no longer waits for them.
		await db.database.write((tx) => tx.insert(organisationMembers).values({ organisationId: org, userId: reviewer.id, role: 'member', createdAt: new Date() }));
		expect(await summary(reviewer)).toEqual({});

		// An offer waits for the owner of the applying organisation, not for the staff who made it.
		await db.database.write((tx) => tx.delete(organisationMembers).where(eq(organisationMembers.userId, reviewer.id)));
		await decide(db.ctx(officer), { applicationId: b.id, outcome: 'approve', amount: 1_000_000, conditions: '' });
		const offers = (await todoFor(db.ctx(resident))).find((g) => g.kind === 'offers')!;
		expect(offers).toMatchObject({ total: 1, entries: [{ amount: { value: 1_000_000, currency: 'SEK' } }] });
		expect((await summary(officer2)).offers).toBeUndefined();
	});

	it('counts for the header up to its cap and for the page up to its own (reading stops there), while the digest counts everything', async () => {
		await openCall(db, officer);
		await seedApplicationsAtScale(db.database, TODO_PAGE_CAP + 5, new Date(), 'submitted');
		expect(await todoCount(db.ctx(officer))).toBe(TODO_COUNT_CAP);
		expect(todoBadge(await todoCount(db.ctx(officer)))).toBe('99+');
		expect(todoBadge(7)).toBe('7');
		const screen = (await todoFor(db.ctx(officer))).find((g) => g.kind === 'screen')!;
		expect([screen.total, screen.capped, screen.entries.length]).toEqual([TODO_PAGE_CAP, true, 10]);
		const digest = (await todoFor(db.ctx(officer), { shown: 1, cap: Number.MAX_SAFE_INTEGER - 1 })).find((g) => g.kind === 'screen')!;
		expect([digest.total, digest.capped]).toEqual([TODO_PAGE_CAP + 5, false]);
	});

	it('keeps the header count and the to-do page until the next write, by this process or another, and for at most a minute', async () => {
		const resident = await createUser(db);
		// From the start of a minute: the kept count is given up at least once a minute.
		const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000);
		const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
		expect(await todoCount(db.ctx(officer, t0))).toBe(0);
		// A write through the services counts at once.
		const { id } = await sent(resident);
		expect(await todoCount(db.ctx(officer, at(1)))).toBe(1);
		// A write by another process (a second connection to the same database, as a second app server) too.
		const other = await db.open();
		try {
			await screenApplication({ ...db.ctx(officer, at(2)), database: other }, id, 'request_changes', 'Please add your partners.');
		} finally {
			other.close();
		}
		expect(await todoCount(db.ctx(officer, at(3)))).toBe(0);
		expect(await todoPage(db.ctx(officer, at(3)))).toEqual([]);
		expect(await todoCount(db.ctx(resident, at(3)))).toBe(1);
		// A change no write announces (here: straight into the file, as no service does) shows within a minute.
		await db.database.client.execute({ sql: "update applications set status = 'submitted' where id = ?", args: [id] });
		expect(await todoCount(db.ctx(officer, at(4)))).toBe(0);
		expect(await todoPage(db.ctx(officer, at(4)))).toEqual([]);
		expect(await todoCount(db.ctx(officer, at(64)))).toBe(1);
		expect((await todoPage(db.ctx(officer, at(64)))).map((g) => [g.kind, g.total])).toEqual([['screen', 1]]);
	});

	it('gives finance the payments they may make: never on a grant they approved or their own', async () => {
		const both = await createUser(db, { roles: ['officer', 'finance'] });
		const finance = await createUser(db, { roles: ['finance'] });
		const { due } = await acceptedGrant(db, { officer, place, approver: both });
		const payments = (await todoFor(db.ctx(finance))).find((g) => g.kind === 'payments')!;
		expect(payments.total).toBe(1);
		expect(payments.entries[0]).toMatchObject({ id: due.id, amount: { value: due.amount, currency: 'SEK' } });
		// Who approved the grant does not pay it (separation of duties): not in their to-do.
		expect((await summary(both)).payments).toBeUndefined();
	});

	it('asks for a second approval above the threshold, from someone other than who pays', async () => {
		db.config.SECOND_APPROVAL_ABOVE = 500_000;
		const finance = await createUser(db, { roles: ['finance'] });
		await acceptedGrant(db, { officer, place });
		expect(await summary(finance)).toEqual({ second_approvals: 1 });
	});

	it('tells the grantee a report is due, officers when it is late and when it is sent, and payout changes to confirm', async () => {
		const { grantId, grantee } = await acceptedGrant(db, { officer, place });
		const [first] = await db.database.db.select().from(milestones).where(eq(milestones.grantId, grantId)).orderBy(milestones.position);
		expect((await summary(grantee)).reports_due).toBeUndefined();
		await db.database.write((tx) => tx.update(milestones).set({ dueDate: addDays(dayOf(new Date(), db.config.TIME_ZONE), -2) }).where(eq(milestones.id, first.id)));
		expect(await summary(grantee)).toEqual({ reports_due: 1 });
		const overdue = (await todoFor(db.ctx(officer))).find((g) => g.kind === 'overdue')!;
		expect(overdue).toMatchObject({ total: 1, all: '/staff/grants?overdue=1', entries: [{ href: `/grants/${grantId}/reports/${first.id}` }] });
		const lines = (await getReport(db.ctx(grantee), grantId, first.id)).budgetLines;
		await saveReport(db.ctx(grantee), grantId, first.id, { narrative: 'We met every Tuesday.', participants: 30, participantsByNeighbourhood: {}, spending: { [lines[0].id]: 1_000_000 }, unspentAmount: 0 }, true);
		expect((await summary(grantee)).reports_due).toBeUndefined();
		expect(await summary(officer)).toMatchObject({ reports: 1 });
		await changePayout(db.ctx(grantee), grantId, { ...TEST_IBAN, account: 'BE68 5390 0754 7034', bic: 'GKCCBEBB' });
		expect(await summary(officer)).toMatchObject({ payout: 1 });
	});

	it('emails the digest once a day from the morning, only to people who asked and only when something waits', async () => {
		const tz = db.config.TIME_ZONE;
		const day = dayOf(new Date(), tz);
		const at = (d: string, hour: number) => new Date(startOfDay(d, tz).getTime() + hour * 3_600_000);
		const quiet = await createUser(db, { roles: ['officer'] });
		await setDigest(db.ctx(officer), true);
		await setDigest(db.ctx(quiet), false);
		await sent(await createUser(db));
		expect(await sendTodoDigests(db.database, db.config, at(day, 6))).toBe(0);
		expect(await sendTodoDigests(db.database, db.config, at(day, 8))).toBe(1);
		expect(await sendTodoDigests(db.database, db.config, at(day, 9))).toBe(0);
		const mails = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.template, 'todo-digest'));
		expect(mails.map((x) => x.toAddress)).toEqual([officer.email]);
		expect(mails[0].subject).toBe('Your to-do in Kvarter: 1 waiting');
		expect(mails[0].textBody).toContain('Applications to screen: 1');
		expect(mails[0].textBody).toContain(`${db.config.PUBLIC_ORIGIN}/todo`);
		expect(await sendTodoDigests(db.database, db.config, at(addDays(day, 1), 8))).toBe(1);
	});
});
