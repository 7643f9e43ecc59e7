import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { completeApplication, neighbourhood, openCall, uniqueOrgNumber } from '../testing/fixtures.ts';
import { applications, criteria, grants, organisationMembers, paymentTranches, reviewAssignments } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { DomainError } from '../errors.ts';
import { createOrganisation } from '../organisations/service.ts';
import { createFund, createCall, publishCall } from '../calls/service.ts';
import { callInput } from '../testing/fixtures.ts';
import { getApplication, saveApplication, screenApplication, startApplication, submitApplication } from '../applications/service.ts';
import { appointReviewer, assignReviewer, autoAssign } from './assignment.ts';
import { declareConflict, declareTie, getReviewForm, myQueue, saveReview, type ReviewInput } from './service.ts';
import { normalisedScores, weightedScore } from './scoring.ts';
import { equityPreview, rankCall } from './ranking.ts';
import { decide, splitByPercent } from '../decisions/service.ts';

let db: TestDb;
let officer: Actor;
let admin: Actor;
let place: string;
beforeAll(async () => {
	db = await createTestDb();
	officer = await createUser(db, { roles: ['officer'] });
	admin = await createUser(db, { roles: ['admin'] });
	place = await neighbourhood(db, admin, 'Norrbacka', true);
});
afterAll(() => db.cleanup());

const codeOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => (e instanceof DomainError ? e.code : Promise.reject(e))
	);

/** A call with `n` applications in review from distinct applicants (some through organisations). */
async function callInReview(n: number, overrides: Parameters<typeof openCall>[2] = {}) {
	const { callId, fundId } = await openCall(db, officer, overrides);
	const apps: { id: number; applicant: Actor; orgId: string | null }[] = [];
	for (let i = 0; i < n; i++) {
		const applicant = await createUser(db, { name: `Applicant ${i}` });
		const orgId = i % 2 === 0 ? await createOrganisation(db.ctx(applicant), { kind: 'association', name: `Förening ${i} ${callId.slice(0, 4)}`, orgNumber: uniqueOrgNumber(), address: '', neighbourhoodId: place, contactEmail: 'a@b.se', contactPhone: '' }) : null;
		const id = await startApplication(db.ctx(applicant), callId, orgId);
		await saveApplication(db.ctx(applicant), id, completeApplication(place, { title: `Projekt ${i}` }));
		await submitApplication(db.ctx(applicant), id);
		await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
		apps.push({ id, applicant, orgId });
	}
	return { callId, fundId, apps };
}

async function reviewers(n: number) {
	return Promise.all(Array.from({ length: n }, (_, i) => createUser(db, { roles: ['reviewer'], name: `Reviewer ${i}` })));
}

function fullReview(crit: { id: string }[], score: number): ReviewInput {
	return {
		scores: Object.fromEntries(crit.map((c) => [c.id, { score, justification: 'Because.' }])),
		recommendation: 'fund',
		suggestedAmount: null,
		commentsForStaff: ''
	};
}

