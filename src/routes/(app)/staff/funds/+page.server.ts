import { redirect } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { createFund, listFunds } from '#lib/server/calls/service.ts';
import { parseMoney } from '#lib/money.ts';
import type { Currency } from '#lib/domain.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ funds: await listFunds(requireRole(event, 'officer', 'admin')) });

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const fd = await event.request.formData();
		const values = { name: text(fd, 'name', 200), currency: text(fd, 'currency', 3), budget: text(fd, 'budget', 30), periodStart: text(fd, 'periodStart', 10), periodEnd: text(fd, 'periodEnd', 10) };
		const budget = parseMoney(values.budget) ?? -1;
		const result = await attempt(values, () => createFund(ctx, { ...values, currency: values.currency as Currency, budget }));
		if (!('ok' in result)) return result;
		redirect(303, `/staff/funds/${result.value}`);
	}
};
