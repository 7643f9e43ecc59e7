import { APPLICANT_KINDS, PAYMENT_TRIGGERS, type ApplicantKind, type PaymentTrigger } from '../../domain.ts';
import { moneyInputValue, parseMoney } from '../../money.ts';
import { field, text, texts, type FormValues } from '../form-read.ts';
import { utcToZoned, zonedToUtc } from '../time.ts';
import { DomainError } from '../errors.ts';
import type { CallInput } from './service.ts';
import { LOCALES, type Locale } from '../../roles.ts';

/** The call form's fields as typed (strings), to show again after a refusal. */
export type CallFormValues = ReturnType<typeof callFormValues>;

/** The call form's fields and their bounds. */
export const CALL_FORM = {
	title: field.text(300),
	description: field.text(25_000),
	opensAt: field.text(20),
	closesAt: field.text(20),
	minAmount: field.text(30),
	maxAmount: field.text(30),
	eligibleKinds: field.texts(30, 10),
	reviewersPerApplication: field.text(5),
	decisionDays: field.text(5),
	reviewDays: field.text(5),
	hideIdentity: field.text(5),
	language: field.text(5),
	termsEn: field.text(25_000),
	termsSv: field.text(25_000),
	termsNl: field.text(25_000),
	milestoneTitle: field.texts(300, 30),
	milestoneMonths: field.texts(5, 30),
	stepPercent: field.texts(5, 30),
	stepTrigger: field.texts(20, 30),
	criterionName: field.texts(200, 30),
	criterionGuidance: field.texts(2000, 30),
	criterionWeight: field.texts(5, 30),
	criterionScale: field.texts(5, 30)
};

export function callFormValues(fd: FormValues) {
	return {
		title: text(fd, 'title', 300),
		description: text(fd, 'description', 25_000),
		opensAt: text(fd, 'opensAt', 20),
		closesAt: text(fd, 'closesAt', 20),
		minAmount: text(fd, 'minAmount', 30),
		maxAmount: text(fd, 'maxAmount', 30),
		eligibleKinds: texts(fd, 'eligibleKinds', 30),
		reviewersPerApplication: text(fd, 'reviewersPerApplication', 5),
		decisionDays: text(fd, 'decisionDays', 5),
		reviewDays: text(fd, 'reviewDays', 5),
		hideIdentity: fd.get('hideIdentity') === 'on' ? 'on' : '',
		language: text(fd, 'language', 5),
		termsEn: text(fd, 'termsEn', 25_000),
		termsSv: text(fd, 'termsSv', 25_000),
		termsNl: text(fd, 'termsNl', 25_000),
		milestoneTitle: texts(fd, 'milestoneTitle', 300),
		milestoneMonths: texts(fd, 'milestoneMonths', 5),
		stepPercent: texts(fd, 'stepPercent', 5),
		stepTrigger: texts(fd, 'stepTrigger', 20),
		criterionName: texts(fd, 'criterionName', 200),
		criterionGuidance: texts(fd, 'criterionGuidance', 2000),
		criterionWeight: texts(fd, 'criterionWeight', 5),
		criterionScale: texts(fd, 'criterionScale', 5)
	};
}

const int = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN);

