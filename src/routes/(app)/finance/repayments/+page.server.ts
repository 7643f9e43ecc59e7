import { today } from '#lib/server/calendar.ts';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
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
		const form = await readForm(event, { grantId: field.text(100), amount: field.text(30), paidDate: field.text(10), reference: field.text(200) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => recordRepayment(ctx, values.grantId, { amount: parseMoney(values.amount), paidDate: values.paidDate, reference: values.reference }));
		return 'ok' in result ? { done: t('repayment_recorded_notice') } : result;
	}
};
