import { redirect } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { createFund, listFunds } from '#lib/server/calls/service.ts';
import { parseMoney } from '#lib/money.ts';
import type { Currency } from '#lib/domain.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ funds: await listFunds(requireRole(event, 'officer', 'admin')) });

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { name: field.text(200), currency: field.text(3), budget: field.text(30), periodStart: field.text(10), periodEnd: field.text(10) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const budget = parseMoney(values.budget) ?? -1;
		const result = await attempt(values, () => createFund(ctx, { ...values, currency: values.currency as Currency, budget }));
		if (!('ok' in result)) return result;
		redirect(303, `/staff/funds/${result.value}`);
	}
};
