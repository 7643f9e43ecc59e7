import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { completeApplication, neighbourhood, openCall, uniqueOrgNumber } from '../testing/fixtures.ts';
import { samplePdf } from '../testing/files.ts';
import { applications, attachments, auditEvents, emailOutbox } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { DomainError } from '../errors.ts';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../../domain.ts';
import { createOrganisation } from '../organisations/service.ts';
import { getCallForStaff, updateCall } from '../calls/service.ts';
import { callInput } from '../testing/fixtures.ts';
import {
	getApplication,
	listApplicationsForStaff,
	listMyApplications,
	postMessage,
	saveApplication,
	screenApplication,
	startApplication,
	submitApplication,
	withdrawApplication
} from './service.ts';
import { addAttachment, readAttachment } from './attachments.ts';
import { fileStore } from '../files/store.ts';
import { THREAD_PAGE_SIZE } from '../pagination.ts';
import { decide, reverseDecision } from '../decisions/service.ts';
import { declareTie } from '../reviews/service.ts';
import { assignReviewer } from '../reviews/assignment.ts';
import { rankCall } from '../reviews/ranking.ts';
import { APPLICATION_WORKFLOW, fromStates, partyFor, transition } from './workflow.ts';
import { applicationToFormValues, parseApplicationForm } from './form.ts';

let db: TestDb;
let officer: Actor;
let admin: Actor;
let applicant: Actor;
let stranger: Actor;
let norrbacka: string;
let callId: string;

beforeAll(async () => {
	db = await createTestDb();
	officer = await createUser(db, { roles: ['officer'], name: 'Pieter Janssens' });
	admin = await createUser(db, { roles: ['admin'] });
	applicant = await createUser(db, { name: 'Amina Hassan', locale: 'sv' });
	stranger = await createUser(db, { name: 'Someone Else' });
	norrbacka = await neighbourhood(db, admin, 'Norrbacka', true);
	({ callId } = await openCall(db, officer));
});
afterAll(() => db.cleanup());

const refusal = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => {
			if (!(e instanceof DomainError)) throw e;
			return e.code;
		}
	);
const issuesOf = (p: Promise<unknown>) =>
	p.then(
		() => [],
		(e) => (e instanceof DomainError ? e.issues.map((i) => i.messageKey) : Promise.reject(e))
	);
const statusOf = async (id: number) => (await db.database.db.select().from(applications).where(eq(applications.id, id)))[0].status;

/** A fresh application by `applicant`, brought to `status` through the real operations. */
async function applicationIn(status: ApplicationStatus, who: Actor = applicant): Promise<number> {
	const id = await startApplication(db.ctx(who), callId, null);
	await saveApplication(db.ctx(who), id, completeApplication(norrbacka));
	if (status === 'draft') return id;
	if (status === 'withdrawn') {
		await withdrawApplication(db.ctx(who), id);
		return id;
	}
	await submitApplication(db.ctx(who), id);
	if (status === 'submitted') return id;
	if (status === 'needs_changes') await screenApplication(db.ctx(officer), id, 'request_changes', 'Please add your partners.');
	if (status === 'ineligible') await screenApplication(db.ctx(officer), id, 'mark_ineligible', 'Outside the municipality.');
	if (status === 'in_review' || status === 'approved' || status === 'rejected') await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
	if (status === 'approved') await decide(db.ctx(officer), { applicationId: id, outcome: 'approve', amount: 1_000_000, conditions: '' });
	if (status === 'rejected') await decide(db.ctx(officer), { applicationId: id, outcome: 'reject', reason: 'Not this time.' });
	return id;
}

type Op = (who: Actor, id: number) => Promise<unknown>;
const OPERATIONS: Record<string, Op> = {
	submit: (who, id) => submitApplication(db.ctx(who), id),
	withdraw: (who, id) => withdrawApplication(db.ctx(who), id),
	request_changes: (who, id) => screenApplication(db.ctx(who), id, 'request_changes', 'Please clarify the budget.'),
	mark_eligible: (who, id) => screenApplication(db.ctx(who), id, 'mark_eligible', ''),
	mark_ineligible: (who, id) => screenApplication(db.ctx(who), id, 'mark_ineligible', 'Not in our municipality.'),
	approve: (who, id) => decide(db.ctx(who), { applicationId: id, outcome: 'approve', amount: 500_000, conditions: '' }),
	reject: (who, id) => decide(db.ctx(who), { applicationId: id, outcome: 'reject', reason: 'Other projects reach more people.' }),
	reverse_decision: (who, id) => reverseDecision(db.ctx(who), id, 'Decided on the wrong application.')
};

