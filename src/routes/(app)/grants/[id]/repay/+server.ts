import { redirect } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { orRefuse } from '#lib/server/forms.ts';
import { startRepaymentCheckout, STRIPE_PAGES } from '#lib/server/payments/stripe.ts';
import type { RequestHandler } from './$types';

/** The grantee pays unspent money back by card on Stripe Checkout. */
export const POST: RequestHandler = async (event) => {
	const url = await orRefuse(() => startRepaymentCheckout(requireUser(event), event.params.id));
	redirect(303, url, { external: STRIPE_PAGES });
};
