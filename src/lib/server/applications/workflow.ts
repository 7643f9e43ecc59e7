import type { ApplicationStatus } from '../../domain.ts';
import { APPLICATION_EDITABLE, POLICY, STAFF_ROLES, type Action } from '../access/policy.ts';

/**
 * Who acts on an application: its applicant side (the person who started it, or a member of its
 * organisation) or staff (programme officers and admins).
 */
export type Party = 'applicant' | 'staff';

export interface Transition {
	action: string;
	/** The access policy's action: who may make this move, and from which statuses. */
	policy: Action;
	to: ApplicationStatus;
}

/**
 * Every move of an application and where it leads. Who may make it and from which statuses is
 * the access policy's answer (`policy.ts`), never a second list here. Anything not listed is refused.
 */
export const APPLICATION_WORKFLOW: Transition[] = [
	{ action: 'submit', policy: 'application.submit', to: 'submitted' },
	{ action: 'withdraw', policy: 'application.withdraw', to: 'withdrawn' },
	{ action: 'request_changes', policy: 'application.screen', to: 'needs_changes' },
	{ action: 'mark_eligible', policy: 'application.screen', to: 'in_review' },
	{ action: 'mark_ineligible', policy: 'application.screen', to: 'ineligible' },
	{ action: 'approve', policy: 'application.decide', to: 'approved' },
	{ action: 'reject', policy: 'application.decide', to: 'rejected' },
	// A decision is never edited: a mistaken one is reversed (audited, with a reason) and taken again.
	{ action: 'reverse_decision', policy: 'application.reverse_decision', to: 'in_review' }
];

export type ApplicationAction = (typeof APPLICATION_WORKFLOW)[number]['action'];

/** The transition `action`; an unknown action is a programming error. */
export function transition(action: string): Transition {
	const t = APPLICATION_WORKFLOW.find((x) => x.action === action);
	if (!t) throw new Error(`unknown application action ${action}`);
	return t;
}

/** The statuses a move starts from, and who makes it, as the policy states them. */
export function fromStates(t: Transition): readonly string[] {
	return POLICY[t.policy].states;
}
export function partyFor(t: Transition): Party {
	const roles: readonly string[] = POLICY[t.policy].roles;
	return roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r)) ? 'staff' : 'applicant';
}

/** Statuses in which the applicant may still edit the application. */
export const EDITABLE: readonly ApplicationStatus[] = APPLICATION_EDITABLE;
