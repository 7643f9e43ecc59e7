import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { openDataContext, package360Json } from '../transparency/opendata.ts';
import { openDataFile } from '../transparency/open-data-files.ts';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { callInput, completeApplication, neighbourhood, TEST_IBAN, uniqueOrgNumber } from '../testing/fixtures.ts';
import {
	applications,
	criteria,
	emailOutbox,
	grants,
	ledgerEntries,
	milestones,
	organisationMembers,
	paymentBatches,
	paymentBatchItems,
	paymentTranches,
	reports,
	reviewAssignments,
	reviewerTies,
	writeOffs
} from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { DomainError } from '../errors.ts';
import { createCall, createFund, publishCall, updateFund } from '../calls/service.ts';
import { saveApplication, screenApplication, startApplication, submitApplication } from '../applications/service.ts';
import { decide, reverseDecision } from '../decisions/service.ts';
import { acceptOffer, cancelGrant, closeGrant, declineOffer, waiveTranche } from '../grants/service.ts';
import { getReport, reviewReport, saveReport } from '../grants/reports.ts';
import { approvePayment, dueTranches, readQueue, recordBankTransfer, recordFailedPayment, recordRepayment } from '../payments/service.ts';
import { cancelBatch, createBatch, markBatchSent, settleBatchItem } from '../payments/batches.ts';
import { financeOverview, freshFinanceOverview } from '../payments/overview.ts';
import { confirmWriteOff, proposeWriteOff } from './write-offs.ts';
import { appointReviewer, autoAssign } from '../reviews/assignment.ts';
import { declareConflict, declareTie, myQueue, saveReview } from '../reviews/service.ts';
import { acceptInvitation, createOrganisation, inviteMember } from '../organisations/service.ts';
import { owedBackOf } from './figures.ts';
import { describeViolation, reconcile } from './reconcile.ts';
import { callFiguresDrift } from '../transparency/call-figures.ts';
import { scoresDrift } from '../reviews/read-models.ts';
import { dashboardDrift } from '../transparency/dashboard.ts';
import { applicationCountsDrift } from '../applications/counts.ts';
import { grantListsDrift } from '../grants/service.ts';
import { listPublicProjects, registerPage } from '../transparency/register.ts';
import { todoCount, todoFor } from '../todo/service.ts';

/**
 * Model-based testing of money and fairness: random sequences of operations by several actors
 * on the real services and a real libSQL database, with every invariant checked after every
 * step. Each operation picks its target from the current state (a number modulo the candidates),
 * so any sequence is meaningful, and a refusal (a DomainError) is a legal outcome: what may never
 * happen is a broken invariant or any other error.
 */

const BUDGET = 3_000_000;
const HOUR = 3_600_000;

export interface World {
	db: TestDb;
	now: Date;
	fundId: string;
	callId: string;
	orgX: string;
	place: string;
	/** officer1, officer2 (a member of X), both (officer and finance), finance1, finance2, finance3 (a member of X), reviewer1, reviewer2, owner (of X), resident1, resident2 */
	p: Record<'officer1' | 'officer2' | 'both' | 'finance1' | 'finance2' | 'finance3' | 'reviewer1' | 'reviewer2' | 'owner' | 'resident1' | 'resident2', Actor>;
	joined: boolean;
}