describe('the application workflow table', () => {
	it('names every move once, between known statuses, with a rule in the access policy', () => {
		for (const t of APPLICATION_WORKFLOW) {
			expect(APPLICATION_STATUSES).toContain(t.to);
			for (const f of fromStates(t)) expect(APPLICATION_STATUSES).toContain(f);
		}
		expect(new Set(APPLICATION_WORKFLOW.map((t) => t.action)).size).toBe(APPLICATION_WORKFLOW.length);
		expect(Object.keys(OPERATIONS).sort()).toEqual(APPLICATION_WORKFLOW.map((t) => t.action).sort());
	});

	// Every action × every status × each party: the services allow exactly what the policy says.
	for (const [action, op] of Object.entries(OPERATIONS)) {
		for (const from of APPLICATION_STATUSES) {
			for (const party of ['applicant', 'staff'] as const) {
				const t = transition(action);
				const allowed = fromStates(t).includes(from) && partyFor(t) === party;
				it(`${action} from ${from} by ${party}: ${allowed ? `moves to ${t.to}` : 'refused'}`, async () => {
					const id = await applicationIn(from);
					const actor = party === 'applicant' ? applicant : officer;
					const auditBefore = (await db.database.db.select({ n: sql<number>`count(*)` }).from(auditEvents))[0].n;
					const outcome = await refusal(op(actor, id));
					if (allowed) {
						expect(outcome).toBe('ok');
						expect(await statusOf(id)).toBe(t.to);
						const [last] = await db.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, String(id))).orderBy(sql`id desc`).limit(1);
						expect(last.action).toMatch(/^application\./);
					} else {
						expect(['invalid_state', 'forbidden', 'not_found']).toContain(outcome);
						expect(await statusOf(id)).toBe(from);
						const auditAfter = (await db.database.db.select({ n: sql<number>`count(*)` }).from(auditEvents))[0].n;
						expect(auditAfter).toBe(auditBefore);
					}
				});
			}
		}
	}
});

