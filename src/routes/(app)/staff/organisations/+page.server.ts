import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { decideJoinRequest, listJoinRequests } from '#lib/server/organisations/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ requests: await listJoinRequests(requireRole(event, 'officer', 'admin')) });

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { requestId: field.text(60), decision: field.choice(['approve', 'refuse']) });
		if (!('ok' in form)) return form;
		const approve = form.data.decision === 'approve';
		const result = await attempt({}, () => decideJoinRequest(ctx, form.data.requestId, approve));
		return 'ok' in result ? { done: t(approve ? 'org_join_approved_notice' : 'org_join_refused_notice') } : result;
	}
};
