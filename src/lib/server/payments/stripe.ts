import Stripe from 'stripe';
import { and, eq, inArray } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import type { Database } from '../db/client.ts';
import { funds, grants, paymentTranches, payoutAccounts, stripeEvents } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { DomainError, notFound } from '../errors.ts';
import { loadGrant, ownerOf } from '../grants/service.ts';
import { queueEmail } from '../email/outbox.ts';
import { appendLedger } from '../ledger/book.ts';
import { owedBackOf } from '../ledger/figures.ts';
import { today } from '../calendar.ts';
import { stripeEnabled } from '../config.ts';
import { assertMayPay, bookPaid, bookReversal, loadTranche } from './service.ts';

/**
 * Stripe Connect, the optional rail: on only when both STRIPE_SECRET_KEY and
 * STRIPE_WEBHOOK_SECRET are set. STRIPE_API_URL points the same client at another host (the
 * tests' local server that speaks Stripe's API); the code path is the production one.
 */
const clients = new Map<string, Stripe>();

/** The only other sites Kvarter sends people to: Stripe's hosted onboarding and checkout pages. */
export const STRIPE_PAGES = ['https://connect.stripe.com', 'https://checkout.stripe.com'];

export { stripeEnabled };

export function stripeOf(config: Config): Stripe | null {
	if (!stripeEnabled(config)) return null;
	const key = `${config.STRIPE_SECRET_KEY}|${config.STRIPE_API_URL ?? ''}`;
	let client = clients.get(key);
	if (!client) {
		const url = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : null;
		const where = url ? { host: url.hostname, port: url.port || (url.protocol === 'https:' ? 443 : 80), protocol: url.protocol === 'http:' ? ('http' as const) : ('https' as const) } : {};
		client = new Stripe(config.STRIPE_SECRET_KEY!, { ...where, maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: 'Kvarter' } });
		clients.set(key, client);
	}
	return client;
}

/** A Stripe call whose refusal or unreachability is a plain "Stripe did not take it" for the person. */
async function viaStripe<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (err) {
		if (err instanceof Stripe.errors.StripeError) throw new DomainError('conflict', 'error_stripe_failed');
		throw err;
	}
}

function requireStripe(config: Config): Stripe {
	const s = stripeOf(config);
	if (!s) throw notFound();
	return s;
}

/**
 * The grantee onboards with Stripe to be paid through it: a connected account for the grant (made
 * once) and an Account Link to Stripe's onboarding. The account becomes the grant's payout
 * details only once an officer confirms it, like any change of payout details.
 * Refuses: not_found (Stripe off, no such grant), forbidden (not the grantee), invalid_state.
 */
