import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
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
		const fd = await event.request.formData();
		const values = { name: text(fd, 'name', 200), currency: text(fd, 'currency', 3), budget: text(fd, 'budget', 30), periodStart: text(fd, 'periodStart', 10), periodEnd: text(fd, 'periodEnd', 10), status: text(fd, 'status', 10) };
		const budget = parseMoney(values.budget) ?? -1;
		const result = await attempt(values, () => updateFund(ctx, event.params.id, { ...values, currency: values.currency as Currency, budget, status: values.status as 'active' | 'closed' }));
		return 'ok' in result ? { done: t('fund_saved') } : result;
	}
};
