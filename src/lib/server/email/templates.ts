import * as m from '../../paraglide/messages.js';
import type { Locale } from '../db/schema/index.ts';
import { formatMoneyIn, INTL_LOCALE } from '../../money.ts';
import { TODO_LABELS, type TodoKind } from '../../todo.ts';

export interface RenderedEmail {
	subject: string;
	text: string;
	html: string;
}

interface Parts {
	subject: string;
	greeting: string;
	paragraphs: string[];
	action?: { label: string; url: string };
	footer?: string;
}

/** A calendar day (YYYY-MM-DD) as the reader writes it, e.g. "14 March 2027" / "14 mars 2027". */
const dayIn = (locale: Locale, day: string) =>
	/^\d{4}-\d{2}-\d{2}$/.test(day) ? new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`)) : day;

const escapeHtml = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plain text plus simple, accessible HTML from the same parts. */
function render(parts: Parts, locale: Locale, municipality: string): RenderedEmail {
	const sign = m.email_signature({ municipality }, { locale });
	const text = [
		parts.greeting,
		'',
		...parts.paragraphs.flatMap((p) => [p, '']),
		...(parts.action ? [`${parts.action.label}:`, parts.action.url, ''] : []),
		...(parts.footer ? [parts.footer, ''] : []),
		sign
	].join('\n');
	const html = `<!doctype html><html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>
