import type { Role } from '../../roles.ts';
import { APPLICATION_STATUSES } from '../../domain.ts';
import { DomainError } from '../errors.ts';

/**
 * The one access policy: may this person do this action on this object now? Every service that
 * acts on money, decisions or reviews asks `assertMay` first, and pages render the flags that
 * `mayAll` returns for the same facts, so a page never offers what a service would refuse.
 *
 * Facts are how the person relates to the object (computed in `relations.ts`) and the object's
 * state. The rule of an action names the roles that may act (none: any signed-in person), the
 * relation the person needs, the relations that exclude them (conflicts of interest and
 * separation of duties) and the states in which the action exists.
 */
export const RELATIONS = [
	/** Applied, or a member of the applying organisation (the grantee side). */
	'grantee',
	/** The organisation's owner, or the resident who applied alone: who may accept or decline. */
	'grantee_owner',
	/** A declared standing tie to the applying organisation (board, work, family…). */
	'tied',
	/** Declared a conflict on this application earlier. */
	'declared_conflict',
	/** Took the decision that created the grant. */
	'approver',
	/** Holds a live review assignment on the application. */
	'assigned_reviewer',
	/** Gave the second approval of this payment. */
	'second_approver',
	/** Proposed this write-off. */
	'proposer'
] as const;
export type Relation = (typeof RELATIONS)[number];

/** Anyone with a stake in the applicant: never decides, pays, approves or reviews it. */
export const CONFLICTED: Relation[] = ['grantee', 'grantee_owner', 'tied', 'declared_conflict'];

interface Rule {
	/** The person must hold one of these roles; empty: any signed-in person (with `needs`). */
	roles: Role[];
	/** The person must have one of these relations. */
	needs?: Relation[];
	/** Any of these relations refuses the person. */
	excludes?: Relation[];
	/** The object's states in which the action exists. */
	states: readonly string[];
}

export const STAFF_ROLES: Role[] = ['officer', 'admin'];
const STAFF = STAFF_ROLES;
const APPLICATION_STATES = APPLICATION_STATUSES;
/** Statuses an application can have once it was sent (staff never see drafts). */
const SUBMITTED_STATES = APPLICATION_STATUSES.filter((s) => s !== 'draft');

/** Statuses in which the applicant side may still change an application. */
export const APPLICATION_EDITABLE = ['draft', 'needs_changes'] as const;

export const POLICY = {
	// Applications (state: the application's status)
	'application.edit': { roles: [], needs: ['grantee', 'grantee_owner'], states: APPLICATION_EDITABLE },
	'application.submit': { roles: [], needs: ['grantee', 'grantee_owner'], states: APPLICATION_EDITABLE },
	'application.withdraw': { roles: [], needs: ['grantee', 'grantee_owner'], states: ['draft', 'submitted', 'needs_changes', 'in_review'] },
	'application.message_staff': { roles: [], needs: ['grantee', 'grantee_owner'], states: APPLICATION_STATES },
	'application.screen': { roles: STAFF, excludes: CONFLICTED, states: ['submitted'] },
	'application.message_applicant': { roles: STAFF, excludes: CONFLICTED, states: SUBMITTED_STATES },
	'application.assign_reviewers': { roles: STAFF, excludes: CONFLICTED, states: ['in_review'] },
	'application.decide': { roles: STAFF, excludes: CONFLICTED, states: ['in_review'] },
	'application.reverse_decision': { roles: STAFF, excludes: CONFLICTED, states: ['approved', 'rejected'] },
	// Grants (state: the grant's status)
	'grant.accept': { roles: [], needs: ['grantee_owner'], states: ['offered'] },
	'grant.decline': { roles: [], needs: ['grantee_owner'], states: ['offered'] },
	'grant.change_payout': { roles: [], needs: ['grantee', 'grantee_owner'], states: ['active'] },
	'grant.confirm_payout': { roles: STAFF, excludes: CONFLICTED, states: ['active', 'completed'] },
	'grant.set_milestones': { roles: STAFF, excludes: CONFLICTED, states: ['offered'] },
	'grant.cancel': { roles: STAFF, excludes: CONFLICTED, states: ['offered', 'active'] },
	'grant.close': { roles: STAFF, excludes: CONFLICTED, states: ['completed'] },
	'grant.waive_tranche': { roles: STAFF, excludes: CONFLICTED, states: ['active', 'completed'] },
	'report.edit': { roles: [], needs: ['grantee', 'grantee_owner'], states: ['active'] },
	'report.review': { roles: STAFF, excludes: CONFLICTED, states: ['active', 'completed'] },
	// Payments (state: the tranche's status)
	'tranche.pay': { roles: ['finance'], excludes: [...CONFLICTED, 'approver', 'second_approver'], states: ['due'] },
	'tranche.approve_payment': { roles: ['finance'], excludes: [...CONFLICTED, 'approver'], states: ['due'] },
	'tranche.send': { roles: ['finance'], excludes: [...CONFLICTED, 'approver', 'second_approver'], states: ['processing'] },
	'tranche.record_failure': { roles: ['finance'], excludes: CONFLICTED, states: ['paid'] },
	// Money owed back (state: the grant's status)
	'repayment.record': { roles: ['finance'], excludes: CONFLICTED, states: ['active', 'completed', 'closed', 'cancelled'] },
	'write_off.propose': { roles: ['finance', 'officer'], excludes: CONFLICTED, states: ['completed', 'closed', 'cancelled'] },
	'write_off.confirm': { roles: ['finance', 'officer'], excludes: [...CONFLICTED, 'proposer'], states: ['proposed'] },
	// Reviews (state: the application's status)
	'review.work': { roles: ['reviewer'], needs: ['assigned_reviewer'], excludes: CONFLICTED, states: ['in_review'] },
	// Funds and organisations (state: the fund's status / always)
	'fund.edit': { roles: STAFF, states: ['active', 'closed'] },
	'fund.view_figures': { roles: ['officer', 'finance', 'admin'], states: ['active', 'closed'] },
	'organisation.verify': { roles: STAFF, excludes: ['grantee', 'grantee_owner'], states: ['unverified'] },
	'organisation.decide_join': { roles: STAFF, excludes: ['grantee', 'grantee_owner'], states: ['pending'] }
} satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