describe('conflicts of interest', () => {
	it('never assigns a reviewer their own application, their organisation’s, or one they declared a tie to', async () => {
		const { callId, apps } = await callInReview(6);
		const pool = await reviewers(4);
		// Reviewer 0 is a member of app 0's organisation; reviewer 1 declared a tie to app 2's; reviewer 2 applied herself (app 5 is hers).
		await db.database.write((tx) => tx.insert(organisationMembers).values({ organisationId: apps[0].orgId!, userId: pool[0].id, role: 'member', createdAt: new Date() }));
		await declareTie(db.ctx(pool[1]), apps[2].orgId!, 'board');
		await db.database.write((tx) => tx.update(applications).set({ applicantId: pool[2].id }).where(eq(applications.id, apps[5].id)));
		for (const r of pool) await appointReviewer(db.ctx(officer), callId, r.id);
		await autoAssign(db.ctx(officer), callId);
		const live = await db.database.db.select().from(reviewAssignments).where(isNull(reviewAssignments.releasedAt));
		const has = (app: number, r: Actor) => live.some((a) => a.applicationId === app && a.reviewerId === r.id);
		expect(has(apps[0].id, pool[0])).toBe(false);
		expect(has(apps[2].id, pool[1])).toBe(false);
		expect(has(apps[5].id, pool[2])).toBe(false);
		// Manual assignment refuses the same.
		expect(await codeOf(assignReviewer(db.ctx(officer), apps[0].id, pool[0].id))).toBe('invalid');
		expect(await codeOf(assignReviewer(db.ctx(officer), apps[2].id, pool[1].id))).toBe('invalid');
		expect(await codeOf(assignReviewer(db.ctx(officer), apps[5].id, pool[2].id))).toBe('invalid');
	});

	it('holds over random pools and organisations', async () => {
		let seed = 42;
		const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const { callId, apps } = await callInReview(10, { reviewersPerApplication: 3 });
		const pool = await reviewers(7);
		for (const r of pool) {
			await appointReviewer(db.ctx(officer), callId, r.id);
			for (const a of apps) {
				if (a.orgId && rand() < 0.2) await declareTie(db.ctx(r), a.orgId, 'member');
				if (a.orgId && rand() < 0.1) await db.database.write((tx) => tx.insert(organisationMembers).values({ organisationId: a.orgId!, userId: r.id, role: 'member', createdAt: new Date() }).onConflictDoNothing());
			}
		}
		await autoAssign(db.ctx(officer), callId);
		const { conflictOf } = await import('./conflicts.ts');
		const live = await db.database.db.select().from(reviewAssignments).where(isNull(reviewAssignments.releasedAt));
		for (const a of live.filter((x) => apps.some((p) => p.id === x.applicationId))) {
			const [app] = await db.database.db.select().from(applications).where(eq(applications.id, a.applicationId));
			expect(await conflictOf(db.database.db, a.reviewerId, app)).toBeNull();
		}
	});

	it('hands the assignment back when the reviewer declares a conflict, and never gives it to them again', async () => {
		const { callId, apps } = await callInReview(1, { reviewersPerApplication: 1 });
		const [r1, r2] = await reviewers(2);
		await appointReviewer(db.ctx(officer), callId, r1.id);
		await appointReviewer(db.ctx(officer), callId, r2.id);
		await autoAssign(db.ctx(officer), callId);
		const mine = async (r: Actor) => (await myQueue(db.ctx(r))).find((q) => q.applicationId === apps[0].id);
		const first = (await mine(r1)) ? r1 : r2;
		const second = first === r1 ? r2 : r1;
		const assignment = (await mine(first))!;
		expect(await codeOf(declareConflict(db.ctx(first), assignment.id, true, ''))).toBe('invalid');
		await declareConflict(db.ctx(first), assignment.id, true, 'My sister runs this association.');
		expect(await mine(first)).toBeUndefined();
		expect(await codeOf(getReviewForm(db.ctx(first), assignment.id))).toBe('not_found');
		const report = await autoAssign(db.ctx(officer), callId);
		expect(report.assigned).toBe(1);
		expect(await mine(second)).toBeDefined();
		expect(await codeOf(assignReviewer(db.ctx(officer), apps[0].id, first.id))).toBe('invalid');
	});
});

describe('automatic assignment', () => {
	it('fills every application and keeps loads within one of each other', async () => {
		const { callId, apps } = await callInReview(7, { reviewersPerApplication: 2 });
		const pool = await reviewers(4);
		for (const r of pool) await appointReviewer(db.ctx(officer), callId, r.id);
		const report = await autoAssign(db.ctx(officer), callId);
		expect(report).toEqual({ assigned: 14, unfilled: [] });
		const live = await db.database.db.select().from(reviewAssignments).where(isNull(reviewAssignments.releasedAt));
		const mine = live.filter((a) => apps.some((p) => p.id === a.applicationId));
		for (const a of apps) expect(mine.filter((x) => x.applicationId === a.id)).toHaveLength(2);
		const loads = pool.map((r) => mine.filter((a) => a.reviewerId === r.id).length);
		expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
		// Running it again changes nothing.
		expect(await autoAssign(db.ctx(officer), callId)).toEqual({ assigned: 0, unfilled: [] });
	});

	it('reports what it could not fill and why', async () => {
		const { callId, apps } = await callInReview(2, { reviewersPerApplication: 3 });
		const [r] = await reviewers(1);
		await appointReviewer(db.ctx(officer), callId, r.id);
		const report = await autoAssign(db.ctx(officer), callId);
		expect(report.assigned).toBe(2);
		expect(report.unfilled.map((u) => [u.applicationId, u.missing, u.reason])).toEqual(apps.map((a) => [a.id, 2, 'pool_too_small']));
	});
});