describe('the call rules on submission', () => {
	it('reports every missing part at once and changes nothing', async () => {
		const id = await startApplication(db.ctx(applicant), callId, null);
		const issues = await issuesOf(submitApplication(db.ctx(applicant), id));
		expect(issues).toEqual(
			expect.arrayContaining(['error_title_required', 'error_summary_required', 'error_description_required', 'error_neighbourhood_required', 'error_budget_required'])
		);
		expect(await statusOf(id)).toBe('draft');
	});

	it('refuses an amount above the maximum or below the minimum', async () => {
		const id = await startApplication(db.ctx(applicant), callId, null);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka, { budgetLines: [{ item: 'Festival', category: 'fees', amount: 6_000_000 }] }));
		expect(await issuesOf(submitApplication(db.ctx(applicant), id))).toEqual(['error_amount_above_max']);
		// Lines that do not add up to the amount asked for are refused too.
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka, { requestedAmount: 1_500_000 }));
		expect(await issuesOf(submitApplication(db.ctx(applicant), id))).toEqual(['error_budget_total']);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka, { budgetLines: [{ item: 'Fika', category: 'food', amount: 10_000 }] }));
		expect(await issuesOf(submitApplication(db.ctx(applicant), id))).toEqual(['error_amount_below_min']);
		expect(await statusOf(id)).toBe('draft');
	});

	it('refuses negative or zero budget lines when saving, and keeps the saved draft as it was', async () => {
		const id = await startApplication(db.ctx(applicant), callId, null);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka));
		const bad = completeApplication(norrbacka, { title: 'Changed', budgetLines: [{ item: 'Refund', category: 'other', amount: -500 }] });
		expect(await issuesOf(saveApplication(db.ctx(applicant), id, bad))).toEqual(['error_line_amount']);
		const view = await getApplication(db.ctx(applicant), id);
		expect(view.application.title).toBe('Läxhjälp och fika');
		expect(view.budgetLines.map((l) => l.amount)).toEqual([600_000, 400_000, 200_000]);
		expect(view.application.requestedAmount).toBe(1_200_000);
	});

	it('refuses a submission after the call has closed', async () => {
		const id = await startApplication(db.ctx(applicant), callId, null);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka));
		const later = new Date(Date.now() + 31 * 24 * 3600 * 1000);
		expect(await refusal(submitApplication(db.ctx(applicant, later), id))).toBe('invalid_state');
		expect(await statusOf(id)).toBe('draft');
	});

	it('refuses dates that end before they start', async () => {
		const id = await startApplication(db.ctx(applicant), callId, null);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka, { startDate: '2027-05-01', endDate: '2027-04-01' }));
		expect(await issuesOf(submitApplication(db.ctx(applicant), id))).toEqual(['error_end_before_start']);
	});

	it('refuses an applicant kind the call does not take', async () => {
		const { callId: schoolsOnly } = await openCall(db, officer, { eligibleKinds: ['school'] });
		expect(await refusal(startApplication(db.ctx(applicant), schoolsOnly, null))).toBe('invalid');
		const orgId = await createOrganisation(db.ctx(applicant), {
			kind: 'association',
			name: 'Norrbacka IF',
			orgNumber: uniqueOrgNumber(),
			address: 'Idrottsvägen 2',
			neighbourhoodId: norrbacka,
			contactEmail: 'styrelsen@norrbackaif.se',
			contactPhone: ''
		});
		expect(await refusal(startApplication(db.ctx(applicant), schoolsOnly, orgId))).toBe('invalid');
	});

	it('sends the applicant an email in their language when submitted', async () => {
		const id = await applicationIn('submitted');
		const mails = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, applicant.email));
		const mail = mails.find((m) => m.subject === `Vi har tagit emot din ansökan (nr ${id})`);
		expect(mail?.textBody).toContain(`/applications/${id}`);
	});

	it('records a resident’s consent to be named in the public register, and its withdrawal', async () => {
		const id = await startApplication(db.ctx(applicant), callId, null);
		const named = async () => (await db.database.db.select().from(applications).where(eq(applications.id, id)))[0].publicName;
		expect(await named()).toBe(false);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka, { publicName: true }));
		expect(await named()).toBe(true);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka, { publicName: false }));
		expect(await named()).toBe(false);
	});
});

describe('the amount asked for, left empty', () => {
	it('keeps following the budget: a line changed later (after a change request too) never makes sending fail', async () => {
		const id = await applicationIn('draft');
		const formOf = async () => {
			const v = await getApplication(db.ctx(applicant), id);
			return applicationToFormValues(v.application, v.neighbourhoods.map((n) => n.id), v.budgetLines);
		};
		const saveForm = async (change: (f: Awaited<ReturnType<typeof formOf>>) => void) => {
			const f = await formOf();
			change(f);
			const { input, errors } = parseApplicationForm(f);
			expect(errors).toEqual({});
			await saveApplication(db.ctx(applicant), id, input);
		};
		// Saved from the form with the amount empty: it shows empty again, not as a number to keep in step by hand.
		expect((await formOf()).requestedAmount).toBe('');
		await saveForm((f) => (f.lineAmount[0] = '7000'));
		expect((await getApplication(db.ctx(applicant), id)).application.requestedAmount).toBe(1_300_000);
		await submitApplication(db.ctx(applicant), id);
		await screenApplication(db.ctx(officer), id, 'request_changes', 'Please lower the food budget.');
		await saveForm((f) => (f.lineAmount[0] = '5000'));
		await submitApplication(db.ctx(applicant), id);
		expect((await getApplication(db.ctx(applicant), id)).application).toMatchObject({ status: 'submitted', requestedAmount: 1_100_000 });
		// An amount typed that differs from the total stays as typed (and is checked at sending).
		expect(applicationToFormValues({ ...(await getApplication(db.ctx(applicant), id)).application, requestedAmount: 900_000 }, [], [{ item: 'x', category: 'food', amount: 1_000_000 }]).requestedAmount).toBe('9000');
	});
});

