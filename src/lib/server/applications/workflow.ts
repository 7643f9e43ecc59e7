import type { ApplicationStatus } from '../../domain.ts';
import { DomainError } from '../errors.ts';

/**
 * Who acts on an application: its applicant side (the person who started it, or a member of its
 * organisation) or staff (programme officers and admins).
 */
export type Party = 'applicant' | 'staff';

export interface Transition {
	action: string;
	from: ApplicationStatus[];
	to: ApplicationStatus;
	by: Party;
}

/** Every allowed move of an application. Anything not listed here is refused. */
export const APPLICATION_WORKFLOW: Transition[] = [
	{ action: 'submit', from: ['draft'], to: 'submitted', by: 'applicant' },
	{ action: 'resubmit', from: ['needs_changes'], to: 'submitted', by: 'applicant' },
	{ action: 'withdraw', from: ['draft', 'submitted', 'needs_changes', 'in_review'], to: 'withdrawn', by: 'applicant' },
	{ action: 'request_changes', from: ['submitted'], to: 'needs_changes', by: 'staff' },
	{ action: 'mark_eligible', from: ['submitted'], to: 'in_review', by: 'staff' },
	{ action: 'mark_ineligible', from: ['submitted'], to: 'ineligible', by: 'staff' },
	{ action: 'approve', from: ['in_review'], to: 'approved', by: 'staff' },
	{ action: 'reject', from: ['in_review'], to: 'rejected', by: 'staff' },
	// A decision is never edited: a mistaken one is reversed (audited, with a reason) and taken again.
	{ action: 'reverse_decision', from: ['approved', 'rejected'], to: 'in_review', by: 'staff' }
];

export type ApplicationAction = (typeof APPLICATION_WORKFLOW)[number]['action'];

export function findTransition(action: string, from: ApplicationStatus, by: Party): Transition | null {
	return APPLICATION_WORKFLOW.find((t) => t.action === action && t.by === by && t.from.includes(from)) ?? null;
}

/** The transition for `action`, or a refusal explaining that it cannot happen now. Refuses: invalid_state, forbidden. */
export function assertTransition(action: string, from: ApplicationStatus, by: Party): Transition {
	const t = findTransition(action, from, by);
	if (t) return t;
	const byOther = APPLICATION_WORKFLOW.some((x) => x.action === action && x.from.includes(from));
	throw byOther ? new DomainError('forbidden', 'error_forbidden') : new DomainError('invalid_state', 'error_transition_not_allowed', undefined, { status: from });
}

/** Statuses in which the applicant may still edit the application. */
export const EDITABLE: ApplicationStatus[] = ['draft', 'needs_changes'];
