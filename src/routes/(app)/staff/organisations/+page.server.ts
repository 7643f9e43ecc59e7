import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, text } from '#lib/server/forms.ts';
import { decideJoinRequest, listJoinRequests } from '#lib/server/organisations/service.ts';
import { t } from '#lib/i18n.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ requests: await listJoinRequests(requireRole(event, 'officer', 'admin')) });

export const actions: Actions = {
	default: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const fd = await event.request.formData();
		const approve = text(fd, 'decision', 10) === 'approve';
		const result = await attempt({}, () => decideJoinRequest(ctx, text(fd, 'requestId', 60), approve));
		return 'ok' in result ? { done: t(approve ? 'org_join_approved_notice' : 'org_join_refused_notice') } : result;
	}
};