describe('who may see and change an application', () => {
	it('answers "not found" to another applicant reading, editing, submitting or downloading', async () => {
		const id = await applicationIn('draft');
		await addAttachment(db.ctx(applicant), id, { name: 'plan.pdf', bytes: samplePdf() });
		const [att] = await db.database.db.select().from(attachments).where(eq(attachments.applicationId, id));
		const stored = await fileStore(db.config).list();
		expect(stored).toContain(att.id);
		expect(await refusal(getApplication(db.ctx(stranger), id))).toBe('not_found');
		expect(await refusal(saveApplication(db.ctx(stranger), id, completeApplication(norrbacka)))).toBe('not_found');
		expect(await refusal(submitApplication(db.ctx(stranger), id))).toBe('not_found');
		expect(await refusal(withdrawApplication(db.ctx(stranger), id))).toBe('not_found');
		expect(await refusal(postMessage(db.ctx(stranger), id, 'hello', 'applicant'))).toBe('not_found');
		expect(await refusal(readAttachment(db.ctx(stranger), id, att.id))).toBe('not_found');
		expect(await refusal(addAttachment(db.ctx(stranger), id, { name: 'x.pdf', bytes: samplePdf() }))).toBe('not_found');
		// Staff do not see drafts either: an application becomes the municipality's business when sent.
		expect(await refusal(getApplication(db.ctx(officer), id))).toBe('not_found');
		const own = await readAttachment(db.ctx(applicant), id, att.id);
		expect(own.fileName).toBe('plan.pdf');
		expect(own.bytes).toEqual(Buffer.from(samplePdf()));
		// The refused upload left nothing in the store (a folder, or under test:sqld a bucket).
		expect(await fileStore(db.config).list()).toEqual(stored);
	});

	it('lets a member of the organisation edit its draft, and not a non-member', async () => {
		const member = await createUser(db, { name: 'Erik Nilsson' });
		const orgId = await createOrganisation(db.ctx(applicant), {
			kind: 'informal_group',
			name: 'Grannar i Ekdalen',
			orgNumber: '',
			address: '',
			neighbourhoodId: norrbacka,
			contactEmail: 'grannar@example.se',
			contactPhone: ''
		});
		await db.database.write((tx) => tx.run(sql`insert into organisation_members (organisation_id, user_id, role, created_at) values (${orgId}, ${member.id}, 'member', ${Date.now()})`));
		const id = await startApplication(db.ctx(applicant), callId, orgId);
		await saveApplication(db.ctx(member), id, completeApplication(norrbacka, { title: 'Gemensam trädgård' }));
		expect((await getApplication(db.ctx(member), id)).application.title).toBe('Gemensam trädgård');
		expect((await listMyApplications(db.ctx(member))).map((a) => a.id)).toContain(id);
		expect(await refusal(saveApplication(db.ctx(stranger), id, completeApplication(norrbacka)))).toBe('not_found');
		expect((await listMyApplications(db.ctx(stranger))).map((a) => a.id)).not.toContain(id);
	});

	it('records autosaves as one audit event per editing session, so histories grow with sessions, not keystrokes', async () => {
		const t0 = new Date(); // the call is open from today
		const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
		const id = await startApplication(db.ctx(applicant, t0), callId, null);
		const saves = async () => (await db.database.db.select().from(auditEvents).where(and(eq(auditEvents.entityId, String(id)), eq(auditEvents.action, 'application.saved')))).map((e) => e.at.getTime());
		for (const m of [1, 2, 5, 30, 61]) await saveApplication(db.ctx(applicant, at(m)), id, completeApplication(norrbacka));
		expect(await saves()).toEqual([at(1).getTime()]);
		// An hour after the last save is a new session; so is a save after something else was recorded.
		await saveApplication(db.ctx(applicant, at(125)), id, completeApplication(norrbacka));
		await submitApplication(db.ctx(applicant, at(126)), id);
		await screenApplication(db.ctx(officer, at(130)), id, 'request_changes', 'Please add your partners.');
		await saveApplication(db.ctx(applicant, at(131)), id, completeApplication(norrbacka));
		await saveApplication(db.ctx(applicant, at(132)), id, completeApplication(norrbacka));
		expect(await saves()).toEqual([at(1), at(125), at(131)].map((d) => d.getTime()));
	});

	it('keeps internal staff messages from the applicant', async () => {
		const id = await applicationIn('submitted');
		await postMessage(db.ctx(officer), id, 'Looks strong; check the partner letter.', 'internal');
		await postMessage(db.ctx(officer), id, 'Could you send the partner letter?', 'applicant');
		await postMessage(db.ctx(applicant), id, 'Yes, attached tomorrow.', 'internal'); // forced visible
		const staffView = await getApplication(db.ctx(officer), id);
		const applicantView = await getApplication(db.ctx(applicant), id);
		expect(staffView.messages.map((m) => m.visibility)).toEqual(['internal', 'applicant', 'applicant']);
		// Each message records the language its author writes in (pages mark it: WCAG 3.1.2).
		expect(staffView.messages.map((m) => m.language)).toEqual(['en', 'en', 'sv']);
		expect(applicantView.messages.map((m) => m.body)).toEqual(['Could you send the partner letter?', 'Yes, attached tomorrow.']);
		expect(applicantView.timeline.every((e) => e.actorName === null)).toBe(true);
	});

	it('pages long threads and histories: the newest first, each page in the order things happened', async () => {
		const id = await applicationIn('submitted');
		const n = THREAD_PAGE_SIZE + 5;
		for (let i = 0; i < n; i++) await postMessage(db.ctx(i % 2 ? applicant : officer, new Date(Date.now() + i * 1000)), id, `Message ${i}`, i % 3 === 0 ? 'internal' : 'applicant');
		const first = await getApplication(db.ctx(officer), id);
		expect(first.messages.map((m) => m.body)).toEqual(Array.from({ length: THREAD_PAGE_SIZE }, (_, k) => `Message ${k + 5}`));
		expect(first.messagePage).toEqual({ page: 1, older: true });
		const second = await getApplication(db.ctx(officer), id, { messages: 2 });
		expect([second.messages.map((m) => m.body), second.messagePage]).toEqual([['Message 0', 'Message 1', 'Message 2', 'Message 3', 'Message 4'], { page: 2, older: false }]);
		// The applicant's pages hold only what they may read (internal notes are left out before paging).
		const visible = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0 || i % 2 === 1);
		const mine = await getApplication(db.ctx(applicant), id);
		expect(mine.messages.map((m) => m.body)).toEqual(visible.slice(-THREAD_PAGE_SIZE).map((i) => `Message ${i}`));
		expect(mine.messagePage.older).toBe(visible.length > THREAD_PAGE_SIZE);
		// The history pages the same way; staff-only events never fill the applicant's page.
		const events = Number((await db.database.client.execute({ sql: `select count(*) as n from audit_events where entity_type = 'application' and entity_id = ?`, args: [String(id)] })).rows[0].n);
		const history = await getApplication(db.ctx(officer), id, { history: 1 });
		expect(history.timeline.length).toBe(Math.min(events, THREAD_PAGE_SIZE));
		expect(history.historyPage.older).toBe(events > THREAD_PAGE_SIZE);
		expect((await getApplication(db.ctx(applicant), id)).timeline.map((e) => e.action)).toEqual(['application.created', 'application.submitted']);
	});

	it('is "not found" to reviewers and finance staff who have no part in it', async () => {
		const id = await applicationIn('submitted');
		const reviewer = await createUser(db, { roles: ['reviewer'] });
		const finance = await createUser(db, { roles: ['finance'] });
		for (const who of [reviewer, finance]) {
			expect(await refusal(getApplication(db.ctx(who), id))).toBe('not_found');
			expect(await refusal(screenApplication(db.ctx(who), id, 'mark_eligible', ''))).toBe('not_found');
			expect(await refusal(listApplicationsForStaff(db.ctx(who), {}))).toBe('forbidden');
		}
		expect(await statusOf(id)).toBe('submitted');
	});

	it('refuses to let a staff member screen their own application', async () => {
		const id = await applicationIn('submitted', officer);
		expect(await refusal(screenApplication(db.ctx(officer), id, 'mark_eligible', ''))).toBe('forbidden');
	});

	it('keeps an officer tied to the applying organisation from screening, messaging, assigning or deciding it, and the pages offer none of it', async () => {
		const tiedOfficer = await createUser(db, { roles: ['officer', 'reviewer'], name: 'Lotta Berg' });
		const orgId = await createOrganisation(db.ctx(applicant), { kind: 'association', name: 'Ekdalens Fritidsförening', orgNumber: uniqueOrgNumber(), address: '', neighbourhoodId: norrbacka, contactEmail: 'ekdalen@example.se', contactPhone: '' });
		await declareTie(db.ctx(tiedOfficer), orgId, 'board');
		const id = await startApplication(db.ctx(applicant), callId, orgId);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka));
		await submitApplication(db.ctx(applicant), id);
		// The tied officer still reads it, and is offered nothing.
		const view = await getApplication(db.ctx(tiedOfficer), id);
		expect(Object.entries(view.may).filter(([, ok]) => ok)).toEqual([]);
		expect(await refusal(screenApplication(db.ctx(tiedOfficer), id, 'mark_eligible', ''))).toBe('forbidden');
		expect(await refusal(postMessage(db.ctx(tiedOfficer), id, 'Internal note', 'internal'))).toBe('forbidden');
		// Another officer screens it; the tied officer cannot assign reviewers nor decide, and the ranking offers no decision.
		expect((await getApplication(db.ctx(officer), id)).may['application.screen']).toBe(true);
		await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
		const reviewer = await createUser(db, { roles: ['reviewer'] });
		expect(await refusal(assignReviewer(db.ctx(tiedOfficer), id, reviewer.id))).toBe('forbidden');
		expect(await refusal(decide(db.ctx(tiedOfficer), { applicationId: id, outcome: 'approve', amount: 500_000, conditions: '' }))).toBe('forbidden');
		const row = (ranking: Awaited<ReturnType<typeof rankCall>>) => ranking.rows.find((r) => r.id === id)!;
		expect(row(await rankCall(db.ctx(tiedOfficer), callId)).mayDecide).toBe(false);
		expect(row(await rankCall(db.ctx(officer), callId)).mayDecide).toBe(true);
		expect(await statusOf(id)).toBe('in_review');
		// The applicant side may message and withdraw, never screen.
		const mine = await getApplication(db.ctx(applicant), id);
		expect(Object.entries(mine.may).filter(([, ok]) => ok).map(([a]) => a).sort()).toEqual(['application.message_staff', 'application.withdraw']);
	});
});