export async function startStripeOnboarding(ctx: Ctx, grantId: string): Promise<string> {
	const stripe = requireStripe(ctx.config);
	const { grant, party, app, actor } = await loadGrant(ctx.database.db, ctx, grantId);
	if (party !== 'grantee') throw new DomainError('forbidden', 'error_forbidden');
	if (grant.status !== 'active') throw new DomainError('invalid_state', 'error_grant_not_active');
	const [existing] = await ctx.database.db
		.select()
		.from(payoutAccounts)
		.where(and(eq(payoutAccounts.grantId, grantId), eq(payoutAccounts.kind, 'stripe'), inArray(payoutAccounts.status, ['pending', 'confirmed'])));
	let accountId = existing?.account;
	if (!accountId) {
		const account = await viaStripe(() =>
			stripe.accounts.create(
				{ type: 'express', country: ctx.config.COUNTRY, email: actor.email, capabilities: { transfers: { requested: true } }, metadata: { grant_id: grantId } },
				{ idempotencyKey: `kvarter-account-${grantId}` }
			)
		);
		accountId = account.id;
		const id = accountId;
		await ctx.database.write(async (tx) => {
			await tx.update(payoutAccounts).set({ status: 'superseded' }).where(and(eq(payoutAccounts.grantId, grantId), eq(payoutAccounts.status, 'pending')));
			await tx.insert(payoutAccounts).values({ id: crypto.randomUUID(), grantId, kind: 'stripe', account: id, bic: null, holderName: actor.name, status: 'pending', createdBy: actor.id, createdAt: ctx.now });
			await audit(tx, ctx, { action: 'grant.payout_change_requested', entityType: 'grant', entityId: grantId, summary: { kind: 'stripe', account: id } });
			const owner = await ownerOf(tx, app);
			await queueEmail(tx, ctx, owner, { template: 'payout-changed', params: { name: owner.name, title: app.title, number: app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}`, message: 'Stripe' } });
		});
	}
	const account = accountId;
	const link = await viaStripe(() =>
		stripe.accountLinks.create({
			account,
			type: 'account_onboarding',
			refresh_url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}/stripe`,
			return_url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}?stripe=done`
		})
	);
	return link.url;
}

/**
 * Finance sends a due tranche through Stripe as a Transfer to the grantee's connected account.
 * The tranche is taken (processing) before Stripe is called, so no other payment can start; the
 * idempotency key is derived from the tranche and attempt, so a retry never pays twice. If Stripe
 * refuses or cannot be reached, the tranche is due again and nothing is booked.
 * Refuses: not_found, forbidden (role, separation of duties, second approval), invalid
 * (not a Stripe payee), invalid_state (not due), conflict (Stripe refused).
 */
export async function sendStripeTransfer(ctx: Ctx, trancheId: string) {
	const actor = requireRoleIn(ctx, ['finance']);
	const stripe = requireStripe(ctx.config);
	const started = await ctx.database.write(async (tx) => {
		const row = await loadTranche(tx, trancheId);
		await assertMayPay(tx, ctx, actor, row);
		const [payee] = await tx.select().from(payoutAccounts).where(and(eq(payoutAccounts.grantId, row.grant.id), eq(payoutAccounts.status, 'confirmed')));
		if (payee?.kind !== 'stripe') throw new DomainError('invalid', 'error_not_stripe_payee');
		const [fund] = await tx.select({ currency: funds.currency }).from(funds).where(eq(funds.id, row.grant.fundId));
		const taken = await tx
			.update(paymentTranches)
			.set({ status: 'processing' })
			.where(and(eq(paymentTranches.id, trancheId), eq(paymentTranches.status, 'due')))
			.returning({ id: paymentTranches.id });
		if (!taken.length) throw new DomainError('invalid_state', 'error_tranche_not_due');
		await audit(tx, ctx, { action: 'payment.stripe_started', entityType: 'grant', entityId: row.grant.id, summary: { trancheId, amount: row.tranche.amount } });
		return { attempt: row.tranche.attempts + 1, amount: row.tranche.amount, destination: payee.account, currency: fund.currency, grantId: row.grant.id };
	});
	let transfer: Stripe.Transfer;
	try {
		transfer = await stripe.transfers.create(
			{ amount: started.amount, currency: started.currency.toLowerCase(), destination: started.destination, transfer_group: `grant_${started.grantId}`, metadata: { tranche_id: trancheId, attempt: String(started.attempt), grant_id: started.grantId } },
			{ idempotencyKey: transferKey(trancheId, started.attempt) }
		);
	} catch (err) {
		const message = err instanceof Error ? err.message.slice(0, 300) : 'unknown';
		await ctx.database.write(async (tx) => {
			await tx.update(paymentTranches).set({ status: 'due' }).where(and(eq(paymentTranches.id, trancheId), eq(paymentTranches.status, 'processing')));
			await audit(tx, ctx, { action: 'payment.stripe_refused', entityType: 'grant', entityId: started.grantId, summary: { trancheId, message } });
		});
		throw new DomainError('conflict', 'error_stripe_failed');
	}
	// The money has left: the booking must not fail quietly. A tranche already booked by the
	// webhook is fine; anything else is put on record loudly for finance to resolve.
	const booked = await ctx.database.write(async (tx) => {
		const row = await loadTranche(tx, trancheId);
		if (row.tranche.status === 'paid' && row.tranche.stripeTransferId === transfer.id) return true;
		return bookPaid(tx, ctx, row, { from: 'processing', attempt: started.attempt, method: 'stripe', reference: transfer.id, paidAt: ctx.now, actorId: actor.id, stripeTransferId: transfer.id });
	}).catch((err) => (err instanceof DomainError ? false : Promise.reject(err)));
	if (!booked) {
		await ctx.database.write((tx) => audit(tx, ctx, { action: 'payment.stripe_booking_failed', entityType: 'grant', entityId: started.grantId, summary: { trancheId, transfer: transfer.id } }));
		throw new DomainError('conflict', 'error_stripe_booking_failed');
	}
	return transfer.id;
}

/** The idempotency key of a tranche's payment attempt: the same attempt can never pay twice. */
export const transferKey = (trancheId: string, attempt: number) => `kvarter-tranche-${trancheId}-${attempt}`;

/**
 * The grantee pays unspent money back by card: a Stripe Checkout session for what is still owed.
 * The repayment is booked when Stripe's signed webhook says the session was paid.
 * Refuses: not_found (Stripe off, no such grant), forbidden, invalid_state (nothing owed).
 */
export async function startRepaymentCheckout(ctx: Ctx, grantId: string): Promise<string> {
	const stripe = requireStripe(ctx.config);
	const db = ctx.database.db;
	const { grant, party, app } = await loadGrant(db, ctx, grantId);
	if (party !== 'grantee') throw new DomainError('forbidden', 'error_forbidden');
	const owed = await owedBackOf(db, grant.id);
	if (owed <= 0) throw new DomainError('invalid_state', 'error_nothing_owed');
	const [fund] = await db.select({ currency: funds.currency }).from(funds).where(eq(funds.id, grant.fundId));
	const session = await viaStripe(() => stripe.checkout.sessions.create(
		{
			mode: 'payment',
			line_items: [{ quantity: 1, price_data: { currency: fund.currency.toLowerCase(), unit_amount: owed, product_data: { name: `Kvarter ${app.id}: ${app.title}`.slice(0, 200) } } }],
			client_reference_id: grantId,
			metadata: { kind: 'repayment', grant_id: grantId },
			success_url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}?repaid=1`,
			cancel_url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}`
		},
		{ idempotencyKey: `kvarter-repay-${grantId}-${owed}-${today(ctx)}` }
	));
	await ctx.database.write((tx) => audit(tx, ctx, { action: 'payment.repayment_started', entityType: 'grant', entityId: grantId, summary: { amount: owed, session: session.id } }));
	if (!session.url) throw new DomainError('conflict', 'error_stripe_failed');
	return session.url;
}

/**
 * Stripe's webhook: the signature is checked (a forged or stale one is refused with 400); each
 * event is handled once (a replay changes nothing); unknown events are acknowledged and ignored.
 * transfer.created settles a tranche under way as paid, transfer.reversed books a reversal and
 * makes it due again, checkout.session.completed books a repayment.
 */
export async function handleStripeWebhook(database: Database, config: Config, payload: string, signature: string | null, now = new Date()): Promise<{ status: number; body: string }> {
	const stripe = stripeOf(config);
	if (!stripe) return { status: 404, body: 'Not found' };
	let event: Stripe.Event;
	try {
		event = stripe.webhooks.constructEvent(payload, signature ?? '', config.STRIPE_WEBHOOK_SECRET!);
	} catch {
		return { status: 400, body: 'Bad signature' };
	}
	const ctx: Ctx = { database, config, actor: null, now, ip: null, locale: 'en' };
	try {
		await database.write(async (tx) => {
			const fresh = await tx.insert(stripeEvents).values({ id: event.id, type: event.type, receivedAt: now }).onConflictDoNothing().returning({ id: stripeEvents.id });
			if (!fresh.length) return;
			if (event.type === 'transfer.created') {
				const transfer = event.data.object;
				const trancheId = transfer.metadata?.tranche_id;
				const attempt = Number(transfer.metadata?.attempt);
				if (!trancheId || !Number.isInteger(attempt)) return;
				const [exists] = await tx.select({ id: paymentTranches.id }).from(paymentTranches).where(eq(paymentTranches.id, trancheId));
				if (!exists) return;
				const row = await loadTranche(tx, trancheId);
				if (row.tranche.status === 'processing' || (row.tranche.status === 'due' && row.tranche.attempts + 1 === attempt)) {
					await bookPaid(tx, ctx, row, { from: row.tranche.status, attempt, method: 'stripe', reference: transfer.id, paidAt: now, actorId: null, stripeTransferId: transfer.id });
				}
			} else if (event.type === 'transfer.reversed') {
				const transfer = event.data.object;
				const [t] = await tx.select({ id: paymentTranches.id }).from(paymentTranches).where(eq(paymentTranches.stripeTransferId, transfer.id));
				if (!t) return;
				await bookReversal(tx, ctx, await loadTranche(tx, t.id), 'Stripe transfer reversed', null);
			} else if (event.type === 'checkout.session.completed') {
				const session = event.data.object;
				const grantId = session.metadata?.grant_id;
				if (session.metadata?.kind !== 'repayment' || !grantId || session.payment_status !== 'paid' || !session.amount_total) return;
				const [grant] = await tx.select().from(grants).where(eq(grants.id, grantId));
				if (!grant) return;
				// Money paid in is never refused: what was owed is booked as repaid; anything more
				// (paid twice, or after a bank transfer) is recorded for finance to refund.
				const booked = Math.min(session.amount_total, await owedBackOf(tx, grantId));
				const excess = session.amount_total - booked;
				if (booked > 0) {
					await appendLedger(tx, { fundId: grant.fundId, grantId, kind: 'repayment', amount: booked, method: 'stripe', reference: session.id, idempotencyKey: `repay:stripe:${session.id}`, actorId: null, at: now });
					await audit(tx, ctx, { action: 'payment.repaid', entityType: 'grant', entityId: grantId, summary: { amount: booked, reference: session.id } });
				}
				if (excess > 0) await audit(tx, ctx, { action: 'payment.overpaid', entityType: 'grant', entityId: grantId, summary: { received: session.amount_total, booked, toRefund: excess, reference: session.id } });
			}
		});
	} catch (err) {
		// A money rule refused the event (it would overpay): keep it on record, acknowledge it.
		if (!(err instanceof DomainError)) throw err;
		await database.write((tx) => audit(tx, ctx, { action: 'payment.stripe_event_refused', entityType: 'stripe_event', entityId: event.id, summary: { type: event.type, reason: err.messageKey } }));
	}
	return { status: 200, body: 'ok' };
}
