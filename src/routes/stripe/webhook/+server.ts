import { getApp } from '#lib/server/app.ts';
import { handleStripeWebhook } from '#lib/server/payments/stripe.ts';
import type { RequestHandler } from './$types';

/** Stripe's signed events (transfers settled or reversed, repayments paid). 404 when Stripe is off. */
export const POST: RequestHandler = async ({ request }) => {
	const app = getApp();
	const payload = await request.text();
	const result = await handleStripeWebhook(app.database, app.config, payload, request.headers.get('stripe-signature'));
	return new Response(result.body, { status: result.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
};