/** Turns typed values into a CallInput; a value that cannot be read is refused with its field. */
export function parseCallForm(v: CallFormValues, timeZone: string): CallInput {
	const opensAt = zonedToUtc(v.opensAt, timeZone);
	if (!opensAt) throw new DomainError('invalid', 'error_date', 'opensAt');
	const closesAt = v.closesAt.trim() ? zonedToUtc(v.closesAt, timeZone) : null;
	if (v.closesAt.trim() && !closesAt) throw new DomainError('invalid', 'error_date', 'closesAt');
	const minAmount = parseMoney(v.minAmount);
	if (minAmount === null) throw new DomainError('invalid', 'error_amount_positive', 'minAmount');
	const maxAmount = parseMoney(v.maxAmount);
	if (maxAmount === null) throw new DomainError('invalid', 'error_amount_positive', 'maxAmount');
	const paymentTemplate = v.stepPercent
		.map((p, i) => ({ percent: int(p), trigger: v.stepTrigger[i] as PaymentTrigger, blank: !p.trim() }))
		.filter((s) => !s.blank)
		.map(({ percent, trigger }) => {
			// "milestone:N" ties the step to the accepted report of milestone N (0-based) of the template.
			const m = /^milestone:(\d{1,2})$/.exec(trigger);
			if (m) return { percent, trigger: 'milestone' as const, milestone: Number(m[1]) };
			return { percent, trigger: PAYMENT_TRIGGERS.includes(trigger) && trigger !== 'milestone' ? trigger : ('acceptance' as const) };
		});
	const criteria = v.criterionName
		.map((name, i) => ({ name, guidance: v.criterionGuidance[i] ?? '', weight: int(v.criterionWeight[i] ?? ''), scaleMax: int(v.criterionScale[i] ?? '') }))
		.filter((c) => c.name.trim() || c.guidance.trim());
	return {
		title: v.title,
		description: v.description,
		opensAt,
		closesAt,
		minAmount,
		maxAmount,
		eligibleKinds: v.eligibleKinds.filter((k): k is ApplicantKind => (APPLICANT_KINDS as readonly string[]).includes(k)),
		reviewersPerApplication: int(v.reviewersPerApplication),
		decisionDays: int(v.decisionDays),
		reviewDays: int(v.reviewDays || '14'),
		hideIdentity: v.hideIdentity === 'on',
		language: (LOCALES as readonly string[]).includes(v.language) ? (v.language as Locale) : undefined,
		terms: { en: v.termsEn.trim(), sv: v.termsSv.trim(), nl: v.termsNl.trim() },
		milestoneTemplate: v.milestoneTitle
			.map((title, i) => ({ title, months: int(v.milestoneMonths[i] ?? '') }))
			.filter((m) => m.title.trim()),
		paymentTemplate,
		criteria
	};
}

/** Form values for an existing call (or defaults for a new one), in the municipality's time zone. */
export function callToFormValues(call: (Omit<CallInput, 'criteria' | 'language'> & { criteria: CallInput['criteria']; language?: Locale | null }) | null, timeZone: string, now: Date): CallFormValues {
	if (!call) {
		return {
			title: '',
			description: '',
			opensAt: utcToZoned(now, timeZone).slice(0, 10) + 'T09:00',
			closesAt: '',
			minAmount: '',
			maxAmount: '',
			eligibleKinds: [...APPLICANT_KINDS],
			reviewersPerApplication: '2',
			decisionDays: '21',
			reviewDays: '14',
			hideIdentity: '',
			language: '',
			termsEn: '',
			termsSv: '',
			termsNl: '',
			milestoneTitle: [],
			milestoneMonths: [],
			stepPercent: ['80', '20'],
			stepTrigger: ['acceptance', 'final_report'],
			criterionName: [],
			criterionGuidance: [],
			criterionWeight: [],
			criterionScale: []
		};
	}
	return {
		title: call.title,
		description: call.description,
		opensAt: utcToZoned(call.opensAt, timeZone),
		closesAt: call.closesAt ? utcToZoned(call.closesAt, timeZone) : '',
		minAmount: moneyInputValue(call.minAmount),
		maxAmount: moneyInputValue(call.maxAmount),
		eligibleKinds: call.eligibleKinds,
		reviewersPerApplication: String(call.reviewersPerApplication),
		decisionDays: String(call.decisionDays),
		reviewDays: String(call.reviewDays ?? 14),
		hideIdentity: call.hideIdentity ? 'on' : '',
		language: call.language ?? '',
		termsEn: call.terms?.en ?? '',
		termsSv: call.terms?.sv ?? '',
		termsNl: call.terms?.nl ?? '',
		milestoneTitle: (call.milestoneTemplate ?? []).map((m) => m.title),
		milestoneMonths: (call.milestoneTemplate ?? []).map((m) => String(m.months)),
		stepPercent: call.paymentTemplate.map((s) => String(s.percent)),
		stepTrigger: call.paymentTemplate.map((s) => (s.trigger === 'milestone' ? `milestone:${s.milestone}` : s.trigger)),
		criterionName: call.criteria.map((c) => c.name),
		criterionGuidance: call.criteria.map((c) => c.guidance),
		criterionWeight: call.criteria.map((c) => String(c.weight)),
		criterionScale: call.criteria.map((c) => String(c.scaleMax))
	};
}
