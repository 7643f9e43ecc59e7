import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { acceptedGrant, completeApplication, neighbourhood, openCall, refusalOf, uniqueOrgNumber, violationsOf } from '../testing/fixtures.ts';
import { auditEvents, emailOutbox, grants, organisationMembers, paymentTranches, reviewAssignments } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { createCall, createFund, publishCall } from '../calls/service.ts';
import { saveApplication, screenApplication, startApplication, submitApplication } from '../applications/service.ts';
import { decide } from '../decisions/service.ts';
import { acceptOffer, cancelGrant, closeGrant } from '../grants/service.ts';
import { getReport, reviewReport, saveReport } from '../grants/reports.ts';
import { approvePayment, dueTranches, recordBankTransfer, recordFailedPayment, recordRepayment } from '../payments/service.ts';
import { cancelBatch, createBatch, markBatchSent, settleBatchItem } from '../payments/batches.ts';
import { confirmWriteOff, proposeWriteOff } from './write-offs.ts';
import { appointReviewer, autoAssign } from '../reviews/assignment.ts';
import { declareConflict, declareTie, myQueue, saveReview } from '../reviews/service.ts';
import { acceptInvitation, createOrganisation, inviteMember, verifyOrganisation } from '../organisations/service.ts';
import { revokeRole, setUserDisabled } from '../users/service.ts';
import { package360Json, openDataContext } from '../transparency/opendata.ts';
import { fundFigures, grantFigures } from './figures.ts';
import { callInput, TEST_IBAN } from '../testing/fixtures.ts';

/**
 * Six sequences of correct single steps that used to break the books or fairness, each kept as
 * a regression test: the rules that now hold are stated in docs/money.md.
 */
let db: TestDb;
let officer: Actor;
let admin: Actor;
let finance: Actor;
let finance2: Actor;
let place: string;
const env = { DEBTOR_IBAN: 'SE3550000000054910000003', DEBTOR_BIC: 'ESSESESS', DEBTOR_NAME: 'Älvstads kommun', SECOND_APPROVAL_ABOVE: '1000000' };
beforeAll(async () => {
	db = await createTestDb(env);
	officer = await createUser(db, { roles: ['officer'] });
	admin = await createUser(db, { roles: ['admin'] });
	finance = await createUser(db, { roles: ['finance'] });
	finance2 = await createUser(db, { roles: ['finance'] });
	place = await neighbourhood(db, admin, 'Norrbacka', true);
});
afterAll(() => db.cleanup());

const tranchesOf = async (grantId: string) => db.database.db.select().from(paymentTranches).where(eq(paymentTranches.grantId, grantId)).orderBy(paymentTranches.position);
const grantRow = async (grantId: string) => (await db.database.db.select().from(grants).where(eq(grants.id, grantId)))[0];

