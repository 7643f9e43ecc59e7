import { today } from '#lib/server/calendar.ts';
import { redirect } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { approvePayment, dueTranches, recordBankTransfer, recordFailedPayment } from '#lib/server/payments/service.ts';
import { financeOverview } from '#lib/server/payments/overview.ts';
import { createBatch } from '#lib/server/payments/batches.ts';
import { sendStripeTransfer, stripeEnabled } from '#lib/server/payments/stripe.ts';
import type { Actions, PageServerLoad } from './$types';
import { dayQ, oneOfQ, pageQ, readQuery, textQ } from '#lib/server/query.ts';

const METHODS = ['iban', 'bankgiro', 'plusgiro', 'stripe'] as const;

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'finance');
	const q = readQuery(event.url, { fund: textQ(100), call: textQ(100), method: oneOfQ(METHODS), due: dayQ, page: pageQ, done: oneOfQ(['recorded', 'approved', 'stripe', 'failed']) });
	const filter = { fundId: q.fund, callId: q.call, method: q.method, dueBy: q.due, page: q.page };
	const started = performance.now();
	const [queue, overview] = await Promise.all([dueTranches(ctx, filter), financeOverview(ctx)]);
	event.setHeaders({ 'server-timing': `finance;dur=${Math.round(performance.now() - started)}` });
	const stripe = stripeEnabled(ctx.config);
	return { queue, ...overview, filter, stripe, fileKinds: ctx.config.PAIN001_VERSION === '03' ? ['iban', 'bankgiro', 'plusgiro'] : ['iban'], methods: METHODS.filter((k) => stripe || k !== 'stripe'), today: today(ctx), done: q.done ? DONE[q.done] : null, payFiles: !!(ctx.config.DEBTOR_IBAN && ctx.config.DEBTOR_BIC) };
};

const TRANCHE = { trancheId: field.text(100) };
/** Notices shown after a payment action (`?done=`), so the queue reloads fresh at a clean address. */
const DONE = { recorded: 'payment_recorded_notice', approved: 'payment_approved_notice', stripe: 'payment_stripe_notice', failed: 'payment_failed_notice' } as const;

/** After a payment action: back to the queue with its filters, a clean address and fresh rows. */
function backToQueue(url: URL, done: keyof typeof DONE): never {
	const q = new URLSearchParams([...url.searchParams].filter(([k]) => !k.startsWith('/') && k !== 'done'));
	q.set('done', done);
	redirect(303, `/finance?${q}`);
}

export const actions: Actions = {
	pay: async (event) => {
		const ctx = requireRole(event, 'finance');
		const form = await readForm(event, { ...TRANCHE, paidDate: field.text(10), reference: field.text(200) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => recordBankTransfer(ctx, values.trancheId, values));
		return 'ok' in result ? backToQueue(event.url, 'recorded') : result;
	},
	approve: async (event) => {
		const ctx = requireRole(event, 'finance');
		const form = await readForm(event, TRANCHE);
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => approvePayment(ctx, values.trancheId));
		return 'ok' in result ? backToQueue(event.url, 'approved') : result;
	},
	stripe: async (event) => {
		const ctx = requireRole(event, 'finance');
		const form = await readForm(event, TRANCHE);
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => sendStripeTransfer(ctx, values.trancheId));
		return 'ok' in result ? backToQueue(event.url, 'stripe') : result;
	},
	failed: async (event) => {
		const ctx = requireRole(event, 'finance');
		const form = await readForm(event, { ...TRANCHE, reason: field.text(500) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => recordFailedPayment(ctx, values.trancheId, values.reason));
		return 'ok' in result ? backToQueue(event.url, 'failed') : result;
	},
	batch: async (event) => {
		const ctx = requireRole(event, 'finance');
		const form = await readForm(event, { select: field.texts(100, 500) });
		if (!('ok' in form)) return form;
		const ids = form.data.select;
		const result = await attempt({}, () => createBatch(ctx, ids));
		if ('ok' in result) redirect(303, `/finance/batches/${result.value.batchId}`);
		return result;
	}
};
