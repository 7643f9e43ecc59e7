import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { acceptedGrant, completeApplication, neighbourhood, openCall, owingGrant } from '../testing/fixtures.ts';
import { saveApplication, screenApplication, startApplication, submitApplication } from '../applications/service.ts';
import { decide } from '../decisions/service.ts';
import { recordBankTransfer } from '../payments/service.ts';
import { closeGrant } from '../grants/service.ts';
import { emailOutbox } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { renderEmail } from './templates.ts';

let db: TestDb;
let officer: Actor, finance: Actor, place: string;
beforeEach(async () => {
	db = await createTestDb();
	officer = await createUser(db, { roles: ['officer'] });
	finance = await createUser(db, { roles: ['finance'] });
	place = await neighbourhood(db, await createUser(db, { roles: ['admin'] }), 'Norrbacka', true);
});
afterEach(() => db.cleanup());

const mailsTo = (email: string) => db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email)).orderBy(desc(emailOutbox.id));

describe('emails say what happened, in plain words', () => {
	it('a changed application is thanked for its changes, not received again as new', async () => {
		const resident = await createUser(db);
		const { callId } = await openCall(db, officer);
		const id = await startApplication(db.ctx(resident), callId, null);
		await saveApplication(db.ctx(resident), id, completeApplication(place));
		await submitApplication(db.ctx(resident), id);
		await screenApplication(db.ctx(officer), id, 'request_changes', 'Please add the rent.');
		await submitApplication(db.ctx(resident), id);
		const subjects = (await mailsTo(resident.email)).map((x) => x.subject);
		expect(subjects.filter((s) => s.startsWith('We have received your application'))).toHaveLength(1);
		expect(subjects[0]).toBe(`We have received your changed application (no. ${id})`);
	});

	it('the approval leads to the offer to accept, and a payment names its amount without quotation marks', async () => {
		const { grantId, grantee, due } = await acceptedGrant(db, { officer, place });
		const approval = (await mailsTo(grantee.email)).find((x) => x.template === 'application-approved')!;
		expect(approval.textBody).toContain(`Open the grant offer:\n${db.config.PUBLIC_ORIGIN}/grants/${grantId}`);
		await recordBankTransfer(db.ctx(finance), due.id, { paidDate: '2026-11-20', reference: 'PAY-1' });
		const [paid] = await mailsTo(grantee.email);
		expect(paid.template).toBe('payment-sent');
		expect(paid.textBody).toMatch(/The municipality has paid SEK\s8,000 for “/);
		expect(paid.textBody).not.toMatch(/“SEK/);
	});

	it('money to pay back is told when the final report is accepted, and again when the grant is closed', async () => {
		const g = await owingGrant(db, { officer, finance, place, unspent: 300_000 });
		const owed = (await mailsTo(g.grantee.email)).find((x) => x.template === 'money-owed-back')!;
		// 3 000 kr unspent; 2 000 kr of it was the last payment, never made: 1 000 kr to pay back.
		expect(owed.subject).toMatch(/^Money to pay back for “/);
		expect(owed.textBody).toMatch(/and SEK\s1,000 that was already paid to you is to be paid back/);
		await closeGrant(db.ctx(officer), g.grantId);
		const [closed] = await mailsTo(g.grantee.email);
		expect(closed.template).toBe('grant-closed');
		expect(closed.textBody).toMatch(/is now closed/);
		expect(closed.textBody).toMatch(/SEK\s1,000 is still to be paid back/);
	});

	it('dates in review emails are written out in the reader’s language', () => {
		const params = { name: 'Fatima', number: 12, url: 'http://x/reviews/1', due: '2027-03-14' };
		expect(renderEmail({ template: 'review-assigned', params }, 'en', 'Älvstad').text).toContain('14 March 2027');
		expect(renderEmail({ template: 'review-assigned', params }, 'sv', 'Älvstad').text).toContain('14 mars 2027');
		expect(renderEmail({ template: 'review-assigned', params }, 'nl', 'Älvstad').text).toContain('14 maart 2027');
	});

	it('an offer made by an officer names the grant in the grantee’s language when the call sets no milestones', async () => {
		const resident = await createUser(db, { locale: 'sv' });
		const { callId } = await openCall(db, officer, { milestoneTemplate: [] });
		const id = await startApplication(db.ctx(resident), callId, null);
		await saveApplication(db.ctx(resident), id, completeApplication(place));
		await submitApplication(db.ctx(resident), id);
		await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
		const { grantId } = await decide(db.ctx(officer), { applicationId: id, outcome: 'approve', amount: 1_000_000, conditions: '' });
		const { milestones } = await import('../db/schema/index.ts');
		const rows = await db.database.db.select().from(milestones).where(eq(milestones.grantId, grantId!));
		expect(rows.map((r) => r.title)).toEqual(['Slutrapport']);
	});
});

describe('emails in Arabic', () => {
	it('are written right to left, with Latin digits in amounts and dates', () => {
		const mail = renderEmail({ template: 'review-assigned', params: { name: 'سلمى', number: 12, url: 'http://x/reviews/1', due: '2027-03-14' } }, 'ar', 'Älvstad');
		expect(mail.html).toContain('<html lang="ar" dir="rtl">');
		expect(mail.text).toContain('مرحبًا سلمى،');
		expect(mail.text).toMatch(/14 مارس 2027/);
	});
});
