import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { acceptedGrant as fixture, neighbourhood, refusalOf, owingGrant, violationsOf } from '../testing/fixtures.ts';
import { startStripeServer } from '../testing/stripe-server.ts';
import { ledgerEntries, paymentBatches, paymentBatchItems, paymentTranches, payoutAccounts } from '../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { confirmPayout } from '../grants/service.ts';
import type { PayoutInput } from '../grants/payout.ts';
import { fundFigures, owedBackOf } from '../ledger/index.ts';
import { approvePayment, dueTranches, overpaymentsToRefund, recordBankTransfer, recordRepayment } from './service.ts';
import { batchFile, cancelBatch, createBatch, getBatch, markBatchSent, settleBatchItem } from './batches.ts';
import { handleStripeWebhook, sendStripeTransfer, startRepaymentCheckout, startStripeOnboarding, transferKey } from './stripe.ts';

const WEBHOOK_SECRET = 'whsec_test_kvarter';
let stripeServer: Awaited<ReturnType<typeof startStripeServer>>;
let db: TestDb;
let officer: Actor;
let finance: Actor;
let finance2: Actor;
let place: string;

beforeAll(async () => {
	stripeServer = await startStripeServer();
	db = await createTestDb({
		DEBTOR_IBAN: 'SE3550000000054910000003',
		DEBTOR_BIC: 'ESSESESS',
		STRIPE_SECRET_KEY: 'sk_test_kvarter',
		STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
		STRIPE_API_URL: stripeServer.url
	});
	officer = await createUser(db, { roles: ['officer'] });
	finance = await createUser(db, { roles: ['finance'] });
	finance2 = await createUser(db, { roles: ['finance'] });
	const admin = await createUser(db, { roles: ['admin'] });
	place = await neighbourhood(db, admin, 'Norrbacka', true);
});
afterAll(async () => {
	db.cleanup();
	await stripeServer.close();
});

const codeOf = refusalOf;
const acceptedGrant = (opts: { amount?: number; payout?: PayoutInput } = {}) => fixture(db, { officer, place, ...opts });
const BANKGIRO: PayoutInput = { kind: 'bankgiro', account: '5805-6201', bic: '', holderName: 'Tallbackens läxhjälp' };


const tranche = async (id: string) => (await db.database.db.select().from(paymentTranches).where(eq(paymentTranches.id, id)))[0];
const ledgerOf = async (trancheId: string) => (await db.database.db.select().from(ledgerEntries).where(eq(ledgerEntries.trancheId, trancheId))).map((r) => `${r.kind}:${r.method ?? ''}`);

