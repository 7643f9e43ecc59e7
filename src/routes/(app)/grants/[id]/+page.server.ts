import { requireUser } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm, withForm } from '#lib/server/forms.ts';
import { acceptOffer, cancelGrant, changePayout, closeGrant, confirmPayout, declineOffer, getGrant, setMilestones, waiveTranche } from '#lib/server/grants/service.ts';
import { confirmWriteOff, proposeWriteOff, withdrawWriteOff } from '#lib/server/ledger/write-offs.ts';
import { parseMoney } from '#lib/money.ts';
import { milestoneFormValues, payoutFormValues } from '#lib/server/grants/form.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';
import { pageQ, readQuery } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const result = await attempt({}, () => getGrant(requireUser(event), event.params.id, readQuery(event.url, { history: pageQ })));
	return { view: 'ok' in result ? result.value : null };
};
const done = (key: string) => ({ done: t(key) });

const PAYOUT = { kind: field.text(20), account: field.text(60), bic: field.text(20), holderName: field.text(200) };

export const actions: Actions = {
	accept: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { ...PAYOUT, termsAccepted: field.check() });
		if (!('ok' in form)) return form;
		const payout = payoutFormValues(form.values);
		const values = { ...payout, termsAccepted: form.data.termsAccepted };
		const result = await attempt(values, () => acceptOffer(ctx, event.params.id, { termsAccepted: values.termsAccepted, payout }));
		return 'ok' in result ? done('grant_accepted_notice') : result;
	},
	// Declining is final: the first press asks to confirm, keeping the reason typed.
	decline: (event) =>
		withForm(event, { declineReason: field.text(2000), confirmed: field.check() }, async (data) => {
			const ctx = requireUser(event);
			if (!data.confirmed && (await getGrant(ctx, event.params.id).then((v) => v.may?.['grant.decline'], () => false))) return { confirm: 'decline' as const, values: { declineReason: data.declineReason } };
			const result = await attempt(data, () => declineOffer(ctx, event.params.id, data.declineReason));
			return 'ok' in result ? done('grant_declined_notice') : result;
		}),
	payout: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, PAYOUT);
		if (!('ok' in form)) return form;
		const payout = payoutFormValues(form.values);
		const result = await attempt(payout, () => changePayout(ctx, event.params.id, payout));
		return 'ok' in result ? done('payout_change_notice') : result;
	},
	confirm: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { decision: field.choice(['confirm', 'reject']) });
		if (!('ok' in form)) return form;
		const approve = form.data.decision === 'confirm';
		const result = await attempt({}, () => confirmPayout(ctx, event.params.id, approve));
		return 'ok' in result ? done(approve ? 'payout_confirmed_notice' : 'payout_rejected_notice') : result;
	},
	milestones: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { milestoneTitle: field.texts(300, 30), milestoneDue: field.texts(10, 30) });
		if (!('ok' in form)) return form;
		const list = milestoneFormValues(form.values);
		const result = await attempt({ milestones: list }, () => setMilestones(ctx, event.params.id, list));
		return 'ok' in result ? done('milestones_saved_notice') : result;
	},
	cancel: (event) =>
		withForm(event, { cancelReason: field.text(2000) }, async (data) => {
			const result = await attempt(data, () => cancelGrant(requireUser(event), event.params.id, data.cancelReason));
			return 'ok' in result ? done('grant_cancelled_notice') : result;
		}),
	waive: (event) =>
		withForm(event, { trancheId: field.text(60), waiveReason: field.text(500) }, async (values) => {
			const result = await attempt(values, () => waiveTranche(requireUser(event), event.params.id, values.trancheId, values.waiveReason));
			return 'ok' in result ? done('grant_waived_notice') : result;
		}),
	writeoff: (event) =>
		withForm(event, { amount: field.text(30), reason: field.text(1000) }, async (values) => {
			const result = await attempt(values, () => proposeWriteOff(requireUser(event), event.params.id, { amount: parseMoney(values.amount), reason: values.reason }));
			return 'ok' in result ? done('writeoff_proposed_notice') : result;
		}),
	writeoffDecision: async (event) => {
		const ctx = requireUser(event);
		const form = await readForm(event, { writeOffId: field.text(60), decision: field.choice(['confirm', 'withdraw']) });
		if (!('ok' in form)) return form;
		const { writeOffId: id, decision } = form.data;
		const result = await attempt({}, () => (decision === 'confirm' ? confirmWriteOff(ctx, id) : withdrawWriteOff(ctx, id)));
		return 'ok' in result ? done(decision === 'confirm' ? 'writeoff_confirmed_notice' : 'writeoff_withdrawn_notice') : result;
	},
	close: async (event) => {
		const ctx = requireUser(event);
		const result = await attempt({}, () => closeGrant(ctx, event.params.id));
		return 'ok' in result ? done('grant_closed_notice') : result;
	}
};
