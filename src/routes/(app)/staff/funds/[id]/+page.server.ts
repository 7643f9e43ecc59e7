import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { getFund, updateFund } from '#lib/server/calls/service.ts';
import { parseMoney } from '#lib/money.ts';
import type { Currency } from '#lib/domain.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const result = await attempt({}, () => getFund(ctx, event.params.id));
	return 'ok' in result ? result.value : { fund: null, figures: null, calls: [] };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { name: field.text(200), currency: field.text(3), budget: field.text(30), periodStart: field.text(10), periodEnd: field.text(10), status: field.text(10) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const budget = parseMoney(values.budget) ?? -1;
		const result = await attempt(values, () => updateFund(ctx, event.params.id, { ...values, currency: values.currency as Currency, budget, status: values.status as 'active' | 'closed' }));
		return 'ok' in result ? { done: t('fund_saved') } : result;
	}
};
