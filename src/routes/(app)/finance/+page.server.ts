import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { allFundFigures, dueTranches, recentlyPaid, recordBankTransfer, recordFailedPayment } from '#lib/server/payments/service.ts';
import { listCallsForStaffOrFinance } from '#lib/server/calls/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'finance');
	const p = event.url.searchParams;
	const method = p.get('method');
	const filter = {
		fundId: p.get('fund')?.slice(0, 100) || undefined,
		callId: p.get('call')?.slice(0, 100) || undefined,
		method: method === 'iban' || method === 'bankgiro' || method === 'plusgiro' ? (method as 'iban' | 'bankgiro' | 'plusgiro') : undefined,
		page: Math.max(1, Number.parseInt(p.get('page') ?? '1', 10) || 1)
	};
	const started = performance.now();
	const [queue, figures, paid, calls] = await Promise.all([dueTranches(ctx, filter), allFundFigures(ctx), recentlyPaid(ctx), listCallsForStaffOrFinance(ctx)]);
	event.setHeaders({ 'server-timing': `finance;dur=${Math.round(performance.now() - started)}` });
	return { queue, figures, paid, calls, filter, today: ctx.now.toISOString().slice(0, 10) };
};

export const actions: Actions = {
	pay: async (event) => {
		const ctx = requireRole(event, 'finance');
		const fd = await event.request.formData();
		const values = { trancheId: text(fd, 'trancheId', 100), paidDate: text(fd, 'paidDate', 10), reference: text(fd, 'reference', 200) };
		const result = await attempt(values, () => recordBankTransfer(ctx, values.trancheId, values));
		return 'ok' in result ? { done: t('payment_recorded_notice') } : result;
	},
	failed: async (event) => {
		const ctx = requireRole(event, 'finance');
		const fd = await event.request.formData();
		const values = { trancheId: text(fd, 'trancheId', 100), reason: text(fd, 'reason', 500) };
		const result = await attempt(values, () => recordFailedPayment(ctx, values.trancheId, values.reason));
		return 'ok' in result ? { done: t('payment_failed_notice') } : result;
	}
};