/** A small fund (budget in minor units) with one open call paying `template`. */
async function smallFund(budget: number, template = [{ percent: 100, trigger: 'acceptance' as const }]) {
	const ctx = db.ctx(officer);
	const fundId = await createFund(ctx, { name: 'Liten fond', currency: 'SEK', budget, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
	const callId = await createCall(ctx, fundId, callInput(new Date(), { minAmount: 100_000, maxAmount: budget, paymentTemplate: template }));
	await publishCall(ctx, callId);
	return { fundId, callId };
}

/** An application of `amount` in the call, eligible and in review; returns its id and applicant. */
async function inReview(callId: string, amount: number, applicant?: Actor, organisationId: string | null = null) {
	const who = applicant ?? (await createUser(db));
	const id = await startApplication(db.ctx(who), callId, organisationId);
	await saveApplication(db.ctx(who), id, completeApplication(place, { budgetLines: [{ item: 'Allt', category: 'materials', amount }] }));
	await submitApplication(db.ctx(who), id);
	await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
	return { id, who };
}

describe('1. cancelling while a payment is in a payment file', () => {
	it('is refused until the file is settled or the payment removed; the other payees of the file are paid', async () => {
		const a = await acceptedGrant(db, { officer, place });
		const b = await acceptedGrant(db, { officer, place });
		const { batchId } = await createBatch(db.ctx(finance), [a.due.id, b.due.id]);
		expect(await refusalOf(cancelGrant(db.ctx(officer), a.grantId, 'Stopped.'))).toBe('invalid_state:error_cancel_in_payment');
		expect((await grantRow(a.grantId)).status).toBe('active');
		// The whole file goes out: both payees are booked, nobody is left in payment.
		await markBatchSent(db.ctx(finance), batchId);
		expect((await tranchesOf(b.grantId))[0].status).toBe('paid');
		expect(await refusalOf(cancelGrant(db.ctx(officer), a.grantId, 'Stopped.'))).toBe('ok');
		// Released: award − net paid = the final 20 %.
		expect(await grantFigures(db.database.db, a.grantId)).toMatchObject({ paid: 800_000, released: 200_000, committed: 800_000 });
		await settleBatchItem(db.ctx(finance), batchId, a.due.id, 'paid');
		await settleBatchItem(db.ctx(finance), batchId, b.due.id, 'paid');
		expect(await violationsOf(db, a.grantId, b.grantId)).toEqual([]);
	});

	it('is possible once the payment is taken out of an unsent file', async () => {
		const a = await acceptedGrant(db, { officer, place });
		const { batchId } = await createBatch(db.ctx(finance), [a.due.id]);
		expect(await refusalOf(cancelGrant(db.ctx(officer), a.grantId, 'Stopped.'))).toBe('invalid_state:error_cancel_in_payment');
		await cancelBatch(db.ctx(finance), batchId);
		await cancelGrant(db.ctx(officer), a.grantId, 'Stopped.');
		expect(await grantFigures(db.database.db, a.grantId)).toMatchObject({ paid: 0, committed: 0, released: 1_000_000 });
		expect(await violationsOf(db, a.grantId)).toEqual([]);
	});
});

describe('2. a payment returned after the grant was cancelled', () => {
	it('goes back to the fund and never makes the tranche payable again', async () => {
		const g = await acceptedGrant(db, { officer, place });
		await recordBankTransfer(db.ctx(finance), g.due.id, { paidDate: '2026-11-20', reference: 'SEB-R1' });
		await cancelGrant(db.ctx(officer), g.grantId, 'The association was dissolved.');
		const before = await fundFigures(db.database.db, g.fundId);
		await recordFailedPayment(db.ctx(finance), g.due.id, 'Returned: account closed');
		expect((await tranchesOf(g.grantId)).map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
		expect((await dueTranches(db.ctx(finance), { fundId: g.fundId })).rows).toEqual([]);
		expect(await refusalOf(recordBankTransfer(db.ctx(finance), g.due.id, { paidDate: '2026-11-21', reference: 'SEB-R2' }))).toBe('invalid_state:error_tranche_not_due');
		const after = await fundFigures(db.database.db, g.fundId);
		expect(after.available - before.available).toBe(800_000);
		expect(await grantFigures(db.database.db, g.grantId)).toMatchObject({ paid: 0, committed: 0 });
		expect(await violationsOf(db, g.grantId)).toEqual([]);
	});
});

describe('3. money owed back', () => {
	/** A fund of 1 000 000 fully paid out to one grant whose final report declares 150 000 unspent. */
	async function paidOutWithUnspent() {
		const { fundId, callId } = await smallFund(1_000_000);
		const { id, who } = await inReview(callId, 1_000_000);
		const { grantId } = await decide(db.ctx(officer), { applicationId: id, outcome: 'approve', amount: 1_000_000, conditions: '' });
		await acceptOffer(db.ctx(who), grantId!, { termsAccepted: true, payout: TEST_IBAN });
		const [t] = await tranchesOf(grantId!);
		await recordBankTransfer(db.ctx(finance), t.id, { paidDate: '2026-11-20', reference: `SEB-${t.id.slice(0, 6)}` });
		const { milestones } = await import('../db/schema/index.ts');
		const [m] = await db.database.db.select().from(milestones).where(eq(milestones.grantId, grantId!));
		const lines = (await getReport(db.ctx(who), grantId!, m.id)).budgetLines;
		await saveReport(db.ctx(who), grantId!, m.id, { narrative: 'Klart.', participants: 12, participantsByNeighbourhood: {}, spending: { [lines[0].id]: 850_000 }, unspentAmount: 150_000 }, true);
		await reviewReport(db.ctx(officer), grantId!, m.id, 'accept', '');
		return { fundId, callId, grantId: grantId! };
	}

	it('is not available to award again until it is repaid', async () => {
		const { fundId, callId, grantId } = await paidOutWithUnspent();
		expect(await grantFigures(db.database.db, grantId)).toMatchObject({ paid: 1_000_000, owedBack: 150_000, committed: 1_000_000 });
		await closeGrant(db.ctx(officer), grantId);
		expect((await fundFigures(db.database.db, fundId)).available).toBe(0);
		const next = await inReview(callId, 150_000);
		expect(await refusalOf(decide(db.ctx(officer), { applicationId: next.id, outcome: 'approve', amount: 150_000, conditions: '' }))).toBe('conflict:error_fund_exhausted');
		await recordRepayment(db.ctx(finance), grantId, { amount: 150_000, paidDate: '2026-12-01', reference: 'BG-RETUR-1' });
		expect(await fundFigures(db.database.db, fundId)).toMatchObject({ available: 150_000, repaid: 150_000, owedBack: 0 });
		expect(await refusalOf(decide(db.ctx(officer), { applicationId: next.id, outcome: 'approve', amount: 150_000, conditions: '' }))).toBe('ok');
		expect(await violationsOf(db, fundId)).toEqual([]);
	});

	it('is written off only by a finance user and an officer, two different people', async () => {
		const { fundId, grantId } = await paidOutWithUnspent();
		const both = await createUser(db, { roles: ['officer', 'finance'] });
		expect(await refusalOf(proposeWriteOff(db.ctx(finance), grantId, { amount: 200_000, reason: 'Föreningen är upplöst.' }))).toBe('invalid:error_write_off_too_much');
		const id = await proposeWriteOff(db.ctx(finance), grantId, { amount: 150_000, reason: 'Föreningen är upplöst.' });
		expect(await refusalOf(confirmWriteOff(db.ctx(finance), id))).toBe('forbidden:error_write_off_other_person');
		expect(await refusalOf(confirmWriteOff(db.ctx(finance2), id))).toBe('forbidden:error_write_off_other_role');
		expect((await fundFigures(db.database.db, fundId)).available).toBe(0);
		await confirmWriteOff(db.ctx(both), id);
		expect(await fundFigures(db.database.db, fundId)).toMatchObject({ owedBack: 0, writtenOff: 150_000, available: 150_000 });
		expect(await refusalOf(confirmWriteOff(db.ctx(officer), id))).toBe('invalid_state:error_transition_not_allowed');
		expect(await violationsOf(db, fundId)).toEqual([]);
	});

	it('is netted first against payments not yet made, and closing waits for the payments left', async () => {
		const g = await acceptedGrant(db, { officer, place });
		const { milestones } = await import('../db/schema/index.ts');
		const [m] = await db.database.db.select().from(milestones).where(eq(milestones.grantId, g.grantId));
		const lines = (await getReport(db.ctx(g.grantee), g.grantId, m.id)).budgetLines;
		await saveReport(db.ctx(g.grantee), g.grantId, m.id, { narrative: 'Klart.', participants: 12, participantsByNeighbourhood: {}, spending: { [lines[0].id]: 950_000 }, unspentAmount: 50_000 }, true);
		await reviewReport(db.ctx(officer), g.grantId, m.id, 'accept', '');
		// 80 % (800 000) still due; the final 200 000 reduced by the 50 000 unspent: nothing is owed back.
		expect((await tranchesOf(g.grantId)).map((t) => [t.status, t.amount])).toEqual([['due', 800_000], ['due', 150_000]]);
		expect(await grantFigures(db.database.db, g.grantId)).toMatchObject({ owedBack: 0, released: 50_000, due: 950_000 });
		expect(await refusalOf(closeGrant(db.ctx(officer), g.grantId))).toBe('invalid_state:error_close_open_tranches');
		for (const t of await tranchesOf(g.grantId)) await recordBankTransfer(db.ctx(finance), t.id, { paidDate: '2026-12-01', reference: `SEB-${t.position}-${t.id.slice(0, 4)}` });
		await closeGrant(db.ctx(officer), g.grantId);
		expect(await grantFigures(db.database.db, g.grantId)).toMatchObject({ paid: 950_000, committed: 950_000 });
		expect(await violationsOf(db, g.grantId)).toEqual([]);
	});
});

describe('3b. unspent money after a waived payment (found by the model-based tests)', () => {
	it('counts what was waived as unspent already, so nothing is owed back that was never paid', async () => {
		const g = await acceptedGrant(db, { officer, place });
		const { waiveTranche } = await import('../grants/service.ts');
		await waiveTranche(db.ctx(officer), g.grantId, g.due.id, 'The autumn term was cancelled.');
		const { milestones } = await import('../db/schema/index.ts');
		const [m] = await db.database.db.select().from(milestones).where(eq(milestones.grantId, g.grantId));
		const lines = (await getReport(db.ctx(g.grantee), g.grantId, m.id)).budgetLines;
		await saveReport(db.ctx(g.grantee), g.grantId, m.id, { narrative: 'Bara våren.', participants: 12, participantsByNeighbourhood: {}, spending: { [lines[0].id]: 100_000 }, unspentAmount: 900_000 }, true);
		await reviewReport(db.ctx(officer), g.grantId, m.id, 'accept', '');
		expect((await tranchesOf(g.grantId)).map((t) => [t.status, t.amount])).toEqual([['waived', 800_000], ['due', 100_000]]);
		expect(await grantFigures(db.database.db, g.grantId)).toMatchObject({ owedBack: 0, paid: 0, due: 100_000, released: 900_000 });
		expect(await violationsOf(db, g.grantId)).toEqual([]);
	});
});

describe('4. finance staff tied to the grantee', () => {
	it('can neither pay nor approve a payment of their own organisation, nor of one they applied for', async () => {
		const financeMember = await createUser(db, { roles: ['finance'] });
		const orgId = await createOrganisation(db.ctx(financeMember), { kind: 'association', name: 'Kassörernas förening', orgNumber: uniqueOrgNumber(), address: '', neighbourhoodId: place, contactEmail: 'kassa@example.org', contactPhone: '' });
		const { callId } = await openCall(db, officer);
		const app = await inReview(callId, 5_000_000, financeMember, orgId);
		const { grantId } = await decide(db.ctx(officer), { applicationId: app.id, outcome: 'approve', amount: 5_000_000, conditions: '' });
		await acceptOffer(db.ctx(financeMember), grantId!, { termsAccepted: true, payout: TEST_IBAN });
		const [due] = (await tranchesOf(grantId!)).filter((t) => t.status === 'due');
		expect(await refusalOf(approvePayment(db.ctx(financeMember), due.id))).toBe('forbidden:error_conflict_of_interest');
		await approvePayment(db.ctx(finance), due.id);
		expect(await refusalOf(recordBankTransfer(db.ctx(financeMember), due.id, { paidDate: '2026-12-01', reference: 'SELF-1' }))).toBe('forbidden:error_conflict_of_interest');
		expect(await refusalOf(createBatch(db.ctx(financeMember), [due.id]))).toBe('forbidden:error_conflict_of_interest');
		const row = (await dueTranches(db.ctx(financeMember), {})).rows.find((r) => r.id === due.id)!;
		expect(row).toMatchObject({ mayPay: false, mayApprove: false });
		await recordBankTransfer(db.ctx(finance2), due.id, { paidDate: '2026-12-01', reference: 'OTHER-1' });
		expect(await violationsOf(db, grantId!)).toEqual([]);
	});

	it('nobody decides an application of their own organisation', async () => {
		const officerMember = await createUser(db, { roles: ['officer'] });
		const orgId = await createOrganisation(db.ctx(officerMember), { kind: 'association', name: 'Handläggarnas förening', orgNumber: uniqueOrgNumber(), address: '', neighbourhoodId: place, contactEmail: 'h@example.org', contactPhone: '' });
		const applicant = await createUser(db);
		await db.database.write((tx) => tx.insert(organisationMembers).values({ organisationId: orgId, userId: applicant.id, role: 'member', createdAt: new Date() }));
		const { callId } = await openCall(db, officer);
		const app = await inReview(callId, 1_000_000, applicant, orgId);
		expect(await refusalOf(decide(db.ctx(officerMember), { applicationId: app.id, outcome: 'approve', amount: 1_000_000, conditions: '' }))).toMatch(/^(forbidden|not_found)/);
		expect(await refusalOf(decide(db.ctx(officer), { applicationId: app.id, outcome: 'approve', amount: 1_000_000, conditions: '' }))).toBe('ok');
	});
});

describe('5. a conflict that appears after assignment', () => {
	async function assigned() {
		const owner = await createUser(db);
		const orgId = await createOrganisation(db.ctx(owner), { kind: 'association', name: `Förening ${crypto.randomUUID().slice(0, 6)}`, orgNumber: uniqueOrgNumber(), address: '', neighbourhoodId: place, contactEmail: 'f@example.org', contactPhone: '' });
		const { callId } = await openCall(db, officer, { reviewersPerApplication: 1 });
		const app = await inReview(callId, 1_000_000, owner, orgId);
		const reviewer = await createUser(db, { roles: ['reviewer'] });
		await appointReviewer(db.ctx(officer), callId, reviewer.id);
		await autoAssign(db.ctx(officer), callId);
		const [q] = await myQueue(db.ctx(reviewer));
		await declareConflict(db.ctx(reviewer), q.id, false, '');
		return { owner, orgId, callId, app, reviewer, assignmentId: q.id };
	}
	const scores = async (assignmentId: string) => {
		const { criteria } = await import('../db/schema/index.ts');
		const { reviewAssignments: ra, applications } = await import('../db/schema/index.ts');
		const [a] = await db.database.db.select({ callId: applications.callId }).from(ra).innerJoin(applications, eq(applications.id, ra.applicationId)).where(eq(ra.id, assignmentId));
		const crit = await db.database.db.select().from(criteria).where(eq(criteria.callId, a.callId));
		return Object.fromEntries(crit.map((c) => [c.id, { score: 4, justification: 'Bra.' }]));
	};

	it('joining the applying organisation withdraws the assignment and returns it to the pool', async () => {
		const s = await assigned();
		await inviteMember(db.ctx(s.owner), s.orgId, s.reviewer.email);
		const [mail] = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, s.reviewer.email)).orderBy(desc(emailOutbox.id));
		await acceptInvitation(db.ctx(s.reviewer), mail.textBody.match(/token=([a-z2-7]+)/)![1]);
		const [a] = await db.database.db.select().from(reviewAssignments).where(eq(reviewAssignments.id, s.assignmentId));
		expect(a.releasedAt).not.toBeNull();
		expect(await refusalOf(saveReview(db.ctx(s.reviewer), s.assignmentId, { scores: await scores(s.assignmentId), recommendation: 'fund', suggestedAmount: null, commentsForStaff: '' }, true))).toBe('not_found:error_not_found');
		const events = await db.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'review.withdrawn_for_conflict'), eq(auditEvents.entityId, String(s.app.id))));
		expect(events).toHaveLength(1);
		// Back in the pool: another reviewer gets it, the member never again.
		const other = await createUser(db, { roles: ['reviewer'] });
		await appointReviewer(db.ctx(officer), s.callId, other.id);
		expect((await autoAssign(db.ctx(officer), s.callId)).assigned).toBe(1);
		expect((await myQueue(db.ctx(other))).map((q) => q.applicationId)).toEqual([s.app.id]);
		expect(await myQueue(db.ctx(s.reviewer))).toEqual([]);
	});

	it('a tie declared after assignment does the same, and a membership added behind its back is still enforced when saving', async () => {
		const s = await assigned();
		await declareTie(db.ctx(s.reviewer), s.orgId, 'board');
		expect(await refusalOf(saveReview(db.ctx(s.reviewer), s.assignmentId, { scores: await scores(s.assignmentId), recommendation: 'fund', suggestedAmount: null, commentsForStaff: '' }, false))).toBe('not_found:error_not_found');
		const t = await assigned();
		await db.database.write((tx) => tx.insert(organisationMembers).values({ organisationId: t.orgId, userId: t.reviewer.id, role: 'member', createdAt: new Date() }));
		expect(await refusalOf(saveReview(db.ctx(t.reviewer), t.assignmentId, { scores: await scores(t.assignmentId), recommendation: 'fund', suggestedAmount: null, commentsForStaff: '' }, true))).toBe('not_found:error_not_found');
	});

	it('automatic assignment skips reviewers whose role was revoked or whose account is disabled', async () => {
		const owner = await createUser(db);
		const { callId } = await openCall(db, officer, { reviewersPerApplication: 1 });
		await inReview(callId, 1_000_000, owner);
		const revoked = await createUser(db, { roles: ['reviewer'] });
		const disabled = await createUser(db, { roles: ['reviewer'] });
		await appointReviewer(db.ctx(officer), callId, revoked.id);
		await appointReviewer(db.ctx(officer), callId, disabled.id);
		await revokeRole(db.ctx(admin), revoked.id, 'reviewer');
		await setUserDisabled(db.ctx(admin), disabled.id, true);
		const report = await autoAssign(db.ctx(officer), callId);
		expect(report.assigned).toBe(0);
		expect(report.unfilled).toHaveLength(1);
	});
});

