import type { GrantStatus, ReportStatus } from '../../domain.ts';
import { DomainError } from '../errors.ts';

/** Who acts on a grant: the grantee (the applicant or a member of its organisation), or staff. */
export type GrantParty = 'grantee' | 'staff';

interface Move<S extends string> {
	action: string;
	from: S[];
	to: S;
	by: GrantParty | 'system';
}

/** Every allowed move of a grant. "system" moves happen inside another operation (the last report accepted). */
export const GRANT_WORKFLOW: Move<GrantStatus>[] = [
	{ action: 'accept', from: ['offered'], to: 'active', by: 'grantee' },
	{ action: 'decline', from: ['offered'], to: 'cancelled', by: 'grantee' },
	{ action: 'complete', from: ['active'], to: 'completed', by: 'system' },
	{ action: 'close', from: ['completed'], to: 'closed', by: 'staff' },
	{ action: 'cancel', from: ['offered', 'active'], to: 'cancelled', by: 'staff' }
];

/** Every allowed move of a milestone report. */
export const REPORT_WORKFLOW: Move<ReportStatus>[] = [
	{ action: 'submit', from: ['draft'], to: 'submitted', by: 'grantee' },
	{ action: 'resubmit', from: ['changes_requested'], to: 'submitted', by: 'grantee' },
	{ action: 'accept', from: ['submitted'], to: 'accepted', by: 'staff' },
	{ action: 'request_changes', from: ['submitted'], to: 'changes_requested', by: 'staff' }
];

/** The move for `action`, or a refusal: forbidden when only the other party may, else invalid_state. */
export function assertMove<S extends string>(table: Move<S>[], action: string, from: S, by: GrantParty | 'system'): Move<S> {
	const move = table.find((m) => m.action === action && m.by === by && m.from.includes(from));
	if (move) return move;
	const byOther = table.some((m) => m.action === action && m.from.includes(from));
	throw byOther ? new DomainError('forbidden', 'error_forbidden') : new DomainError('invalid_state', 'error_transition_not_allowed', undefined, { status: from });
}

/** Reports the grantee may still edit. */
export const REPORT_EDITABLE: ReportStatus[] = ['draft', 'changes_requested'];