export interface Facts {
	relations: readonly Relation[];
	state: string;
}
export interface Person {
	id: string;
	roles: readonly Role[];
}

export type Verdict = { ok: true } | { ok: false; why: 'role' | 'relation' | 'conflict' | 'state'; relation?: Relation };

/** Whether the person holds a role the action needs (any role, when it needs none): lists gate their kinds by it. */
export function holdsRole(person: Person, action: Action): boolean {
	const rule: Rule = POLICY[action];
	return !rule.roles.length || rule.roles.some((r) => person.roles.includes(r));
}

/** The policy's answer, with the reason of a refusal. */
export function may(person: Person | null, action: Action, facts: Facts): Verdict {
	const rule: Rule = POLICY[action];
	if (!person) return { ok: false, why: 'role' };
	if (!holdsRole(person, action)) return { ok: false, why: 'role' };
	if (rule.needs && !rule.needs.some((r) => facts.relations.includes(r))) return { ok: false, why: 'relation' };
	const conflict = rule.excludes?.find((r) => facts.relations.includes(r));
	if (conflict) return { ok: false, why: 'conflict', relation: conflict };
	if (!rule.states.includes(facts.state)) return { ok: false, why: 'state' };
	return { ok: true };
}

const CONFLICT_MESSAGE: Partial<Record<Relation, string>> = {
	approver: 'error_separation_of_duties',
	second_approver: 'error_second_approval_other',
	proposer: 'error_write_off_other_person'
};

/**
 * The policy's refusal as a DomainError: no role or relation is "forbidden", a conflict of
 * interest or a separation of duties is "forbidden" with its own message, the wrong state is
 * "invalid_state". Services hide objects the person has no business with as "not found" before
 * they get here.
 */
export function assertMay(person: Person | null, action: Action, facts: Facts, stateMessage = 'error_transition_not_allowed') {
	const v = may(person, action, facts);
	if (v.ok) return;
	if (v.why === 'conflict') throw new DomainError('forbidden', CONFLICT_MESSAGE[v.relation!] ?? 'error_conflict_of_interest');
	if (v.why === 'state') throw new DomainError('invalid_state', stateMessage, undefined, { status: facts.state });
	throw new DomainError('forbidden', 'error_forbidden');
}

/** Which of `actions` the person may do, for pages to render (never a copied status list). */
export function mayAll<A extends Action>(person: Person | null, actions: readonly A[], facts: Facts): Record<A, boolean> {
	return Object.fromEntries(actions.map((a) => [a, may(person, a, facts).ok])) as Record<A, boolean>;
}