describe('6. an organisation number registered twice', () => {
	it('is refused; the official identifier is published only once an officer verified it', async () => {
		const number = uniqueOrgNumber();
		const owner = await createUser(db);
		const orgId = await createOrganisation(db.ctx(owner), { kind: 'association', name: 'Riktiga föreningen', orgNumber: number, address: '', neighbourhoodId: place, contactEmail: 'r@example.org', contactPhone: '' });
		const impostor = await createUser(db);
		expect(await refusalOf(createOrganisation(db.ctx(impostor), { kind: 'association', name: 'Falska föreningen', orgNumber: number.replace('-', ''), address: '', neighbourhoodId: place, contactEmail: 'f@example.org', contactPhone: '' }))).toBe('conflict:error_org_number_taken');
		// A funded grant of the organisation, in the open data.
		const { callId } = await openCall(db, officer);
		const app = await inReview(callId, 1_000_000, owner, orgId);
		const { grantId } = await decide(db.ctx(officer), { applicationId: app.id, outcome: 'approve', amount: 1_000_000, conditions: '' });
		await acceptOffer(db.ctx(owner), grantId!, { termsAccepted: true, payout: TEST_IBAN });
		const recipient = async () => {
			let text = '';
			for await (const chunk of package360Json(db.database.db, openDataContext(db.config))) text += chunk;
			const g = JSON.parse(text).grants.find((x: { title: string; recipientOrganization?: { name: string }[] }) => x.recipientOrganization?.[0]?.name === 'Riktiga föreningen');
			return g.recipientOrganization[0].id as string;
		};
		expect(await recipient()).toMatch(/-ORG-/);
		expect(await refusalOf(verifyOrganisation(db.ctx(owner), orgId))).toBe('forbidden:error_forbidden');
		await verifyOrganisation(db.ctx(officer), orgId);
		expect(await recipient()).toBe(`SE-BLV-${number.replace('-', '')}`);
	});
});