export async function setupWorld(): Promise<World> {
	const db = await createTestDb({ DEBTOR_IBAN: 'SE3550000000054910000003', DEBTOR_BIC: 'ESSESESS', DEBTOR_NAME: 'Älvstads kommun', SECOND_APPROVAL_ABOVE: '500000' });
	const now = new Date('2027-03-01T09:00:00Z');
	const mk = (roles: Actor['roles'] = []) => createUser(db, { roles });
	const admin = await mk(['admin']);
	const p = {
		officer1: await mk(['officer']),
		officer2: await mk(['officer']),
		both: await mk(['officer', 'finance']),
		finance1: await mk(['finance']),
		finance2: await mk(['finance']),
		finance3: await mk(['finance']),
		reviewer1: await mk(['reviewer']),
		reviewer2: await mk(['reviewer']),
		owner: await mk(),
		resident1: await mk(),
		resident2: await mk()
	};
	const place = await neighbourhood(db, admin, 'Norrbacka', true);
	const ctx = db.ctx(p.officer1, now);
	const fundId = await createFund(ctx, { name: 'Modellfonden', currency: 'SEK', budget: BUDGET, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
	const callId = await createCall(
		ctx,
		fundId,
		callInput(now, {
			minAmount: 100_000,
			maxAmount: 2_000_000,
			reviewersPerApplication: 1,
			milestoneTemplate: [
				{ title: 'Delrapport', months: 1 },
				{ title: 'Slutrapport', months: 2 }
			],
			paymentTemplate: [
				{ percent: 40, trigger: 'acceptance' },
				{ percent: 40, trigger: 'milestone', milestone: 0 },
				{ percent: 20, trigger: 'final_report' }
			]
		})
	);
	await publishCall(ctx, callId);
	const orgX = await createOrganisation(db.ctx(p.owner, now), { kind: 'association', name: 'Förening X', orgNumber: uniqueOrgNumber(), address: '', neighbourhoodId: place, contactEmail: 'x@example.org', contactPhone: '' });
	await db.database.write((tx) =>
		tx.insert(organisationMembers).values([
			{ organisationId: orgX, userId: p.officer2.id, role: 'member', createdAt: now },
			{ organisationId: orgX, userId: p.finance3.id, role: 'member', createdAt: now }
		])
	);
	for (const r of [p.reviewer1, p.reviewer2]) await appointReviewer(ctx, callId, r.id);
	const w: World = { db, now, fundId, callId, orgX, place, p, joined: false };
	// Three applications already sent and found eligible, so that sequences start where decisions are.
	for (let i = 0; i < 3; i++) {
		await OPERATIONS.apply(w, i === 2 ? 3 : i, i);
		await OPERATIONS.screen(w, 0, 0);
	}
	return w;
}

const at = <T>(list: T[], pick: number): T | null => (list.length ? list[pick % list.length] : null);
const ctxOf = (w: World, a: Actor) => w.db.ctx(a, w.now);
const officers = (w: World) => [w.p.officer1, w.p.officer2, w.p.both];
const financeUsers = (w: World) => [w.p.finance1, w.p.finance2, w.p.finance3, w.p.both];

async function appsIn(w: World, statuses: string[]) {
	return w.db.database.db
		.select()
		.from(applications)
		.where(and(eq(applications.callId, w.callId), inArray(applications.status, statuses as never[])))
		.orderBy(applications.id);
}
async function grantsIn(w: World, statuses: string[]) {
	return w.db.database.db.select().from(grants).where(inArray(grants.status, statuses as never[])).orderBy(grants.createdAt, grants.id);
}
async function tranchesIn(w: World, statuses: string[]) {
	return w.db.database.db.select().from(paymentTranches).where(inArray(paymentTranches.status, statuses as never[])).orderBy(paymentTranches.id);
}
async function ownerActor(w: World, app: typeof applications.$inferSelect) {
	return Object.values(w.p).find((a) => a.id === (app.organisationId ? w.p.owner.id : app.applicantId))!;
}
async function appOfGrant(w: World, grantId: string) {
	const [row] = await w.db.database.db.select({ app: applications }).from(grants).innerJoin(applications, eq(applications.id, grants.applicationId)).where(eq(grants.id, grantId));
	return row.app;
}

/** Every operation of the model: (world, which target, a second free choice). */
export const OPERATIONS: Record<string, (w: World, pick: number, extra: number) => Promise<unknown>> = {
	async apply(w, pick, extra) {
		const who = [w.p.owner, w.p.resident1, w.p.resident2, w.p.finance3][pick % 4];
		const org = who === w.p.owner && extra % 2 === 0 ? w.orgX : null;
		const id = await startApplication(ctxOf(w, who), w.callId, org);
		await saveApplication(ctxOf(w, who), id, completeApplication(w.place, { budgetLines: [{ item: 'Allt', category: 'materials', amount: 200_000 + (extra % 9) * 200_000 }] }));
		await submitApplication(ctxOf(w, who), id);
	},
	async screen(w, pick, extra) {
		const app = at(await appsIn(w, ['submitted']), pick);
		if (app) await screenApplication(ctxOf(w, at(officers(w), extra)!), app.id, (['mark_eligible', 'mark_eligible', 'mark_ineligible', 'request_changes'] as const)[extra % 4], 'Please say more.');
	},
	async resubmit(w, pick) {
		const app = at(await appsIn(w, ['needs_changes']), pick);
		if (app) await submitApplication(ctxOf(w, Object.values(w.p).find((a) => a.id === app.applicantId)!), app.id);
	},
	async decide(w, pick, extra) {
		const app = at(await appsIn(w, ['in_review']), pick);
		if (!app) return;
		const who = at(officers(w), extra)!;
		if (extra % 5 === 0) return decide(ctxOf(w, who), { applicationId: app.id, outcome: 'reject', reason: 'Other projects reach more people.' });
		const amount = Math.max(100_000, app.requestedAmount - (extra % 3) * 100_000);
		return decide(ctxOf(w, who), { applicationId: app.id, outcome: 'approve', amount, conditions: '' });
	},
	async reverse(w, pick, extra) {
		const app = at(await appsIn(w, ['approved', 'rejected']), pick);
		if (app) await reverseDecision(ctxOf(w, at(officers(w), extra)!), app.id, 'Decided by mistake.');
	},
	async accept(w, pick) {
		const g = at(await grantsIn(w, ['offered']), pick);
		if (g) await acceptOffer(ctxOf(w, await ownerActor(w, await appOfGrant(w, g.id))), g.id, { termsAccepted: true, payout: TEST_IBAN });
	},
	async decline(w, pick) {
		const g = at(await grantsIn(w, ['offered']), pick);
		if (g) await declineOffer(ctxOf(w, await ownerActor(w, await appOfGrant(w, g.id))), g.id, 'No volunteers.');
	},
	async cancel(w, pick, extra) {
		const g = at(await grantsIn(w, ['offered', 'active']), pick);
		if (g) await cancelGrant(ctxOf(w, at(officers(w), extra)!), g.id, 'Stopped.');
	},
	async payBank(w, pick, extra) {
		const t = at(await tranchesIn(w, ['due']), pick);
		if (t) await recordBankTransfer(ctxOf(w, at(financeUsers(w), extra)!), t.id, { paidDate: '2027-03-15', reference: `BANK-${t.id.slice(0, 6)}-${t.attempts}` });
	},
	async approvePayment(w, pick, extra) {
		const t = at(await tranchesIn(w, ['due']), pick);
		if (t) await approvePayment(ctxOf(w, at(financeUsers(w), extra)!), t.id);
	},
	async makeFile(w, pick, extra) {
		const due = await tranchesIn(w, ['due']);
		if (!due.length) return;
		const chosen = [...new Set([at(due, pick)!.id, at(due, pick + extra)!.id])];
		await createBatch(ctxOf(w, at(financeUsers(w), extra)!), chosen);
	},
	async cancelFile(w, pick, extra) {
		const [b] = await w.db.database.db.select().from(paymentBatches).where(eq(paymentBatches.status, 'created')).orderBy(desc(paymentBatches.createdAt)).limit(1).offset(0);
		if (b && pick % 2 === 0) await cancelBatch(ctxOf(w, at(financeUsers(w), extra)!), b.id);
	},
	async markSent(w, pick, extra) {
		const list = await w.db.database.db.select().from(paymentBatches).where(eq(paymentBatches.status, 'created'));
		const b = at(list, pick);
		if (b) await markBatchSent(ctxOf(w, at(financeUsers(w), extra)!), b.id);
	},
	async settle(w, pick, extra) {
		const items = await w.db.database.db.select().from(paymentBatchItems).where(eq(paymentBatchItems.status, 'sent'));
		const i = at(items, pick);
		if (i) await settleBatchItem(ctxOf(w, at(financeUsers(w), extra)!), i.batchId, i.trancheId, extra % 3 === 0 ? 'failed' : 'paid', 'Returned by the bank');
	},
	async returnPayment(w, pick, extra) {
		const t = at(await tranchesIn(w, ['paid']), pick);
		if (t) await recordFailedPayment(ctxOf(w, at(financeUsers(w), extra)!), t.id, 'Returned: account closed');
	},
	async report(w, pick, extra) {
		const g = at(await grantsIn(w, ['active']), pick);
		if (!g) return;
		const app = await appOfGrant(w, g.id);
		const who = await ownerActor(w, app);
		const ms = await w.db.database.db.select({ m: milestones, status: reports.status }).from(milestones).leftJoin(reports, eq(reports.milestoneId, milestones.id)).where(eq(milestones.grantId, g.id)).orderBy(milestones.position);
		const next = ms.find((x) => x.status !== 'accepted' && x.status !== 'submitted');
		if (!next) return;
		const lines = (await getReport(ctxOf(w, who), g.id, next.m.id)).budgetLines;
		const unspent = next.m.isFinal ? Math.floor((g.awardedAmount * (extra % 6)) / 10) : null;
		const spent = next.m.isFinal ? g.awardedAmount - unspent! : Math.floor(g.awardedAmount / 2);
		await saveReport(ctxOf(w, who), g.id, next.m.id, { narrative: 'Vi träffades varje vecka.', participants: 10, participantsByNeighbourhood: {}, spending: { [lines[0].id]: spent }, unspentAmount: unspent }, true);
	},
	async reviewReport(w, pick, extra) {
		const [r] = await w.db.database.db.select().from(reports).where(eq(reports.status, 'submitted')).orderBy(reports.id).limit(1).offset(pick % Math.max(1, (await w.db.database.db.select({ n: sql<number>`count(*)` }).from(reports).where(eq(reports.status, 'submitted')))[0].n));
		if (r) await reviewReport(ctxOf(w, at(officers(w), extra)!), r.grantId, r.milestoneId, extra % 4 === 0 ? 'request_changes' : 'accept', 'Please add the receipts.');
	},
	async waive(w, pick, extra) {
		const t = at(await tranchesIn(w, ['due', 'scheduled']), pick);
		if (t) await waiveTranche(ctxOf(w, at(officers(w), extra)!), t.grantId, t.id, 'The project ended early.');
	},
	async close(w, pick, extra) {
		const g = at(await grantsIn(w, ['completed']), pick);
		if (g) await closeGrant(ctxOf(w, at(officers(w), extra)!), g.id);
	},
	async repay(w, pick, extra) {
		const list = await grantsIn(w, ['completed', 'closed', 'cancelled']);
		const owing = [];
		for (const g of list) if ((await owedBackOf(w.db.database.db, g.id)) > 0) owing.push(g);
		const g = at(owing, pick);
		if (!g) return;
		const owed = await owedBackOf(w.db.database.db, g.id);
		await recordRepayment(ctxOf(w, at(financeUsers(w), extra)!), g.id, { amount: extra % 2 ? owed : Math.max(1, Math.floor(owed / 2)), paidDate: '2027-04-01', reference: `BG-${w.now.getTime()}` });
	},
	async proposeWriteOff(w, pick, extra) {
		const list = await grantsIn(w, ['completed', 'closed', 'cancelled']);
		const g = at(list, pick);
		if (!g) return;
		const who = [w.p.finance1, w.p.officer1, w.p.both, w.p.finance3][extra % 4];
		await proposeWriteOff(ctxOf(w, who), g.id, { amount: Math.max(1, await owedBackOf(w.db.database.db, g.id)), reason: 'The association was dissolved.', as: extra % 2 ? 'officer' : 'finance' });
	},
	async confirmWriteOff(w, pick, extra) {
		const list = await w.db.database.db.select().from(writeOffs).where(eq(writeOffs.status, 'proposed'));
		const x = at(list, pick);
		if (x) await confirmWriteOff(ctxOf(w, [w.p.finance1, w.p.officer1, w.p.both, w.p.finance2, w.p.officer2][extra % 5]), x.id);
	},
	async topUp(w, _pick, extra) {
		const [f] = await w.db.database.db.select().from((await import('../db/schema/index.ts')).funds);
		await updateFund(ctxOf(w, w.p.officer1), f.id, { name: f.name, currency: f.currency, budget: f.budget + (extra % 2 ? 500_000 : -500_000), periodStart: f.periodStart, periodEnd: f.periodEnd, status: f.status });
	},
	async toggleFund(w) {
		const [f] = await w.db.database.db.select().from((await import('../db/schema/index.ts')).funds);
		await updateFund(ctxOf(w, w.p.officer1), f.id, { name: f.name, currency: f.currency, budget: f.budget, periodStart: f.periodStart, periodEnd: f.periodEnd, status: f.status === 'active' ? 'closed' : 'active' });
	},
	async declareTie(w, pick) {
		await declareTie(ctxOf(w, pick % 2 ? w.p.reviewer1 : w.p.reviewer2), w.orgX, 'board');
	},
	async joinOrganisation(w) {
		if (w.joined) return;
		w.joined = true;
		await inviteMember(ctxOf(w, w.p.owner), w.orgX, w.p.reviewer2.email);
		const [mail] = await w.db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, w.p.reviewer2.email)).orderBy(desc(emailOutbox.id));
		await acceptInvitation(ctxOf(w, w.p.reviewer2), mail.textBody.match(/token=([a-z2-7]+)/)![1]);
	},
	async assign(w, _pick, extra) {
		await autoAssign(ctxOf(w, at(officers(w), extra)!), w.callId);
	},
	/** The natural next step of a random application or grant, by a random actor who could take it. */
	async advance(w, pick, extra) {
		const apps = await appsIn(w, ['submitted', 'needs_changes', 'in_review']);
		const open = await grantsIn(w, ['offered', 'active', 'completed']);
		const items = [...apps.map((a) => ({ app: a, grant: null })), ...open.map((g) => ({ app: null, grant: g }))];
		const it = at(items, pick);
		if (!it) return OPERATIONS.apply(w, pick, extra);
		if (it.app) {
			if (it.app.status === 'submitted') return OPERATIONS.screen(w, apps.filter((a) => a.status === 'submitted').indexOf(it.app), 0);
			if (it.app.status === 'needs_changes') return OPERATIONS.resubmit(w, apps.filter((a) => a.status === 'needs_changes').indexOf(it.app), 0);
			return OPERATIONS.decide(w, apps.filter((a) => a.status === 'in_review').indexOf(it.app), extra % 5 === 0 ? 1 : extra);
		}
		const g = it.grant!;
		if (g.status === 'offered') return acceptOffer(ctxOf(w, await ownerActor(w, await appOfGrant(w, g.id))), g.id, { termsAccepted: true, payout: TEST_IBAN });
		const tr = await w.db.database.db.select().from(paymentTranches).where(eq(paymentTranches.grantId, g.id));
		const due = tr.find((t) => t.status === 'due');
		if (due) {
			if (due.amount > 500_000 && !due.approvedForPaymentBy) return approvePayment(ctxOf(w, at(financeUsers(w), extra)!), due.id);
			return recordBankTransfer(ctxOf(w, at(financeUsers(w), extra + 1)!), due.id, { paidDate: '2027-03-15', reference: `ADV-${due.id.slice(0, 6)}-${due.attempts}` });
		}
		if (g.status === 'completed') return closeGrant(ctxOf(w, at(officers(w), extra)!), g.id);
		const [sent] = await w.db.database.db.select().from(reports).where(and(eq(reports.grantId, g.id), eq(reports.status, 'submitted')));
		if (sent) return reviewReport(ctxOf(w, at(officers(w), extra)!), g.id, sent.milestoneId, 'accept', '');
		const open2 = (await grantsIn(w, ['active'])).findIndex((x) => x.id === g.id);
		return OPERATIONS.report(w, open2, extra);
	},
	async review(w, pick, extra) {
		const reviewer = pick % 2 ? w.p.reviewer1 : w.p.reviewer2;
		const q = at(await myQueue(ctxOf(w, reviewer)), extra);
		if (!q) return;
		if (!q.conflict) await declareConflict(ctxOf(w, reviewer), q.id, false, '');
		const crit = await w.db.database.db.select().from(criteria).innerJoin(applications, eq(applications.callId, criteria.callId)).where(eq(applications.id, q.applicationId));
		const scores = Object.fromEntries(crit.map((c) => [c.criteria.id, { score: 1 + (extra % c.criteria.scaleMax), justification: 'Tydlig plan.' }]));
		await saveReview(ctxOf(w, reviewer), q.id, { scores, recommendation: 'fund', suggestedAmount: null, commentsForStaff: '' }, true);
	}
};