describe('the review itself', () => {
	it('shows other reviews only after submitting, and hides identity when the call says so', async () => {
		const { callId, apps } = await callInReview(1, { hideIdentity: true, reviewersPerApplication: 2 });
		const [r1, r2] = await reviewers(2);
		for (const r of [r1, r2]) {
			await appointReviewer(db.ctx(officer), callId, r.id);
		}
		await autoAssign(db.ctx(officer), callId);
		const a1 = (await myQueue(db.ctx(r1))).find((q) => q.applicationId === apps[0].id)!;
		const a2 = (await myQueue(db.ctx(r2))).find((q) => q.applicationId === apps[0].id)!;
		// Before declaring: no description, and scoring is refused.
		let form = await getReviewForm(db.ctx(r1), a1.id);
		expect(form.application.description).toBe('');
		const crit = form.criteria;
		expect(await codeOf(saveReview(db.ctx(r1), a1.id, fullReview(crit, 4), false))).toBe('invalid_state');
		await declareConflict(db.ctx(r1), a1.id, false, '');
		await declareConflict(db.ctx(r2), a2.id, false, '');
		form = await getReviewForm(db.ctx(r1), a1.id);
		// Hidden identity is absent from what the page loads, not just from what it shows.
		const loaded = JSON.stringify(form);
		expect(form.application.applicantName).toBeNull();
		expect(loaded).not.toContain(apps[0].applicant.name);
		expect(loaded).not.toContain(apps[0].applicant.email);
		expect(loaded).not.toContain('Förening 0');
		expect(form.application.description).not.toBe('');
		// r2 submits first; r1 still cannot see it.
		await saveReview(db.ctx({ ...r2, locale: 'nl' }), a2.id, fullReview(crit, 5), true);
		await saveReview(db.ctx(r1), a1.id, { ...fullReview(crit, 3), recommendation: null }, false);
		expect((await getReviewForm(db.ctx(r1), a1.id)).others).toBeNull();
		// Submitting needs a recommendation and every justification.
		const incomplete = { ...fullReview(crit, 3), recommendation: null };
		expect(await codeOf(saveReview(db.ctx(r1), a1.id, incomplete, true))).toBe('invalid');
		await saveReview(db.ctx(r1), a1.id, fullReview(crit, 3), true);
		const after = await getReviewForm(db.ctx(r1), a1.id);
		expect(after.others).toHaveLength(1);
		expect(after.others![0].score).toBe(100);
		// Each review records the language its reviewer writes in; the page marks the justifications.
		expect([after.review?.language, after.others![0].language]).toEqual(['en', 'nl']);
		// Submitted reviews are locked.
		expect(await codeOf(saveReview(db.ctx(r1), a1.id, fullReview(crit, 1), true))).toBe('invalid_state');
	});

	it('is "not found" to a reviewer who is not assigned, to applicants and to officers by assignment id', async () => {
		const { callId, apps } = await callInReview(1, { reviewersPerApplication: 1 });
		const [r1, r2] = await reviewers(2);
		await appointReviewer(db.ctx(officer), callId, r1.id);
		await autoAssign(db.ctx(officer), callId);
		const a1 = (await myQueue(db.ctx(r1))).find((q) => q.applicationId === apps[0].id)!;
		expect(await codeOf(getReviewForm(db.ctx(r2), a1.id))).toBe('not_found');
		expect(await codeOf(getReviewForm(db.ctx(apps[0].applicant), a1.id))).toBe('forbidden');
		// A reviewer cannot read the application through the applicant or staff pages, nor decide it.
		expect(await codeOf(getApplication(db.ctx(r1), apps[0].id))).toBe('not_found');
		expect(await codeOf(decide(db.ctx(r1), { applicationId: apps[0].id, outcome: 'approve', amount: 100, conditions: '' }))).toBe('forbidden');
	});
});