describe('the payment file asks the bank for the municipality’s day', () => {
	it('at 00:30 in Stockholm (23:30 UTC the day before) the file is dated and executed on the local day, with the offset', async () => {
		const g = await acceptedGrant(db, { officer, place });
		const at = new Date('2026-12-01T23:30:00Z');
		const { batchId, messageId } = await createBatch(db.ctx(finance, at), [g.due.id]);
		expect(messageId).toMatch(/^KVARTER-20261202-/);
		const { batchFile } = await import('../payments/batches.ts');
		const { xml } = await batchFile(db.ctx(finance), batchId);
		expect(xml).toContain('<CreDtTm>2026-12-02T00:30:00+01:00</CreDtTm>');
		expect(xml).toContain('<ReqdExctnDt><Dt>2026-12-02</Dt></ReqdExctnDt>');
		await cancelBatch(db.ctx(finance), batchId);
	});
});

describe('6b. joining an organisation already registered without an invitation', () => {
	it('waits for a programme officer, who is never a member of it nor the one asking', async () => {
		const { requestToJoin, decideJoinRequest, listJoinRequests, membershipOf } = await import('../organisations/service.ts');
		const number = uniqueOrgNumber();
		const owner = await createUser(db);
		const orgId = await createOrganisation(db.ctx(owner), { kind: 'school', name: 'Ekdalsskolan', orgNumber: number, address: '', neighbourhoodId: place, contactEmail: 's@example.org', contactPhone: '' });
		const teacher = await createUser(db);
		expect(await refusalOf(requestToJoin(db.ctx(teacher), uniqueOrgNumber(), ''))).toBe('invalid:error_org_not_registered');
		const { id } = await requestToJoin(db.ctx(teacher), number, 'Jag är ny rektor.');
		expect(await refusalOf(requestToJoin(db.ctx(teacher), number, ''))).toBe('invalid_state:error_join_pending');
		expect(await membershipOf(db.database.db, orgId, teacher.id)).toBeNull();
		// An officer who belongs to the school cannot let someone in; the applicant cannot approve themselves.
		const officerMember = await createUser(db, { roles: ['officer'] });
		await db.database.write((tx) => tx.insert(organisationMembers).values({ organisationId: orgId, userId: officerMember.id, role: 'member', createdAt: new Date() }));
		expect(await refusalOf(decideJoinRequest(db.ctx(officerMember), id, true))).toBe('forbidden:error_conflict_of_interest');
		expect(await refusalOf(decideJoinRequest(db.ctx(teacher), id, true))).toBe('forbidden:error_forbidden');
		expect((await listJoinRequests(db.ctx(officer))).map((r) => r.id)).toContain(id);
		await decideJoinRequest(db.ctx(officer), id, true);
		expect(await membershipOf(db.database.db, orgId, teacher.id)).toBe('member');
		expect(await refusalOf(decideJoinRequest(db.ctx(officer), id, false))).toBe('invalid_state:error_transition_not_allowed');
		expect(await refusalOf(requestToJoin(db.ctx(teacher), number, ''))).toBe('conflict:error_already_member');
	});
});