/** Operations weighted so that random sequences reach deep states (paid, reported, closed, owed back). */
const WEIGHTS: Record<keyof typeof OPERATIONS, number> = {
	apply: 6, screen: 5, resubmit: 1, decide: 6, reverse: 1, accept: 5, decline: 1, cancel: 2, payBank: 5, approvePayment: 2,
	makeFile: 2, cancelFile: 1, markSent: 2, settle: 2, returnPayment: 2, report: 5, reviewReport: 5, waive: 2, close: 3,
	repay: 2, proposeWriteOff: 2, confirmWriteOff: 2, topUp: 1, toggleFund: 1, declareTie: 1, joinOrganisation: 1, assign: 2, review: 2, advance: 30
};

async function keptDrift(w: World) {
	const out: string[] = [];
	const ctx = ctxOf(w, w.p.officer1);
	const [kept, fresh] = [(await registerPage(ctx, {})).projects, await listPublicProjects(ctx.database.db, {})];
	if (JSON.stringify(kept) !== JSON.stringify(fresh)) out.push('the kept register differs from a fresh read');
	// One person of staff who both decides and pays (every kind of their work), asked after every step.
	const c = ctxOf(w, w.p.both);
	const count = (await todoFor(c, { shown: 0 })).reduce((n, g) => n + g.total, 0);
	if ((await todoCount(c)) !== count) out.push(`the kept to-do count differs from a fresh count (${count})`);
	// The same person's payment queue (what they may pay or approve is theirs).
	if (JSON.stringify(await dueTranches(c, {})) !== JSON.stringify(await readQueue(c, {}))) out.push('the kept payment queue differs from a fresh read');
	if (JSON.stringify(await financeOverview(c)) !== JSON.stringify(await freshFinanceOverview(c))) out.push("the kept fund figures, payments or files differ from a fresh read");
	// The open data file kept until the next change to what it publishes.
	const o = openDataContext(w.db.config, new Date(0));
	let text = '';
	for await (const piece of package360Json(ctx.database.db, o)) text += piece;
	if (readFileSync(await openDataFile(ctx.database.db, 'json', o), 'utf8') !== text) out.push('the kept open data differs from a fresh read');
	return out;
}

