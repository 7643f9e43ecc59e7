import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt, field, readForm } from '#lib/server/forms.ts';
import { getApplication, postMessage, screenApplication, type ScreeningOutcome } from '#lib/server/applications/service.ts';
import { assignmentsOf, assignReviewer, reviewerPool, unassignReviewer } from '#lib/server/reviews/assignment.ts';
import { reverseDecision } from '#lib/server/decisions/service.ts';
import { mayVerifyOrganisation, verifyOrganisation } from '#lib/server/organisations/service.ts';
import { t } from '#lib/i18n.ts';
import { DomainError } from '#lib/server/errors.ts';
import type { Actions, PageServerLoad } from './$types';
import { pageQ, readQuery } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'officer', 'admin');
	const id = Number(event.params.id);
	const result = await attempt({}, () => getApplication(ctx, id, readQuery(event.url, { messages: pageQ, history: pageQ })));
	if (!('ok' in result)) return { view: null, assignments: [], pool: [], mayVerify: false };
	const org = result.value.organisation;
	const [assignments, pool, mayVerify] = await Promise.all([assignmentsOf(ctx, id), reviewerPool(ctx, result.value.call.id), org ? mayVerifyOrganisation(ctx, org.id) : false]);
	return { view: result.value, assignments, pool: [...pool.pool, ...pool.candidates], mayVerify };
};

const OUTCOMES = ['mark_eligible', 'mark_ineligible', 'request_changes'] as const satisfies readonly ScreeningOutcome[];

export const actions: Actions = {
	verify: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const result = await attempt({}, async () => {
			const { organisation } = await getApplication(ctx, Number(event.params.id));
			if (!organisation) throw new DomainError('invalid_state', 'error_org_no_number');
			await verifyOrganisation(ctx, organisation.id);
		});
		return 'ok' in result ? { done: t('org_verified_notice') } : result;
	},
	screen: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { outcome: field.choice(OUTCOMES), message: field.text(10_000) });
		if (!('ok' in form)) return form;
		const { outcome, message } = form.data;
		const result = await attempt({ message, outcome }, () => screenApplication(ctx, Number(event.params.id), outcome, message));
		return 'ok' in result ? { done: t(`screened_${outcome}`) } : result;
	},
	assign: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { reviewerId: field.text(100) });
		if (!('ok' in form)) return form;
		const { reviewerId } = form.data;
		const result = await attempt({ reviewerId }, () => assignReviewer(ctx, Number(event.params.id), reviewerId));
		return 'ok' in result ? { done: t('review_assigned_notice') } : result;
	},
	unassign: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { assignmentId: field.text(100) });
		if (!('ok' in form)) return form;
		const { assignmentId } = form.data;
		const result = await attempt({}, () => unassignReviewer(ctx, assignmentId));
		return 'ok' in result ? { done: t('review_unassigned_notice') } : result;
	},
	reverse: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { reverseReason: field.text(10_000) });
		if (!('ok' in form)) return form;
		const { reverseReason } = form.data;
		const result = await attempt({ reverseReason }, () => reverseDecision(ctx, Number(event.params.id), reverseReason));
		return 'ok' in result ? { done: t('decision_reversed_notice') } : result;
	},
	message: async (event) => {
		const ctx = requireRole(event, 'officer', 'admin');
		const form = await readForm(event, { body: field.text(10_000), visibility: field.choice(['applicant', 'internal'], 'applicant') });
		if (!('ok' in form)) return form;
		const { body, visibility } = form.data;
		const result = await attempt({ body }, () => postMessage(ctx, Number(event.params.id), body, visibility));
		return 'ok' in result ? { done: t('message_sent') } : result;
	}
};