describe('payment batches (pain.001)', () => {
	it('takes chosen tranches out of the queue, books them when sent, and settles each as paid or failed', async () => {
		const grantsOf = await Promise.all([acceptedGrant(), acceptedGrant(), acceptedGrant()]);
		const ids = grantsOf.map((g) => g.due.id);
		const { batchId, count, messageId } = await createBatch(db.ctx(finance), ids);
		expect(count).toBe(3);
		for (const id of ids) expect(await tranche(id)).toMatchObject({ status: 'processing', batchId });
		// Out of the queue: nobody records them by hand meanwhile.
		expect((await dueTranches(db.ctx(finance), {})).rows.map((r) => r.id)).not.toContain(ids[0]);
		expect(await codeOf(recordBankTransfer(db.ctx(finance), ids[0], { paidDate: '2026-11-28', reference: 'X' }))).toBe('invalid_state:error_tranche_not_due');
		const file = await batchFile(db.ctx(finance), batchId);
		expect(file.messageId).toBe(messageId);
		expect(file.xml.match(/<CdtTrfTxInf>/g)).toHaveLength(3);
		expect(file.xml).toContain('<CtrlSum>24000.00</CtrlSum>');
		// Nothing is booked until the batch is sent.
		expect(await ledgerOf(ids[0])).toEqual([]);
		await markBatchSent(db.ctx(finance), batchId);
		expect(await codeOf(markBatchSent(db.ctx(finance), batchId))).toBe('invalid_state:error_batch_not_open');
		for (const id of ids) {
			expect(await tranche(id)).toMatchObject({ status: 'paid' });
			expect(await ledgerOf(id)).toEqual(['disbursement:pain001']);
		}
		await settleBatchItem(db.ctx(finance), batchId, ids[0], 'paid');
		expect(await codeOf(settleBatchItem(db.ctx(finance), batchId, ids[1], 'failed', ''))).toBe('invalid:error_reason_required');
		await settleBatchItem(db.ctx(finance), batchId, ids[1], 'failed', 'Account closed');
		expect(await tranche(ids[1])).toMatchObject({ status: 'due', batchId: null });
		expect(await ledgerOf(ids[1])).toEqual(['disbursement:pain001', 'reversal:']);
		expect((await getBatch(db.ctx(finance), batchId)).batch.status).toBe('sent');
		await settleBatchItem(db.ctx(finance), batchId, ids[2], 'paid');
		const view = await getBatch(db.ctx(finance), batchId);
		expect(view.batch.status).toBe('settled');
		expect(view.items.map((i) => i.status).sort()).toEqual(['failed', 'paid', 'paid']);
		// The failed one is paid again by hand.
		await recordBankTransfer(db.ctx(finance), ids[1], { paidDate: '2026-11-29', reference: 'SEB-2' });
		expect(await ledgerOf(ids[1])).toEqual(['disbursement:pain001', 'reversal:', 'disbursement:bank_transfer']);
		expect((await fundFigures(db.database.db, grantsOf[1].fundId)).disbursed).toBe(800_000);
		expect(await violationsOf(db, ...grantsOf.map((g) => g.grantId))).toEqual([]);
	});

	it('puts a cancelled batch back in the queue; refuses an empty choice and bankgiro payees in 09 files', async () => {
		const a = await acceptedGrant();
		const bg = await acceptedGrant({ payout: BANKGIRO });
		expect(await codeOf(createBatch(db.ctx(finance), []))).toBe('invalid:error_batch_empty');
		expect(await codeOf(createBatch(db.ctx(finance), [bg.due.id]))).toBe('invalid:error_batch_empty');
		const { batchId } = await createBatch(db.ctx(finance), [a.due.id, bg.due.id]);
		expect((await getBatch(db.ctx(finance), batchId)).items.map((i) => i.trancheId)).toEqual([a.due.id]);
		await cancelBatch(db.ctx(finance), batchId);
		expect(await tranche(a.due.id)).toMatchObject({ status: 'due', batchId: null });
		expect((await db.database.db.select().from(paymentBatches).where(eq(paymentBatches.id, batchId)))[0].status).toBe('cancelled');
		expect((await db.database.db.select().from(paymentBatchItems).where(eq(paymentBatchItems.batchId, batchId)))[0].status).toBe('removed');
		expect(await ledgerOf(a.due.id)).toEqual([]);
		expect(await codeOf(createBatch(db.ctx(officer), [a.due.id]))).toBe('forbidden:error_forbidden');
	});

	it('writes pain.001.001.03 with bankgiro payees when so configured', async () => {
		const bg = await acceptedGrant({ payout: BANKGIRO });
		const ctx = { ...db.ctx(finance), config: { ...db.config, PAIN001_VERSION: '03' as const } };
		const { batchId } = await createBatch(ctx, [bg.due.id]);
		const { xml } = await batchFile(ctx, batchId);
		expect(xml).toContain('pain.001.001.03');
		expect(xml).toContain('<Othr><Id>58056201</Id><SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr>');
		expect(xml).toContain('<InstdAmt Ccy="SEK">8000.00</InstdAmt>');
		await cancelBatch(ctx, batchId);
	});
});