/** Every invariant, on the whole database (it belongs to this sequence alone). Throws with the broken ones named. */
export async function assertInvariants(w: World) {
	const db = w.db.database.db;
	const broken = (await reconcile(db)).map(describeViolation);
	// The public outcome kept per call (a read model kept by triggers) equals a recomputation.
	for (const d of await callFiguresDrift(db)) broken.push(`call figures of ${d.callId}: kept ${d.kept}, actual ${d.actual}`);
	// The scores kept per application and per reviewer (the ranking's read models) equal a recomputation.
	broken.push(...(await scoresDrift(db)));
	// The staff list's counts by call, kind, neighbourhood and state equal a count of the applications.
	broken.push(...(await applicationCountsDrift(db)));
	// Each grant's copied call and each milestone's accepted flag (the staff lists' and overdue indexes).
	broken.push(...(await grantListsDrift(db)));
	// The kept statistics (read_revisions) equal statistics worked out afresh.
	broken.push(...(await dashboardDrift(ctxOf(w, w.p.officer1))));
	// Answers kept until the next change (keptUntilChange), asked after every step, equal answers read afresh.
	broken.push(...(await keptDrift(w)));
	// Nobody paid, second-approved or decided where they are the grantee, a member of it, tied to it, or (paying) the approver.
	const payers = await db
		.select({ id: ledgerEntries.id, trancheId: paymentTranches.id, actor: ledgerEntries.actorId, approver: grants.approvedBy, applicant: applications.applicantId, org: applications.organisationId, second: paymentTranches.approvedForPaymentBy, amount: paymentTranches.amount, status: paymentTranches.status })
		.from(ledgerEntries)
		.innerJoin(grants, eq(grants.id, ledgerEntries.grantId))
		.innerJoin(applications, eq(applications.id, grants.applicationId))
		.innerJoin(paymentTranches, eq(paymentTranches.id, ledgerEntries.trancheId))
		.where(eq(ledgerEntries.kind, 'disbursement'));
	const members = await db.select().from(organisationMembers);
	const ties = await db.select().from(reviewerTies);
	const relatedTo = (actor: string | null, applicant: string, org: string | null) =>
		!!actor && (actor === applicant || (!!org && (members.some((m) => m.organisationId === org && m.userId === actor) || ties.some((t) => t.organisationId === org && t.userId === actor))));
	for (const p of payers) {
		if (relatedTo(p.actor, p.applicant, p.org)) broken.push(`paid by someone tied to the grantee (${p.actor})`);
		if (p.actor && p.actor === p.approver) broken.push('paid by who approved the grant');
		// The second approval belongs to the live payment of a paid tranche (its latest attempt): a
		// failed payment needs a fresh approval, possibly by whoever paid the failed attempt.
		const live = p.status === 'paid' && !payers.some((q) => q.trancheId === p.trancheId && q.id > p.id);
		if (live && p.actor && p.actor === p.second) broken.push('paid by who gave the second approval');
		if (live && p.amount > 500_000 && !p.second) broken.push('paid above the threshold without a second approval');
	}
	const decided = await db.select().from(applications).where(eq(applications.callId, w.callId));
	for (const a of decided) if (a.decidedBy && relatedTo(a.decidedBy, a.applicantId, a.organisationId)) broken.push(`application ${a.id} decided by someone tied to it`);
	const approvals = await db.select({ t: paymentTranches, app: applications }).from(paymentTranches).innerJoin(grants, eq(grants.id, paymentTranches.grantId)).innerJoin(applications, eq(applications.id, grants.applicationId));
	for (const r of approvals) if (relatedTo(r.t.approvedForPaymentBy, r.app.applicantId, r.app.organisationId)) broken.push('payment approved by someone tied to the grantee');
	// A reviewer with a conflict holds no live assignment.
	const live = await db.select({ a: reviewAssignments, app: applications }).from(reviewAssignments).innerJoin(applications, eq(applications.id, reviewAssignments.applicationId)).where(isNull(reviewAssignments.releasedAt));
	for (const r of live) if (relatedTo(r.a.reviewerId, r.app.applicantId, r.app.organisationId)) broken.push(`reviewer ${r.a.reviewerId} keeps an assignment despite a conflict`);
	if (broken.length) throw new Error(`invariants broken:\n  ${broken.join('\n  ')}`);
}

