import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { cancelBatch, getBatch, markBatchSent, settleBatchItem } from '#lib/server/payments/batches.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'finance');
	const result = await attempt({}, () => getBatch(ctx, event.params.id));
	return 'ok' in result ? result.value : { batch: null, items: [] };
};

export const actions: Actions = {
	sent: async (event) => {
		const ctx = requireRole(event, 'finance');
		const result = await attempt({}, () => markBatchSent(ctx, event.params.id));
		return 'ok' in result ? { done: t('batch_sent_notice') } : result;
	},
	cancel: async (event) => {
		const ctx = requireRole(event, 'finance');
		const result = await attempt({}, () => cancelBatch(ctx, event.params.id));
		return 'ok' in result ? { done: t('batch_cancelled_notice') } : result;
	},
	settle: async (event) => {
		const ctx = requireRole(event, 'finance');
		const form = await readForm(event, { trancheId: field.text(100), outcome: field.choice(['paid', 'failed']), reason: field.text(500) });
		if (!('ok' in form)) return form;
		const values = form.data;
		const result = await attempt(values, () => settleBatchItem(ctx, event.params.id, values.trancheId, values.outcome, values.reason));
		return 'ok' in result ? { done: t(values.outcome === 'paid' ? 'batch_item_paid_notice' : 'payment_failed_notice') } : result;
	}
};