describe('a second finance approval above the configured amount', () => {
	it('needs another finance user to approve before anyone but that user pays', async () => {
		// Above 500 000 öre needs two finance users here; the 800 000 tranche does.
		const as = (actor: Actor) => ({ ...db.ctx(actor), config: { ...db.config, SECOND_APPROVAL_ABOVE: 500_000 } });
		const big = await acceptedGrant();
		expect(await codeOf(recordBankTransfer(as(finance), big.due.id, { paidDate: '2026-11-28', reference: 'X' }))).toBe('forbidden:error_second_approval_needed');
		expect(await codeOf(createBatch(as(finance), [big.due.id]))).toBe('forbidden:error_second_approval_needed');
		expect((await dueTranches(as(finance), {})).rows.find((r) => r.id === big.due.id)).toMatchObject({ needsApproval: true, mayPay: false, mayApprove: true });
		await approvePayment(as(finance), big.due.id);
		expect(await codeOf(approvePayment(as(finance2), big.due.id))).toBe('invalid_state:error_tranche_not_due');
		expect(await codeOf(recordBankTransfer(as(finance), big.due.id, { paidDate: '2026-11-28', reference: 'X' }))).toBe('forbidden:error_second_approval_other');
		expect((await dueTranches(as(finance2), {})).rows.find((r) => r.id === big.due.id)).toMatchObject({ mayPay: true });
		await recordBankTransfer(as(finance2), big.due.id, { paidDate: '2026-11-28', reference: 'SEB-BIG' });
		expect(await tranche(big.due.id)).toMatchObject({ status: 'paid', approvedForPaymentBy: finance.id, paidBy: finance2.id });
		const small = await acceptedGrant({ amount: 500_000 });
		expect(await codeOf(approvePayment(as(finance), small.due.id))).toBe('invalid_state:error_approval_not_needed');
	});
});

describe('the award as a ceiling', () => {
	it('refuses a payment that would take a grant above its award, booking nothing', async () => {
		const g = await acceptedGrant();
		await recordBankTransfer(db.ctx(finance), g.due.id, { paidDate: '2026-11-28', reference: 'SEB-1' });
		// A tranche slipped in behind the schedule's back (80 % + 30 % > 100 %).
		const extra = crypto.randomUUID();
		await db.database.write((tx) => tx.insert(paymentTranches).values({ id: extra, grantId: g.grantId, position: 9, percent: 30, amount: 300_000, trigger: 'acceptance', status: 'due' }));
		expect(await codeOf(recordBankTransfer(db.ctx(finance), extra, { paidDate: '2026-11-28', reference: 'SEB-2' }))).toBe('conflict:error_over_award');
		expect(await tranche(extra)).toMatchObject({ status: 'due' });
		expect(await ledgerOf(extra)).toEqual([]);
		expect((await fundFigures(db.database.db, g.fundId)).disbursed).toBe(800_000);
	});
});

describe('repayments', () => {
	it('records money paid back by bank, never more than is owed', async () => {
		const g = await owingGrant(db, { officer, finance, place, unspent: 350_000 });
		const input = { amount: 200_000, paidDate: '2026-11-28', reference: 'REPAY-1' };
		expect(await codeOf(recordRepayment(db.ctx(finance), g.grantId, input))).toBe('invalid:error_repayment_too_much');
		await recordRepayment(db.ctx(finance), g.grantId, { ...input, amount: 100_000 });
		expect(await owedBackOf(db.database.db, g.grantId)).toBe(50_000);
		expect((await fundFigures(db.database.db, g.fundId)).repaid).toBe(100_000);
		expect(await codeOf(recordRepayment(db.ctx(officer), g.grantId, input))).toBe('forbidden:error_forbidden');
	});
});

