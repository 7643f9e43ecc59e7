import { today } from '#lib/server/calendar.ts';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { overpaymentsToRefund, recordRepayment, repaymentsOwed } from '#lib/server/payments/service.ts';
import { parseMoney } from '#lib/money.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'finance');
	const [owed, overpaid] = await Promise.all([repaymentsOwed(ctx), overpaymentsToRefund(ctx)]);
	return { owed, overpaid, today: today(ctx) };
};

export const actions: Actions = {
	repay: async (event) => {
		const ctx = requireRole(event, 'finance');
		const fd = await event.request.formData();
		const values = { grantId: text(fd, 'grantId', 100), amount: text(fd, 'amount', 30), paidDate: text(fd, 'paidDate', 10), reference: text(fd, 'reference', 200) };
		const result = await attempt(values, () => recordRepayment(ctx, values.grantId, { amount: parseMoney(values.amount), paidDate: values.paidDate, reference: values.reference }));
		return 'ok' in result ? { done: t('repayment_recorded_notice') } : result;
	}
};
