import { redirect } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { orRefuse } from '#lib/server/forms.ts';
import { startStripeOnboarding, STRIPE_PAGES } from '#lib/server/payments/stripe.ts';
import type { RequestHandler } from './$types';

/** The grantee goes to Stripe's onboarding (a POST from the grant page). */
export const POST: RequestHandler = async (event) => {
	const url = await orRefuse(() => startStripeOnboarding(requireUser(event), event.params.id));
	redirect(303, url, { external: STRIPE_PAGES });
};

/**
 * Stripe sends the grantee here when an onboarding link has expired. A GET changes nothing: it
 * goes back to the grant page, which says so and offers the button (a POST) for a fresh link.
 */
export const GET: RequestHandler = (event) => {
	redirect(303, `/grants/${encodeURIComponent(event.params.id)}?stripe=expired`);
};
