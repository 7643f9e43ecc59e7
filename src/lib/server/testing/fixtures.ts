import type { Actor } from '../context.ts';
import type { TestDb } from './db.ts';
import { createCall, createFund, publishCall, type CallInput } from '../calls/service.ts';
import { createNeighbourhood } from '../neighbourhoods/service.ts';
import { saveApplication, screenApplication, startApplication, submitApplication, type ApplicationInput } from '../applications/service.ts';
import { and, eq } from 'drizzle-orm';
import { milestones, paymentTranches } from '../db/schema/index.ts';
import { decide } from '../decisions/service.ts';
import { acceptOffer } from '../grants/service.ts';
import type { PayoutInput } from '../grants/payout.ts';
import { DomainError } from '../errors.ts';
import { createUser } from './db.ts';

const DAY = 24 * 60 * 60 * 1000;

export function callInput(now: Date, overrides: Partial<CallInput> = {}): CallInput {
	return {
		title: 'Mötesplatser i Norrbacka 2027',
		description: 'Small grants for **meeting places**.',
		opensAt: new Date(now.getTime() - DAY),
		closesAt: new Date(now.getTime() + 30 * DAY),
		minAmount: 500_000,
		maxAmount: 5_000_000,
		eligibleKinds: ['association', 'school', 'informal_group', 'individual'],
		reviewersPerApplication: 2,
		decisionDays: 21,
		paymentTemplate: [
			{ percent: 80, trigger: 'acceptance' },
			{ percent: 20, trigger: 'final_report' }
		],
		criteria: [
			{ name: 'Brings people together', guidance: 'Across backgrounds and ages', weight: 3, scaleMax: 5 },
			{ name: 'Feasible', guidance: 'Realistic plan and budget', weight: 1, scaleMax: 5 }
		],
		...overrides
	};
}

/** A fund of 1 000 000 kr with one published call open now (unless overridden). */
export async function openCall(db: TestDb, officer: Actor, overrides: Partial<CallInput> = {}, now = new Date()) {
	const ctx = db.ctx(officer, now);
	const fundId = await createFund(ctx, { name: 'Integrationsfonden 2027', currency: 'SEK', budget: 100_000_000, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
	const callId = await createCall(ctx, fundId, callInput(now, overrides));
	await publishCall(ctx, callId);
	return { fundId, callId };
}

export async function neighbourhood(db: TestDb, admin: Actor, name: string, priority = false) {
	return createNeighbourhood(db.ctx(admin), { name, population: 5000, priority, boundary: '' });
}

export function completeApplication(neighbourhoodId: string, overrides: Partial<ApplicationInput> = {}): ApplicationInput {
	return {
		title: 'Läxhjälp och fika',
		summary: 'Homework help with volunteers twice a week.',
		description: 'We open the library on Tuesdays and Thursdays for homework help and fika.',
		neighbourhoodIds: [neighbourhoodId],
		targetGroups: ['children', 'families'],
		expectedParticipants: 40,
		volunteers: 6,
		partners: 'Norrbacka library',
		startDate: '2027-02-01',
		endDate: '2027-06-15',
		coFunding: 0,
		requestedAmount: null,
		budgetLines: [
			{ item: 'Fika', category: 'food', amount: 600_000 },
			{ item: 'Books', category: 'materials', amount: 400_000 },
			{ item: 'Posters', category: 'communication', amount: 200_000 }
		],
		...overrides
	};
}

export const TEST_IBAN: PayoutInput = { kind: 'iban', account: 'SE4550000000058398257466', bic: '', holderName: 'Norrbacka IF' };

/**
 * An accepted grant (1 000 000 öre unless `amount`): a fresh call, an application by a new
 * grantee in `place`, approved by `approver` (the officer unless given), the offer accepted with
 * `payout` (an IBAN unless given). Returns the tranche due now (80 %).
 */
export async function acceptedGrant(db: TestDb, opts: { officer: Actor; place: string; approver?: Actor; amount?: number; payout?: PayoutInput }) {
	const { callId, fundId } = await openCall(db, opts.officer);
	const grantee = await createUser(db);
	const id = await startApplication(db.ctx(grantee), callId, null);
	await saveApplication(db.ctx(grantee), id, completeApplication(opts.place));
	await submitApplication(db.ctx(grantee), id);
	await screenApplication(db.ctx(opts.officer), id, 'mark_eligible', '');
	const { grantId } = await decide(db.ctx(opts.approver ?? opts.officer), { applicationId: id, outcome: 'approve', amount: opts.amount ?? 1_000_000, conditions: '' });
	await acceptOffer(db.ctx(grantee), grantId!, { termsAccepted: true, payout: opts.payout ?? TEST_IBAN });
	const [due] = await db.database.db.select().from(paymentTranches).where(and(eq(paymentTranches.grantId, grantId!), eq(paymentTranches.status, 'due')));
	return { grantId: grantId!, fundId, grantee, due };
}

/** "ok", or the refusal as "code:messageKey"; anything but a DomainError fails the test. */
export const refusalOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => (e instanceof DomainError ? `${e.code}:${e.messageKey}` : Promise.reject(e))
	);

let orgSerial = 0;
/** A valid Swedish organisation number (Luhn check digit) not given out before in this process. */
export function uniqueOrgNumber(): string {
	orgSerial++;
	const nine = `8024${String((process.pid * 1000 + orgSerial) % 100_000).padStart(5, '0')}`;
	let sum = 0;
	for (let i = 0; i < 9; i++) {
		let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
		if (d > 9) d -= 9;
		sum += d;
	}
	const check = (10 - (sum % 10)) % 10;
	return `${nine.slice(0, 6)}-${nine.slice(6)}${check}`;
}

/** The money invariants a grant (and its fund) violates, so that tests sharing a database stay independent. */
export async function violationsOf(db: TestDb, ...ids: string[]) {
	const { reconcile } = await import('../ledger/reconcile.ts');
	return (await reconcile(db.database.db)).filter((v) => ids.includes(v.grantId ?? '') || ids.includes(v.fundId ?? ''));
}

/**
 * A completed grant that owes money back, through the real operations: an accepted grant of
 * 1 000 000 (80 / 20), its first tranche paid by `finance`, a final report declaring `unspent`
 * (more than the 200 000 still unpaid) accepted by the officer. Owes `unspent − 200 000`.
 */
export async function owingGrant(db: TestDb, opts: { officer: Actor; finance: Actor; place: string; unspent: number; payout?: PayoutInput }) {
	const g = await acceptedGrant(db, { officer: opts.officer, place: opts.place, payout: opts.payout });
	const { recordBankTransfer } = await import('../payments/service.ts');
	const { getReport, saveReport, reviewReport } = await import('../grants/reports.ts');
	await recordBankTransfer(db.ctx(opts.finance), g.due.id, { paidDate: '2026-11-20', reference: `PAY-${g.due.id.slice(0, 8)}` });
	const [m] = await db.database.db.select().from(milestones).where(eq(milestones.grantId, g.grantId));
	const lines = (await getReport(db.ctx(g.grantee), g.grantId, m.id)).budgetLines;
	await saveReport(db.ctx(g.grantee), g.grantId, m.id, { narrative: 'Done.', participants: 20, participantsByNeighbourhood: {}, spending: { [lines[0].id]: 1_000_000 - opts.unspent }, unspentAmount: opts.unspent }, true);
	await reviewReport(db.ctx(opts.officer), g.grantId, m.id, 'accept', '');
	return g;
}