describe('scores', () => {
	const crit = [
		{ id: 'a', weight: 3, scaleMax: 5 },
		{ id: 'b', weight: 1, scaleMax: 10 }
	];
	it('weights criteria on their own scales, worked out by hand', () => {
		// a: (4-1)/4 = 0.75 × 3 = 2.25; b: (10-1)/9 = 1 × 1 = 1; (2.25 + 1) / 4 = 0.8125 → 81.25
		expect(weightedScore(crit, [{ criterionId: 'a', score: 4 }, { criterionId: 'b', score: 10 }])).toBeCloseTo(81.25, 10);
		expect(weightedScore(crit, [{ criterionId: 'a', score: 1 }, { criterionId: 'b', score: 1 }])).toBe(0);
		expect(weightedScore(crit, [{ criterionId: 'a', score: 5 }, { criterionId: 'b', score: null }])).toBeNull();
	});

	it('normalises per reviewer, and a reviewer who scores everything the same adds nothing', () => {
		// Harsh reviewer H: 20, 40 (mean 30, sd 10) → z −1, +1. Generous G: 80, 100 → z −1, +1.
		// Flat F: 60, 60 → z 0, 0. All scores: 20,40,80,100,60,60: mean 60, sd √(1600·2+400·2+0)/6 = √(4000/6).
		const all = [
			{ applicationId: 1, reviewerId: 'H', score: 20 },
			{ applicationId: 2, reviewerId: 'H', score: 40 },
			{ applicationId: 1, reviewerId: 'G', score: 80 },
			{ applicationId: 2, reviewerId: 'G', score: 100 },
			{ applicationId: 1, reviewerId: 'F', score: 60 },
			{ applicationId: 2, reviewerId: 'F', score: 60 }
		];
		const S = Math.sqrt(4000 / 6);
		const n = normalisedScores(all);
		// App 1: z = (−1 −1 + 0)/3 = −2/3; app 2: +2/3.
		expect(n.get(1)).toBeCloseTo(60 - (2 / 3) * S, 10);
		expect(n.get(2)).toBeCloseTo(60 + (2 / 3) * S, 10);
	});

	it('splits an award into tranches that add up exactly', () => {
		expect(splitByPercent(1_000_001, [80, 20])).toEqual([800_000, 200_001]);
		expect(splitByPercent(999, [33, 33, 34])).toEqual([329, 329, 341]);
	});
});

