// Domain vocabularies shared by server and pages (no server code here).

export const ORGANISATION_KINDS = ['association', 'school', 'informal_group'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Who may apply to a call: an organisation of some kind, or a resident on their own. */
export const APPLICANT_KINDS = [...ORGANISATION_KINDS, 'individual'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

export const CURRENCIES = ['SEK', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const FUND_STATUSES = ['active', 'closed'] as const;
export const CALL_STATUSES = ['draft', 'published'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const APPLICATION_STATUSES = ['draft', 'submitted', 'needs_changes', 'in_review', 'approved', 'rejected', 'ineligible', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const BUDGET_CATEGORIES = ['materials', 'venue', 'food', 'fees', 'travel', 'communication', 'other'] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number];

export const TARGET_GROUPS = ['children', 'youth', 'adults', 'seniors', 'families', 'newcomers', 'women', 'everyone'] as const;

/** A tranche is paid when the offer is accepted, when a given milestone's report is accepted, or after the final report. */
export const PAYMENT_TRIGGERS = ['acceptance', 'milestone', 'final_report'] as const;
export type PaymentTrigger = (typeof PAYMENT_TRIGGERS)[number];
export interface PaymentStep {
	percent: number;
	trigger: PaymentTrigger;
	/** For 'milestone': the position (0-based) of the milestone in the call's milestone template. */
	milestone?: number;
}

export const TRANCHE_STATUSES = ['scheduled', 'due', 'processing', 'paid', 'cancelled', 'waived'] as const;
export type TrancheStatus = (typeof TRANCHE_STATUSES)[number];

export const MESSAGE_VISIBILITIES = ['applicant', 'internal'] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

/** Character limits applicants see before they start, and the server enforces. */
export const LIMITS = {
	title: 120,
	summary: 500,
	description: 6000,
	partners: 1000,
	budgetItem: 120,
	budgetLines: 30,
	message: 4000,
	attachmentBytes: 10 * 1024 * 1024,
	applicationBytes: 25 * 1024 * 1024,
	attachments: 10,
	reportBytes: 25 * 1024 * 1024,
	/** Money in minor units: 10¹² (ten billion kronor or euro) is more than any fund. */
	money: 1_000_000_000_000,
	/** People, participants, volunteers: counts up to ten million. */
	count: 10_000_000
} as const;

/** A whole amount of money in minor units from 0 to LIMITS.money (the one bound on money input). */
export const isMoney = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= LIMITS.money;
/** A whole count from 0 to LIMITS.count (the one bound on counts). */
export const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= LIMITS.count;

export const TIE_KINDS = ['member', 'board', 'employee', 'family', 'other'] as const;
export type TieKind = (typeof TIE_KINDS)[number];

export const RECOMMENDATIONS = ['fund', 'fund_with_changes', 'do_not_fund'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

/** Spread (0–100 points) between reviewers' weighted scores above which staff are warned. */
export const DISAGREEMENT_THRESHOLD = 25;

export const GRANT_STATUSES = ['offered', 'active', 'completed', 'closed', 'cancelled'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

export const REPORT_STATUSES = ['draft', 'submitted', 'changes_requested', 'accepted'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const PAYOUT_KINDS = ['iban', 'bankgiro', 'plusgiro'] as const;
export type PayoutKind = (typeof PAYOUT_KINDS)[number];
/** Where a grant can be paid: the bank kinds a grantee types in, or a Stripe connected account (onboarded through Stripe). */
export const PAYOUT_ACCOUNT_KINDS = [...PAYOUT_KINDS, 'stripe'] as const;
export type PayoutAccountKind = (typeof PAYOUT_ACCOUNT_KINDS)[number];
