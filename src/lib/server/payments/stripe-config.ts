import type { Config } from '../config.ts';

/** Stripe is on only when both its secret key and its webhook secret are configured. */
export function stripeEnabled(config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET'>) {
	return !!config.STRIPE_SECRET_KEY && !!config.STRIPE_WEBHOOK_SECRET;
}