describe('ranking, funding line and decisions', () => {
	it('ranks by weighted score with spread, and draws the funding line against the fund', async () => {
		const { callId, apps } = await callInReview(3, { reviewersPerApplication: 2 });
		const pool = await reviewers(2);
		for (const r of pool) await appointReviewer(db.ctx(officer), callId, r.id);
		await autoAssign(db.ctx(officer), callId);
		const [c] = await db.database.db.select().from(criteria).where(eq(criteria.callId, callId));
		const allCrit = await db.database.db.select().from(criteria).where(eq(criteria.callId, callId));
		// Scores by app: app0 → 5 and 5 (100, 100); app1 → 5 and 1 (100, 0: disagreement); app2 → 3 and 3 (50, 50).
		const plan: Record<number, number[]> = { [apps[0].id]: [5, 5], [apps[1].id]: [5, 1], [apps[2].id]: [3, 3] };
		for (const r of pool) {
			for (const q of await myQueue(db.ctx(r))) {
				if (!plan[q.applicationId]) continue;
				await declareConflict(db.ctx(r), q.id, false, '');
				await saveReview(db.ctx(r), q.id, fullReview(allCrit, plan[q.applicationId][pool.indexOf(r)]), true);
			}
		}
		void c;
		const ranking = await rankCall(db.ctx(officer), callId);
		expect(ranking.rows.map((r) => [r.id, r.score, r.reviewsDone, r.disagreement])).toEqual([
			[apps[0].id, 100, 2, false],
			[apps[1].id, 50, 2, true],
			[apps[2].id, 50, 2, false]
		]);
		expect(ranking.rows.map((r) => r.runningTotal)).toEqual([1_200_000, 2_400_000, 3_600_000]);
		expect(ranking.rows.every((r) => r.withinBudget)).toBe(true);

		const preview = await equityPreview(db.ctx(officer), ranking.rows.slice(0, 2).map((r) => r.id));
		expect(preview?.count).toBe(2);
		expect(preview?.byPriority).toEqual([{ label: 'priority', count: 2, amount: 2_400_000, perInhabitant: null }]);
		expect(preview?.byNeighbourhood[0]).toMatchObject({ label: 'Norrbacka', count: 2, amount: 2_400_000, perInhabitant: 2_400_000 / 5000 });

		await decide(db.ctx(officer), { applicationId: apps[0].id, outcome: 'approve', amount: 1_000_000, conditions: 'Show the municipality logo on posters.' });
		await decide(db.ctx(officer), { applicationId: apps[2].id, outcome: 'reject', reason: 'Other projects reach more people this time.' });
		expect(await codeOf(decide(db.ctx(officer), { applicationId: apps[1].id, outcome: 'approve', amount: 9_999_999, conditions: '' }))).toBe('invalid');
		expect(await codeOf(decide(db.ctx(officer), { applicationId: apps[0].id, outcome: 'approve', amount: 1000, conditions: '' }))).toBe('invalid_state');
		const view = await getApplication(db.ctx(apps[0].applicant), apps[0].id);
		expect(view.application.status).toBe('approved');
		expect(view.grant?.awardedAmount).toBe(1_000_000);
		expect(view.grant?.tranches.map((t) => [t.amount, t.trigger])).toEqual([[800_000, 'acceptance'], [200_000, 'final_report']]);
		const rejected = await getApplication(db.ctx(apps[2].applicant), apps[2].id);
		expect(rejected.application.decisionReason).toBe('Other projects reach more people this time.');

		// A decision is never edited: it is reversed (audited), the grant cancelled, and taken again.
		const { reverseDecision } = await import('../decisions/service.ts');
		expect(await codeOf(reverseDecision(db.ctx(officer), apps[0].id, ''))).toBe('invalid');
		await reverseDecision(db.ctx(officer), apps[0].id, 'Approved the wrong amount.');
		const reversed = await getApplication(db.ctx(officer), apps[0].id);
		expect(reversed.application.status).toBe('in_review');
		expect(reversed.grant).toBeNull();
		const all = await db.database.db.select().from(grants).where(eq(grants.applicationId, apps[0].id));
		expect(all.map((g) => g.status)).toEqual(['cancelled']);
		await decide(db.ctx(officer), { applicationId: apps[0].id, outcome: 'approve', amount: 1_200_000, conditions: '' });
		expect((await getApplication(db.ctx(officer), apps[0].id)).grant?.awardedAmount).toBe(1_200_000);
		expect((await rankCall(db.ctx(officer), callId)).money.committed).toBe(1_200_000);
	});

	it('never lets 50 approvals fired at once commit more than the fund covers', async () => {
		const fundId = await createFund(db.ctx(officer), { name: 'Small fund', currency: 'SEK', budget: 10_000_000, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
		const callId = await createCall(db.ctx(officer), fundId, callInput(new Date(), { minAmount: 100_000, maxAmount: 1_000_000 }));
		await publishCall(db.ctx(officer), callId);
		const ids: number[] = [];
		for (let i = 0; i < 50; i++) {
			const applicant = await createUser(db);
			const id = await startApplication(db.ctx(applicant), callId, null);
			await saveApplication(db.ctx(applicant), id, completeApplication(place, { budgetLines: [{ item: 'Allt', category: 'other', amount: 1_000_000 }] }));
			await submitApplication(db.ctx(applicant), id);
			await screenApplication(db.ctx(officer), id, 'mark_eligible', '');
			ids.push(id);
		}
		const results = await Promise.allSettled(ids.map((id) => decide(db.ctx(officer), { applicationId: id, outcome: 'approve', amount: 1_000_000, conditions: '' })));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
		const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(refused.every((r) => r.reason instanceof DomainError && r.reason.code === 'conflict')).toBe(true);
		const [{ n, total }] = await db.database.db.select({ n: sql<number>`count(*)`, total: sql<number>`sum(${grants.awardedAmount})` }).from(grants).where(eq(grants.fundId, fundId));
		expect(n).toBe(10);
		expect(total).toBeLessThanOrEqual(10_000_000);
		const [{ tranches }] = await db.database.db
			.select({ tranches: sql<number>`count(*)` })
			.from(paymentTranches)
			.innerJoin(grants, eq(grants.id, paymentTranches.grantId))
			.where(and(eq(grants.fundId, fundId)));
		expect(tranches).toBe(20);
		const still = await db.database.db.select({ n: sql<number>`count(*)` }).from(applications).where(and(eq(applications.callId, callId), eq(applications.status, 'in_review')));
		expect(still[0].n).toBe(40);
	});
});

describe('review reminders', () => {
	it('remind before and after the due date, once each, however often the job runs', async () => {
		const { sendReviewReminders } = await import('./reminders.ts');
		const { emailOutbox } = await import('../db/schema/index.ts');
		const { callId, apps } = await callInReview(1, { reviewersPerApplication: 1, reviewDays: 10 });
		const [r] = await reviewers(1);
		await appointReviewer(db.ctx(officer), callId, r.id);
		const t0 = new Date();
		await autoAssign(db.ctx(officer, t0), callId);
		const mails = async () => (await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, r.email))).map((m) => m.template);
		expect(await mails()).toEqual(['review-assigned']);
		const day = 86_400_000;
		await sendReviewReminders(db.database, db.config, new Date(t0.getTime() + 5 * day));
		expect(await mails()).toEqual(['review-assigned']);
		// Two runs at once, the second as a second server: one reminder.
		const second = await db.secondServer();
		try {
			await Promise.all([
				sendReviewReminders(db.database, db.config, new Date(t0.getTime() + 9 * day)),
				sendReviewReminders(second, db.config, new Date(t0.getTime() + 9 * day))
			]);
		} finally {
			second.close();
		}
		expect(await mails()).toEqual(['review-assigned', 'review-due-soon']);
		await sendReviewReminders(db.database, db.config, new Date(t0.getTime() + 12 * day));
		await sendReviewReminders(db.database, db.config, new Date(t0.getTime() + 13 * day));
		expect(await mails()).toEqual(['review-assigned', 'review-due-soon', 'review-overdue']);
		expect(apps).toHaveLength(1);
	});
});

