import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { acceptOffer, cancelGrant, changePayout, closeGrant, confirmPayout, declineOffer, getGrant, setMilestones, waiveTranche } from '#lib/server/grants/service.ts';
import { confirmWriteOff, proposeWriteOff, withdrawWriteOff } from '#lib/server/ledger/write-offs.ts';
import { parseMoney } from '#lib/money.ts';
import { milestoneFormValues, payoutFormValues } from '#lib/server/grants/form.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const result = await attempt({}, () => getGrant(requireUser(event), event.params.id));
	return { view: 'ok' in result ? result.value : null };
};

const done = (key: string) => ({ done: t(key) });

export const actions: Actions = {
	accept: async (event) => {
		const ctx = requireUser(event);
		const fd = await event.request.formData();
		const payout = payoutFormValues(fd);
		const values = { ...payout, termsAccepted: fd.get('termsAccepted') === 'on' };
		const result = await attempt(values, () => acceptOffer(ctx, event.params.id, { termsAccepted: values.termsAccepted, payout }));
		return 'ok' in result ? done('grant_accepted_notice') : result;
	},
	decline: async (event) => {
		const ctx = requireUser(event);
		const reason = text(await event.request.formData(), 'declineReason', 2000);
		const result = await attempt({ declineReason: reason }, () => declineOffer(ctx, event.params.id, reason));
		return 'ok' in result ? done('grant_declined_notice') : result;
	},
	payout: async (event) => {
		const ctx = requireUser(event);
		const payout = payoutFormValues(await event.request.formData());
		const result = await attempt(payout, () => changePayout(ctx, event.params.id, payout));
		return 'ok' in result ? done('payout_change_notice') : result;
	},
	confirm: async (event) => {
		const ctx = requireUser(event);
		const approve = text(await event.request.formData(), 'decision', 10) === 'confirm';
		const result = await attempt({}, () => confirmPayout(ctx, event.params.id, approve));
		return 'ok' in result ? done(approve ? 'payout_confirmed_notice' : 'payout_rejected_notice') : result;
	},
	milestones: async (event) => {
		const ctx = requireUser(event);
		const list = milestoneFormValues(await event.request.formData());
		const result = await attempt({ milestones: list }, () => setMilestones(ctx, event.params.id, list));
		return 'ok' in result ? done('milestones_saved_notice') : result;
	},
	cancel: async (event) => {
		const ctx = requireUser(event);
		const reason = text(await event.request.formData(), 'cancelReason', 2000);
		const result = await attempt({ cancelReason: reason }, () => cancelGrant(ctx, event.params.id, reason));
		return 'ok' in result ? done('grant_cancelled_notice') : result;
	},
	waive: async (event) => {
		const ctx = requireUser(event);
		const fd = await event.request.formData();
		const values = { trancheId: text(fd, 'trancheId', 60), waiveReason: text(fd, 'waiveReason', 500) };
		const result = await attempt(values, () => waiveTranche(ctx, event.params.id, values.trancheId, values.waiveReason));
		return 'ok' in result ? done('grant_waived_notice') : result;
	},
	writeoff: async (event) => {
		const ctx = requireUser(event);
		const fd = await event.request.formData();
		const values = { amount: text(fd, 'amount', 30), reason: text(fd, 'reason', 1000) };
		const result = await attempt(values, () => proposeWriteOff(ctx, event.params.id, { amount: parseMoney(values.amount), reason: values.reason }));
		return 'ok' in result ? done('writeoff_proposed_notice') : result;
	},
	writeoffDecision: async (event) => {
		const ctx = requireUser(event);
		const fd = await event.request.formData();
		const id = text(fd, 'writeOffId', 60);
		const confirm = text(fd, 'decision', 10) === 'confirm';
		const result = await attempt({}, () => (confirm ? confirmWriteOff(ctx, id) : withdrawWriteOff(ctx, id)));
		return 'ok' in result ? done(confirm ? 'writeoff_confirmed_notice' : 'writeoff_withdrawn_notice') : result;
	},
	close: async (event) => {
		const ctx = requireUser(event);
		const result = await attempt({}, () => closeGrant(ctx, event.params.id));
		return 'ok' in result ? done('grant_closed_notice') : result;
	}
};