class Step implements fc.AsyncCommand<object, World> {
	readonly op: string;
	readonly pick: number;
	readonly extra: number;
	constructor(op: string, pick: number, extra: number) {
		this.op = op;
		this.pick = pick;
		this.extra = extra;
	}
	check() {
		return true;
	}
	async run(_m: object, w: World) {
		w.now = new Date(w.now.getTime() + HOUR);
		if (process.env.MODEL_TRACE) console.error(`step ${this.toString()}`);
		try {
			await OPERATIONS[this.op](w, this.pick, this.extra);
		} catch (err) {
			// A refusal with a reason is a legal outcome; anything else is a defect.
			if (!(err instanceof DomainError)) {
				if (process.env.MODEL_TRACE) console.error(`FAILED ${this.toString()}: ${err instanceof Error ? err.stack : err}`);
				throw err;
			}
		}
		await assertInvariants(w).catch((err) => {
			if (process.env.MODEL_TRACE) console.error(`FAILED after ${this.toString()}: ${err.message}`);
			throw err;
		});
	}
	toString() {
		return `${this.op}(${this.pick},${this.extra})`;
	}
}

export const stepArb = fc.oneof(
	...Object.entries(WEIGHTS).map(([op, weight]) => ({ arbitrary: fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 50 })).map(([p, e]) => new Step(op, p, e)), weight }))
);

/** Sequences of 30 to 45 operations. */
export const sequenceArb = fc.array(stepArb, { minLength: 30, maxLength: 45 });

/** Runs one sequence on a fresh database; returns how far the books got, for the coverage report. */
export async function runSequence(steps: Step[] | fc.AsyncCommand<object, World>[]) {
	const w = await setupWorld();
	try {
		await fc.asyncModelRun(() => ({ model: {}, real: w }), steps);
		const statuses = await w.db.database.db.select({ s: grants.status }).from(grants);
		return new Set(statuses.map((s) => s.s));
	} finally {
		w.db.cleanup();
		// Native memory of closed libSQL connections is released when their wrappers are collected.
		(globalThis as { gc?: () => void }).gc?.();
	}
}

export const MODEL_RUNS = () => Number(process.env.MODEL_RUNS ?? 300);