describe('Stripe Connect against a local server speaking Stripe’s API', () => {
	/** A grant paid through Stripe: the grantee onboards, an officer confirms the account. */
	async function stripeGrant() {
		const g = await acceptedGrant();
		const url = await startStripeOnboarding(db.ctx(g.grantee), g.grantId);
		expect(url).toMatch(/^https:\/\/connect\.stripe\.com\/setup\/e\/acct_test\d+\//);
		await confirmPayout(db.ctx(officer), g.grantId, true);
		const [payee] = await db.database.db.select().from(payoutAccounts).where(and(eq(payoutAccounts.grantId, g.grantId), eq(payoutAccounts.status, 'confirmed')));
		expect(payee.kind).toBe('stripe');
		return { ...g, account: payee.account };
	}
	const sign = (payload: string, secret = WEBHOOK_SECRET, timestamp?: number) => Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
	const event = (id: string, type: string, object: unknown) => JSON.stringify({ id, object: 'event', type, api_version: '2025-01-01', created: Math.floor(Date.now() / 1000), data: { object }, livemode: false, pending_webhooks: 1, request: { id: null } });

	it('creates an account and an Account Link for the grantee only', async () => {
		const g = await acceptedGrant();
		const before = stripeServer.requests.length;
		await startStripeOnboarding(db.ctx(g.grantee), g.grantId);
		const [account, link] = stripeServer.requests.slice(before);
		expect(account).toMatchObject({ method: 'POST', path: '/v1/accounts', form: { type: 'express', country: 'SE', email: g.grantee.email, 'capabilities[transfers][requested]': 'true', 'metadata[grant_id]': g.grantId } });
		expect(account.headers.authorization).toBe('Bearer sk_test_kvarter');
		expect(link).toMatchObject({ path: '/v1/account_links', form: { type: 'account_onboarding', return_url: `http://localhost:5173/grants/${g.grantId}?stripe=done` } });
		// Until an officer confirms it, the Stripe account pays nothing.
		const [pending] = await db.database.db.select().from(payoutAccounts).where(and(eq(payoutAccounts.grantId, g.grantId), eq(payoutAccounts.kind, 'stripe')));
		expect(pending.status).toBe('pending');
		expect(await codeOf(startStripeOnboarding(db.ctx(officer), g.grantId))).toBe('forbidden:error_forbidden');
		expect(await codeOf(sendStripeTransfer(db.ctx(finance), g.due.id))).toBe('invalid:error_not_stripe_payee');
	});

	it('sends a tranche as a Transfer with an idempotency key from the tranche, and books it', async () => {
		const g = await stripeGrant();
		const before = stripeServer.requests.length;
		const transferId = await sendStripeTransfer(db.ctx(finance), g.due.id);
		const [req] = stripeServer.requests.slice(before);
		expect(req).toMatchObject({ path: '/v1/transfers', form: { amount: '800000', currency: 'sek', destination: g.account, 'metadata[tranche_id]': g.due.id, 'metadata[attempt]': '1' } });
		expect(req.headers['idempotency-key']).toBe(transferKey(g.due.id, 1));
		expect(await tranche(g.due.id)).toMatchObject({ status: 'paid', stripeTransferId: transferId });
		expect(await ledgerOf(g.due.id)).toEqual(['disbursement:stripe']);
		expect(await violationsOf(db, g.grantId)).toEqual([]);
	});

	it('leaves the tranche due and books nothing when Stripe refuses', async () => {
		const g = await stripeGrant();
		stripeServer.failNext(3);
		expect(await codeOf(sendStripeTransfer(db.ctx(finance), g.due.id))).toBe('conflict:error_stripe_failed');
		stripeServer.failNext(0);
		expect(await tranche(g.due.id)).toMatchObject({ status: 'due' });
		expect(await ledgerOf(g.due.id)).toEqual([]);
	});

	it('lets exactly one of 100 simultaneous attempts pay, mixing bank records and Stripe transfers', async () => {
		const g = await stripeGrant();
		const results = await Promise.allSettled(
			Array.from({ length: 100 }, (_, i) => (i % 2 ? sendStripeTransfer(db.ctx(finance), g.due.id) : recordBankTransfer(db.ctx(finance), g.due.id, { paidDate: '2026-11-28', reference: `BANK-${i}` })))
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect((await ledgerOf(g.due.id)).filter((k) => k.startsWith('disbursement'))).toHaveLength(1);
		expect((await fundFigures(db.database.db, g.fundId)).disbursed).toBe(800_000);
		expect(await violationsOf(db, g.grantId)).toEqual([]);
	});

	it('accepts signed webhooks, refuses forged and stale ones, and a replay changes nothing', async () => {
		const g = await stripeGrant();
		const transferId = await sendStripeTransfer(db.ctx(finance), g.due.id);
		const reversed = event('evt_rev_1', 'transfer.reversed', { id: transferId, object: 'transfer', amount: 800_000, reversed: true, metadata: { tranche_id: g.due.id, attempt: '1' } });
		const webhook = (payload: string, signature: string | null) => handleStripeWebhook(db.database, db.config, payload, signature);
		expect((await webhook(reversed, sign(reversed, 'whsec_forged'))).status).toBe(400);
		expect((await webhook(reversed, sign(reversed, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600))).status).toBe(400);
		expect((await webhook(reversed, null)).status).toBe(400);
		expect((await webhook(reversed.replace('800000', '1'), sign(reversed))).status).toBe(400);
		expect(await tranche(g.due.id)).toMatchObject({ status: 'paid' });
		expect((await webhook(reversed, sign(reversed))).status).toBe(200);
		expect(await tranche(g.due.id)).toMatchObject({ status: 'due' });
		expect((await webhook(reversed, sign(reversed))).status).toBe(200);
		expect(await ledgerOf(g.due.id)).toEqual(['disbursement:stripe', 'reversal:']);
		// Stripe's own notice of a transfer for the next attempt settles it; its replay does nothing.
		const created = event('evt_tr_2', 'transfer.created', { id: 'tr_from_dashboard', object: 'transfer', amount: 800_000, metadata: { tranche_id: g.due.id, attempt: '2' } });
		expect((await webhook(created, sign(created))).status).toBe(200);
		expect((await webhook(created, sign(created))).status).toBe(200);
		expect(await tranche(g.due.id)).toMatchObject({ status: 'paid', stripeTransferId: 'tr_from_dashboard', attempts: 2 });
		expect(await ledgerOf(g.due.id)).toEqual(['disbursement:stripe', 'reversal:', 'disbursement:stripe']);
		const unknown = event('evt_x', 'customer.created', { id: 'cus_1', object: 'customer' });
		expect((await webhook(unknown, sign(unknown))).status).toBe(200);
		expect(await violationsOf(db, g.grantId)).toEqual([]);
	});

	it('lets the grantee repay unspent money through Checkout, booked by the webhook once', async () => {
		const fresh = await acceptedGrant();
		expect(await codeOf(startRepaymentCheckout(db.ctx(fresh.grantee), fresh.grantId))).toBe('invalid_state:error_nothing_owed');
		const g = await owingGrant(db, { officer, finance, place, unspent: 320_000 });
		const before = stripeServer.requests.length;
		const url = await startRepaymentCheckout(db.ctx(g.grantee), g.grantId);
		expect(url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
		const [req] = stripeServer.requests.slice(before);
		expect(req).toMatchObject({ path: '/v1/checkout/sessions', form: { mode: 'payment', 'line_items[0][price_data][unit_amount]': '120000', 'line_items[0][price_data][currency]': 'sek', 'metadata[grant_id]': g.grantId } });
		const paid = event('evt_cs_1', 'checkout.session.completed', { id: 'cs_test_paid', object: 'checkout.session', amount_total: 120_000, payment_status: 'paid', metadata: { kind: 'repayment', grant_id: g.grantId } });
		expect((await handleStripeWebhook(db.database, db.config, paid, sign(paid))).status).toBe(200);
		expect((await handleStripeWebhook(db.database, db.config, paid, sign(paid))).status).toBe(200);
		expect((await fundFigures(db.database.db, g.fundId)).repaid).toBe(120_000);
		expect(await owedBackOf(db.database.db, g.grantId)).toBe(0);
	});

	it('books what was owed when a card repayment pays too much, and lists the rest for finance to refund', async () => {
		const g = await owingGrant(db, { officer, finance, place, unspent: 320_000 });
		const owed = await owedBackOf(db.database.db, g.grantId);
		const repaidBefore = (await fundFigures(db.database.db, g.fundId)).repaid;
		const paid = event('evt_cs_over', 'checkout.session.completed', { id: 'cs_test_over', object: 'checkout.session', amount_total: owed + 50_000, payment_status: 'paid', metadata: { kind: 'repayment', grant_id: g.grantId } });
		expect((await handleStripeWebhook(db.database, db.config, paid, sign(paid))).status).toBe(200);
		expect((await handleStripeWebhook(db.database, db.config, paid, sign(paid))).status).toBe(200);
		expect((await fundFigures(db.database.db, g.fundId)).repaid - repaidBefore).toBe(owed);
		expect(await owedBackOf(db.database.db, g.grantId)).toBe(0);
		const toRefund = (await overpaymentsToRefund(db.ctx(finance))).filter((o) => o.grantId === g.grantId);
		expect(toRefund).toMatchObject([{ toRefund: 50_000, reference: 'cs_test_over' }]);
		expect(await codeOf(overpaymentsToRefund(db.ctx(officer)))).toBe('forbidden:error_forbidden');
		expect(await violationsOf(db, g.grantId)).toEqual([]);
	});

	it('shows nothing and answers nothing without keys', async () => {
		const plain = await createTestDb();
		try {
			expect((await handleStripeWebhook(plain.database, plain.config, '{}', 'x')).status).toBe(404);
			expect(await codeOf(startStripeOnboarding(plain.ctx(finance), 'x'))).toBe('not_found:error_not_found');
		} finally {
			plain.cleanup();
		}
	});
});
