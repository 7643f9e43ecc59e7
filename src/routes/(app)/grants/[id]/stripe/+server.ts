import { redirect } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { orRefuse } from '#lib/server/forms.ts';
import { startStripeOnboarding } from '#lib/server/payments/stripe.ts';
import type { RequestHandler } from './$types';

/** The grantee goes to Stripe's onboarding (POST from the grant page; GET when Stripe asks for a fresh link). */
const onboard: RequestHandler = async (event) => {
	const url = await orRefuse(() => startStripeOnboarding(requireUser(event), event.params.id));
	redirect(303, url);
};
export const POST = onboard;
export const GET = onboard;