<body style="font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b; max-width: 40em;">
<p>${escapeHtml(parts.greeting)}</p>
${parts.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${parts.action ? `<p><a href="${escapeHtml(parts.action.url)}" style="color: #0b5394; font-weight: bold;">${escapeHtml(parts.action.label)}</a></p><p style="font-size: 14px;">${escapeHtml(parts.action.url)}</p>` : ''}
${parts.footer ? `<p style="font-size: 14px;">${escapeHtml(parts.footer)}</p>` : ''}
<p>${escapeHtml(sign)}</p>
</body></html>`;
	return { subject: parts.subject, text, html };
}

export type EmailTemplate =
	| { template: 'verify-email'; params: { name: string; url: string } }
	| { template: 'account-exists' | 'email-in-use'; params: { name: string; signInUrl: string; resetUrl: string } }
	| { template: 'reset-password'; params: { name: string; url: string; minutes: number } }
	| { template: 'password-changed'; params: { name: string } }
	| { template: 'confirm-new-email'; params: { name: string; url: string; newEmail: string } }
	| { template: 'email-change-requested'; params: { name: string; newEmail: string } }
	| { template: 'roles-changed'; params: { name: string } }
	| { template: 'organisation-invitation'; params: { inviter: string; organisation: string; url: string } }
	| { template: 'application-submitted'; params: ApplicationParams & { call: string; days: number } }
	| { template: 'application-changes-requested'; params: ApplicationParams & { message: string } }
	| { template: 'application-ineligible'; params: ApplicationParams & { message: string } }
	| { template: 'application-in-review'; params: ApplicationParams & { message: string } }
	| { template: 'application-message'; params: ApplicationParams & { message: string } }
	| { template: 'application-approved'; params: ApplicationParams & { amount: number; currency: string; conditions: string } }
	| { template: 'application-rejected'; params: ApplicationParams & { message: string } }
	| { template: 'application-resubmitted'; params: ApplicationParams }
	| { template: 'grant-cancelled' | 'payout-changed' | 'report-accepted' | 'report-changes-requested' | 'milestone-due-soon' | 'milestone-overdue'; params: ApplicationParams & { message: string } }
	| { template: 'payment-sent' | 'payment-failed' | 'money-owed-back' | 'grant-closed'; params: ApplicationParams & { amount: number; currency: string } }
	| { template: 'review-assigned' | 'review-due-soon' | 'review-overdue'; params: { name: string; number: number; url: string; due: string } }
	| { template: 'todo-digest'; params: { name: string; groups: { kind: TodoKind; total: number }[]; url: string } };

interface ApplicationParams {
	name: string;
	title: string;
	number: number;
	url: string;
}

export function renderEmail(t: EmailTemplate, locale: Locale, municipality: string): RenderedEmail {
	const o = { locale };
	const hi = m.email_greeting({ name: 'name' in t.params ? t.params.name : '' }, o);
	switch (t.template) {
		case 'verify-email':
			return render(
				{
					subject: m.email_verify_subject({}, o),
					greeting: hi,
					paragraphs: [m.email_verify_body({}, o)],
					action: { label: m.email_verify_action({}, o), url: t.params.url },
					footer: m.email_not_you({}, o)
				},
				locale,
				municipality
			);
		case 'account-exists':
		case 'email-in-use': {
			const exists = t.template === 'account-exists';
			return render(
				{
					subject: exists ? m.email_account_exists_subject({}, o) : m.email_in_use_subject({}, o),
					greeting: hi,
					paragraphs: [exists ? m.email_account_exists_body({}, o) : m.email_in_use_body({}, o), `${m.email_sign_in_here({}, o)}: ${t.params.signInUrl}`],
					action: { label: m.email_reset_action({}, o), url: t.params.resetUrl },
					footer: m.email_not_you({}, o)
				},
				locale,
				municipality
			);
		}
		case 'reset-password':
			return render(
				{
					subject: m.email_reset_subject({}, o),
					greeting: hi,
					paragraphs: [m.email_reset_body({ minutes: t.params.minutes }, o)],
					action: { label: m.email_reset_action({}, o), url: t.params.url },
					footer: m.email_not_you({}, o)
				},
				locale,
				municipality
			);
		case 'password-changed':
			return render(
				{ subject: m.email_password_changed_subject({}, o), greeting: hi, paragraphs: [m.email_password_changed_body({}, o)] },
				locale,
				municipality
			);
		case 'confirm-new-email':
			return render(
				{
					subject: m.email_confirm_new_subject({}, o),
					greeting: hi,
					paragraphs: [m.email_confirm_new_body({ email: t.params.newEmail }, o)],
					action: { label: m.email_confirm_new_action({}, o), url: t.params.url },
					footer: m.email_not_you({}, o)
				},
				locale,
				municipality
			);
		case 'email-change-requested':
			return render(
				{
					subject: m.email_change_requested_subject({}, o),
					greeting: hi,
					paragraphs: [m.email_change_requested_body({ email: t.params.newEmail }, o)]
				},
				locale,
				municipality
			);
		case 'organisation-invitation':
			return render(
				{
					subject: m.email_invitation_subject({ organisation: t.params.organisation }, o),
					greeting: m.email_greeting_plain({}, o),
					paragraphs: [m.email_invitation_body({ inviter: t.params.inviter, organisation: t.params.organisation }, o)],
					action: { label: m.email_invitation_action({}, o), url: t.params.url },
					footer: m.email_not_you({}, o)
				},
				locale,
				municipality
			);
		case 'application-submitted':
			return render(
				{
					subject: m.email_submitted_subject({ number: t.params.number }, o),
					greeting: hi,
					paragraphs: [
						m.email_submitted_body({ title: t.params.title, call: t.params.call, number: t.params.number }, o),
						m.email_submitted_next({ days: t.params.days }, o)
					],
					action: { label: m.email_open_application({}, o), url: t.params.url }
				},
				locale,
				municipality
			);
		case 'application-changes-requested':
		case 'application-ineligible':
		case 'application-in-review':
		case 'application-message': {
			const texts = {
				'application-changes-requested': [m.email_changes_subject, m.email_changes_body],
				'application-ineligible': [m.email_ineligible_subject, m.email_ineligible_body],
				'application-in-review': [m.email_in_review_subject, m.email_in_review_body],
				'application-message': [m.email_message_subject, m.email_message_body]
			}[t.template];
			return render(
				{
					subject: texts[0]({ title: t.params.title, number: t.params.number }, o),
					greeting: hi,
					paragraphs: [texts[1]({ title: t.params.title, number: t.params.number }, o), ...(t.params.message ? [`“${t.params.message}”`] : [])],
					action: { label: m.email_open_application({}, o), url: t.params.url }
				},
				locale,
				municipality
			);
		}
		case 'payment-sent':
		case 'payment-failed':
		case 'money-owed-back':
		case 'grant-closed': {
			const amount = formatMoneyIn(locale, t.params.amount, t.params.currency);
			const title = t.params.title;
			const parts: Record<typeof t.template, [string, string[]]> = {
				'payment-sent': [m.email_payment_sent_subject({ number: t.params.number }, o), [m.email_payment_sent_body({ title, amount }, o)]],
				'payment-failed': [m.email_payment_failed_subject({ number: t.params.number }, o), [m.email_payment_failed_body({ title, amount }, o)]],
				'money-owed-back': [m.email_owed_subject({ title }, o), [m.email_owed_body({ title, amount }, o)]],
				// A closed grant names what is still owed back (amount), if anything.
				'grant-closed': [m.email_closed_subject({ title }, o), [m.email_closed_body({ title }, o), ...(t.params.amount > 0 ? [m.email_closed_owed({ amount }, o)] : [])]]
			};
			const [subject, paragraphs] = parts[t.template];
			return render({ subject, greeting: hi, paragraphs, action: { label: m.email_open_grant({}, o), url: t.params.url } }, locale, municipality);
		}
		case 'application-resubmitted':
			return render(
				{
					subject: m.email_resubmitted_subject({ number: t.params.number }, o),
					greeting: hi,
					paragraphs: [m.email_resubmitted_body({ title: t.params.title }, o)],
					action: { label: m.email_open_application({}, o), url: t.params.url }
				},
				locale,
				municipality
			);
		case 'grant-cancelled':
		case 'payout-changed':
		case 'report-accepted':
		case 'report-changes-requested':
		case 'milestone-due-soon':
		case 'milestone-overdue': {
			const [subject, body] = {
				'grant-cancelled': [m.email_grant_cancelled_subject, m.email_grant_cancelled_body],
				'payout-changed': [m.email_payout_changed_subject, m.email_payout_changed_body],
				'report-accepted': [m.email_report_accepted_subject, m.email_report_accepted_body],
				'report-changes-requested': [m.email_report_changes_subject, m.email_report_changes_body],
				'milestone-due-soon': [m.email_milestone_soon_subject, m.email_milestone_soon_body],
				'milestone-overdue': [m.email_milestone_overdue_subject, m.email_milestone_overdue_body]
			}[t.template];
			return render(
				{
					subject: subject({ title: t.params.title, number: t.params.number }, o),
					greeting: hi,
					paragraphs: [body({ title: t.params.title, number: t.params.number }, o), ...(t.params.message ? [`“${t.params.message}”`] : [])],
					action: { label: m.email_open_grant({}, o), url: t.params.url }
				},
				locale,
				municipality
			);
		}
		case 'application-approved': {
			const amount = formatMoneyIn(locale, t.params.amount, t.params.currency);
			return render(
				{
					subject: m.email_approved_subject({ number: t.params.number }, o),
					greeting: hi,
					paragraphs: [
						m.email_approved_body({ title: t.params.title, amount }, o),
						...(t.params.conditions ? [m.email_approved_conditions({}, o), `“${t.params.conditions}”`] : []),
						m.email_approved_next({}, o)
					],
					action: { label: m.email_open_offer({}, o), url: t.params.url }
				},
				locale,
				municipality
			);
		}
		case 'application-rejected':
			return render(
				{
					subject: m.email_rejected_subject({ number: t.params.number }, o),
					greeting: hi,
					paragraphs: [m.email_rejected_body({ title: t.params.title }, o), `“${t.params.message}”`, m.email_rejected_next({}, o)],
					action: { label: m.email_open_application({}, o), url: t.params.url }
				},
				locale,
				municipality
			);
		case 'review-assigned':
		case 'review-due-soon':
		case 'review-overdue': {
			const [subject, body] = {
				'review-assigned': [m.email_review_assigned_subject, m.email_review_assigned_body],
				'review-due-soon': [m.email_review_soon_subject, m.email_review_soon_body],
				'review-overdue': [m.email_review_overdue_subject, m.email_review_overdue_body]
			}[t.template];
			return render(
				{
					subject: subject({ number: t.params.number, due: dayIn(locale, t.params.due) }, o),
					greeting: hi,
					paragraphs: [body({ number: t.params.number, due: dayIn(locale, t.params.due) }, o)],
					action: { label: m.email_review_open({}, o), url: t.params.url }
				},
				locale,
				municipality
			);
		}
		case 'todo-digest': {
			const count = t.params.groups.reduce((n, g) => n + g.total, 0);
			return render(
				{
					subject: m.email_todo_subject({ count }, o),
					greeting: hi,
					paragraphs: [m.email_todo_body({}, o), ...t.params.groups.map((g) => `${TODO_LABELS[g.kind]({}, o)}: ${g.total}`)],
					action: { label: m.email_todo_open({}, o), url: t.params.url },
					footer: m.email_todo_footer({}, o)
				},
				locale,
				municipality
			);
		}
		case 'roles-changed':
			return render(
				{ subject: m.email_roles_changed_subject({}, o), greeting: hi, paragraphs: [m.email_roles_changed_body({}, o)] },
				locale,
				municipality
			);
	}
}
