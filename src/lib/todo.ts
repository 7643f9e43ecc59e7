import { m } from './paraglide/messages.js';
import type { Locale } from './roles.ts';

/** What each kind of to-do is called, on the to-do page and in the daily digest. */
export const TODO_LABELS = {
	screen: m.todo_kind_screen,
	reports: m.todo_kind_reports,
	payout: m.todo_kind_payout,
	assign: m.todo_kind_assign,
	overdue: m.todo_kind_overdue,
	reviews: m.todo_kind_reviews,
	payments: m.todo_kind_payments,
	second_approvals: m.todo_kind_second_approvals,
	write_offs: m.todo_kind_write_offs,
	changes: m.todo_kind_changes,
	offers: m.todo_kind_offers,
	reports_due: m.todo_kind_reports_due,
	drafts: m.todo_kind_drafts
} satisfies Record<string, (p?: object, o?: { locale?: Locale }) => string>;
export type TodoKind = keyof typeof TODO_LABELS;

/** How the header and Home show the count: past 99 as "99+" (each kind is counted only so far). */
export const todoBadge = (n: number) => (n > 99 ? '99+' : String(n));
