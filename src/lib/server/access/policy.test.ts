import { describe, expect, it } from 'vitest';
import { ACTIONS, assertMay, may, RELATIONS, type Action, type Relation } from './policy.ts';
import { APPLICATION_STATUSES, FUND_STATUSES, GRANT_STATUSES, TRANCHE_STATUSES } from '../../domain.ts';
import type { Role } from '../../roles.ts';
import { DomainError } from '../errors.ts';

/**
 * The access policy as a table: every action the policy lists × every combination of roles ×
 * every relationship × every state, checked against the rules below, written out by hand in
 * plain terms. An action added to the policy without a line here fails the first test.
 */
type Who = 'staff' | 'finance' | 'grantee' | 'grantee_owner' | 'assigned_reviewer' | 'finance_or_officer' | 'money_readers';
const CONFLICTS: Relation[] = ['grantee', 'grantee_owner', 'tied', 'declared_conflict'];
const EXPECTED: Record<Action, { who: Who; never: Relation[]; states: string[] }> = {
	'application.edit': { who: 'grantee', never: [], states: ['draft', 'needs_changes'] },
	'application.submit': { who: 'grantee', never: [], states: ['draft', 'needs_changes'] },
	'application.withdraw': { who: 'grantee', never: [], states: ['draft', 'submitted', 'needs_changes', 'in_review'] },
	'application.message_staff': { who: 'grantee', never: [], states: ['draft', 'submitted', 'needs_changes', 'in_review', 'approved', 'rejected', 'ineligible', 'withdrawn'] },
	'application.screen': { who: 'staff', never: CONFLICTS, states: ['submitted'] },
	'application.message_applicant': { who: 'staff', never: CONFLICTS, states: ['submitted', 'needs_changes', 'in_review', 'approved', 'rejected', 'ineligible', 'withdrawn'] },
	'application.assign_reviewers': { who: 'staff', never: CONFLICTS, states: ['in_review'] },
	'application.decide': { who: 'staff', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['in_review'] },
	'application.reverse_decision': { who: 'staff', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['approved', 'rejected'] },
	'grant.accept': { who: 'grantee_owner', never: [], states: ['offered'] },
	'grant.decline': { who: 'grantee_owner', never: [], states: ['offered'] },
	'grant.change_payout': { who: 'grantee', never: [], states: ['active'] },
	'grant.confirm_payout': { who: 'staff', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['active', 'completed'] },
	'grant.set_milestones': { who: 'staff', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['offered'] },
	'grant.cancel': { who: 'staff', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['offered', 'active'] },
	'grant.close': { who: 'staff', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['completed'] },
	'grant.waive_tranche': { who: 'staff', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['active', 'completed'] },
	'report.edit': { who: 'grantee', never: [], states: ['active'] },
	'report.review': { who: 'staff', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['active', 'completed'] },
	'tranche.pay': { who: 'finance', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict', 'approver', 'second_approver'], states: ['due'] },
	'tranche.approve_payment': { who: 'finance', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict', 'approver'], states: ['due'] },
	'tranche.send': { who: 'finance', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict', 'approver', 'second_approver'], states: ['processing'] },
	'tranche.record_failure': { who: 'finance', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['paid'] },
	'repayment.record': { who: 'finance', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['active', 'completed', 'closed', 'cancelled'] },
	'write_off.propose': { who: 'finance_or_officer', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['completed', 'closed', 'cancelled'] },
	'write_off.confirm': { who: 'finance_or_officer', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict', 'proposer'], states: ['proposed'] },
	'review.work': { who: 'assigned_reviewer', never: ['grantee', 'grantee_owner', 'tied', 'declared_conflict'], states: ['in_review'] },
	'fund.edit': { who: 'staff', never: [], states: ['active', 'closed'] },
	'fund.view_figures': { who: 'money_readers', never: [], states: ['active', 'closed'] },
	'organisation.verify': { who: 'staff', never: ['grantee', 'grantee_owner'], states: ['unverified'] },
	'organisation.decide_join': { who: 'staff', never: ['grantee', 'grantee_owner'], states: ['pending'] }
};

const ROLE_SETS: Role[][] = [[], ['reviewer'], ['officer'], ['finance'], ['admin'], ['officer', 'finance'], ['reviewer', 'finance']];
const RELATION_SETS: Relation[][] = [[], ...RELATIONS.map((r) => [r]), ['grantee', 'grantee_owner'], ['assigned_reviewer', 'tied'], ['assigned_reviewer', 'declared_conflict']];
const STATES = [...new Set<string>([...APPLICATION_STATUSES, ...GRANT_STATUSES, ...TRANCHE_STATUSES, ...FUND_STATUSES, 'proposed', 'confirmed', 'withdrawn', 'verified', 'unverified', 'pending', 'refused'])];

function expected(action: Action, roles: Role[], relations: Relation[], state: string): boolean {
	const e = EXPECTED[action];
	const has = (r: Role) => roles.includes(r);
	const rel = (r: Relation) => relations.includes(r);
	const who = {
		staff: has('officer') || has('admin'),
		finance: has('finance'),
		finance_or_officer: has('finance') || has('officer'),
		money_readers: has('officer') || has('finance') || has('admin'),
		grantee: rel('grantee') || rel('grantee_owner'),
		grantee_owner: rel('grantee_owner'),
		assigned_reviewer: has('reviewer') && rel('assigned_reviewer')
	}[e.who];
	return who && !e.never.some(rel) && e.states.includes(state);
}

describe('the access policy', () => {
	it('has a rule written out here for every action it knows', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
	});

	for (const action of ACTIONS) {
		it(`${action}: every role × relationship × state`, () => {
			const wrong: string[] = [];
			let allowed = 0;
			for (const roles of ROLE_SETS)
				for (const relations of RELATION_SETS)
					for (const state of STATES) {
						const got = may({ id: 'p', roles }, action, { relations, state }).ok;
						if (got) allowed++;
						if (got !== expected(action, roles, relations, state)) wrong.push(`${roles.join('+') || 'applicant'} / ${relations.join('+') || 'none'} / ${state}: ${got ? 'allowed' : 'refused'}`);
					}
			expect(wrong).toEqual([]);
			// Every action is possible for someone, somewhere.
			expect(allowed).toBeGreaterThan(0);
		});
	}

	it('refuses nobody signed in, and explains each refusal with its own error', () => {
		for (const action of ACTIONS) expect(may(null, action, { relations: [], state: EXPECTED[action].states[0] }).ok).toBe(false);
		const codeOf = (f: () => void) => {
			try {
				f();
				return 'ok';
			} catch (e) {
				return e instanceof DomainError ? `${e.code}:${e.messageKey}` : 'other';
			}
		};
		const fin = { id: 'f', roles: ['finance'] as Role[] };
		expect(codeOf(() => assertMay(fin, 'tranche.pay', { relations: ['approver'], state: 'due' }))).toBe('forbidden:error_separation_of_duties');
		expect(codeOf(() => assertMay(fin, 'tranche.pay', { relations: ['second_approver'], state: 'due' }))).toBe('forbidden:error_second_approval_other');
		expect(codeOf(() => assertMay(fin, 'tranche.pay', { relations: ['grantee'], state: 'due' }))).toBe('forbidden:error_conflict_of_interest');
		expect(codeOf(() => assertMay(fin, 'tranche.pay', { relations: [], state: 'paid' }, 'error_tranche_not_due'))).toBe('invalid_state:error_tranche_not_due');
		expect(codeOf(() => assertMay({ id: 'o', roles: ['officer'] }, 'tranche.pay', { relations: [], state: 'due' }))).toBe('forbidden:error_forbidden');
		expect(codeOf(() => assertMay(fin, 'tranche.pay', { relations: [], state: 'due' }))).toBe('ok');
	});
});