describe('a review whose application was decided meanwhile', () => {
	it('leaves the open queue, shows read-only, and cannot be saved', async () => {
		const { callId, apps } = await callInReview(2);
		const [r] = await reviewers(1);
		await appointReviewer(db.ctx(officer), callId, r.id);
		const a1 = await assignReviewer(db.ctx(officer), apps[0].id, r.id);
		const a2 = await assignReviewer(db.ctx(officer), apps[1].id, r.id);
		await decide(db.ctx(officer), { applicationId: apps[0].id, outcome: 'reject', reason: 'Outside the call’s aim.' });
		const queue = await myQueue(db.ctx(r));
		expect(queue.filter((q) => q.open).map((q) => q.id)).toEqual([a2]);
		expect(queue.filter((q) => !q.open).map((q) => q.id)).toEqual([a1]);
		expect((await getReviewForm(db.ctx(r), a1)).open).toBe(false);
		expect((await getReviewForm(db.ctx(r), a2)).open).toBe(true);
		await declareConflict(db.ctx(r), a1, false, '');
		const crit = await db.database.db.select().from(criteria).where(eq(criteria.callId, callId));
		expect(await codeOf(saveReview(db.ctx(r), a1, fullReview(crit, 3), true))).toBe('invalid_state');
	});
});