describe('the staff list', () => {
	it('finds applications by words in title, summary or organisation, with counts per status', async () => {
		const orgId = await createOrganisation(db.ctx(applicant), {
			kind: 'association',
			name: 'Föreningen Kulturbron',
			orgNumber: uniqueOrgNumber(),
			address: '',
			neighbourhoodId: norrbacka,
			contactEmail: 'info@kulturbron.se',
			contactPhone: ''
		});
		const id = await startApplication(db.ctx(applicant), callId, orgId);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka, { title: 'Sommarläger vid sjön', summary: 'Kanoter och lägereld' }));
		await submitApplication(db.ctx(applicant), id);
		for (const q of ['sommarlager', 'kanot', 'kulturbron', 'SJÖN']) {
			const page = await listApplicationsForStaff(db.ctx(officer), { q });
			expect(page.rows.map((r) => r.id), q).toEqual([id]);
		}
		const all = await listApplicationsForStaff(db.ctx(officer), { callId });
		expect(all.total).toBe(Object.values(all.counts).reduce((a, b) => a + b, 0));
		expect(all.counts.draft).toBe(0);
		const onlySubmitted = await listApplicationsForStaff(db.ctx(officer), { callId, status: 'submitted' });
		expect(onlySubmitted.rows.every((r) => r.status === 'submitted')).toBe(true);
		expect(await refusal(listApplicationsForStaff(db.ctx(applicant), {}))).toBe('forbidden');
		// Search syntax cannot break the query.
		expect((await listApplicationsForStaff(db.ctx(officer), { q: '"unbalanced OR (' })).total).toBeGreaterThanOrEqual(0);
	});
});

describe('call criteria', () => {
	it('cannot change once an application of the call is in review', async () => {
		const { callId: fresh } = await openCall(db, officer);
		const view = await getCallForStaff(db.ctx(officer), fresh);
		expect(view.criteriaLocked).toBe(false);
		const id = await startApplication(db.ctx(applicant), fresh, null);
		await saveApplication(db.ctx(applicant), id, completeApplication(norrbacka));
		await submitApplication(db.ctx(applicant), id);
		await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
		const changed = callInput(new Date(), { criteria: [{ name: 'Only one', guidance: '', weight: 1, scaleMax: 5 }] });
		expect(await refusal(updateCall(db.ctx(officer), fresh, changed))).toBe('invalid_state');
		// Other settings still change.
		await updateCall(db.ctx(officer), fresh, { ...callInput(new Date()), title: 'Renamed call' });
		expect((await getCallForStaff(db.ctx(officer), fresh)).call.title).toBe('Renamed call');
	});
});
