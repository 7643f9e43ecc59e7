import { BUDGET_CATEGORIES, type BudgetCategory } from '../../domain.ts';
import { moneyInputValue, parseMoney } from '../../money.ts';
import { t } from '../../i18n.ts';
import { field, text, texts, type FieldErrors, type FormValues } from '../form-read.ts';
import type { ApplicationInput } from './service.ts';

/** The application form as typed, to show again after a refusal. */
export type ApplicationFormValues = ReturnType<typeof applicationFormValues>;

/** The application form's fields and their bounds (the service checks the finer limits at each field). */
export const APPLICATION_FORM = {
	title: field.text(1000),
	summary: field.text(5000),
	description: field.text(60_000),
	neighbourhoodIds: field.texts(100, 100),
	targetGroups: field.texts(50, 50),
	expectedParticipants: field.text(20),
	volunteers: field.text(20),
	partners: field.text(10_000),
	startDate: field.text(10),
	endDate: field.text(10),
	coFunding: field.text(30),
	publicName: field.check(),
	requestedAmount: field.text(30),
	lineItem: field.texts(1000, 60),
	lineCategory: field.texts(30, 60),
	lineAmount: field.texts(30, 60),
	file: field.file(),
	fileId: field.text(100),
	/** The row whose Remove button was pressed (the draft is saved without it). */
	removeLine: field.text(5)
};

export function applicationFormValues(fd: FormValues) {
	const removed = /^\d{1,2}$/.test(text(fd, 'removeLine', 5)) ? Number(text(fd, 'removeLine', 5)) : -1;
	const rows = (name: string, max: number) => texts(fd, name, max).slice(0, 60).filter((_, i) => i !== removed);
	return {
		title: text(fd, 'title', 1000),
		summary: text(fd, 'summary', 5000),
		description: text(fd, 'description', 60_000),
		neighbourhoodIds: texts(fd, 'neighbourhoodIds', 100),
		targetGroups: texts(fd, 'targetGroups', 50),
		expectedParticipants: text(fd, 'expectedParticipants', 20),
		volunteers: text(fd, 'volunteers', 20),
		partners: text(fd, 'partners', 10_000),
		startDate: text(fd, 'startDate', 10),
		endDate: text(fd, 'endDate', 10),
		coFunding: text(fd, 'coFunding', 30),
		publicName: fd.get('publicName') === 'on',
		requestedAmount: text(fd, 'requestedAmount', 30),
		lineItem: rows('lineItem', 1000),
		lineCategory: rows('lineCategory', 30),
		lineAmount: rows('lineAmount', 30)
	};
}

const count = (s: string) => (s.trim() === '' ? null : /^\s*\d+\s*$/.test(s) ? Number(s) : NaN);

/**
 * Reads the typed values into an ApplicationInput. Blank budget rows are skipped; numbers that
 * cannot be read become errors next to their field (and nothing is saved).
 */
export function parseApplicationForm(typed: ApplicationFormValues): { input: ApplicationInput; errors: FieldErrors; values: ApplicationFormValues } {
	const errors: FieldErrors = {};
	// Blank budget rows are dropped first, so that row numbers in messages match what is shown again.
	const keep = typed.lineItem.map((item, i) => !!(item.trim() || (typed.lineAmount[i] ?? '').trim()));
	const v = {
		...typed,
		lineItem: typed.lineItem.filter((_, i) => keep[i]),
		lineCategory: typed.lineCategory.filter((_, i) => keep[i]),
		lineAmount: typed.lineAmount.filter((_, i) => keep[i])
	};
	const expectedParticipants = count(v.expectedParticipants);
	if (Number.isNaN(expectedParticipants)) errors.expectedParticipants = t('error_whole_number');
	const volunteers = count(v.volunteers);
	if (Number.isNaN(volunteers)) errors.volunteers = t('error_whole_number');
	const coFunding = v.coFunding.trim() === '' ? 0 : parseMoney(v.coFunding);
	if (coFunding === null) errors.coFunding = t('error_amount_invalid');
	const requestedAmount = v.requestedAmount.trim() === '' ? null : parseMoney(v.requestedAmount);
	if (v.requestedAmount.trim() !== '' && requestedAmount === null) errors.requestedAmount = t('error_amount_invalid');
	const budgetLines: ApplicationInput['budgetLines'] = [];
	v.lineItem.forEach((item, i) => {
		const amount = parseMoney(v.lineAmount[i] ?? '');
		if (amount === null || amount === 0) errors[`lineAmount-${i}`] = t('error_line_amount', { line: i + 1 });
		const category = (BUDGET_CATEGORIES as readonly string[]).includes(v.lineCategory[i]) ? (v.lineCategory[i] as BudgetCategory) : 'other';
		budgetLines.push({ item, category, amount: amount ?? 0 });
	});
	return {
		input: {
			title: v.title,
			summary: v.summary,
			description: v.description,
			neighbourhoodIds: v.neighbourhoodIds,
			targetGroups: v.targetGroups,
			expectedParticipants: Number.isNaN(expectedParticipants) ? null : expectedParticipants,
			volunteers: Number.isNaN(volunteers) ? null : volunteers,
			partners: v.partners,
			startDate: v.startDate,
			endDate: v.endDate,
			coFunding: coFunding ?? 0,
			publicName: v.publicName,
			requestedAmount,
			budgetLines
		},
		errors,
		values: v
	};
}

/** Form values of a saved application. */
export function applicationToFormValues(app: {
	title: string;
	summary: string;
	description: string;
	targetGroups: string[];
	expectedParticipants: number | null;
	volunteers: number | null;
	partners: string;
	startDate: string | null;
	endDate: string | null;
	coFunding: number;
	publicName: boolean;
	requestedAmount: number;
}, neighbourhoodIds: string[], lines: { item: string; category: string; amount: number }[]): ApplicationFormValues {
	return {
		title: app.title,
		summary: app.summary,
		description: app.description,
		neighbourhoodIds,
		targetGroups: app.targetGroups,
		expectedParticipants: app.expectedParticipants?.toString() ?? '',
		volunteers: app.volunteers?.toString() ?? '',
		partners: app.partners,
		startDate: app.startDate ?? '',
		endDate: app.endDate ?? '',
		coFunding: app.coFunding ? moneyInputValue(app.coFunding) : '',
		publicName: app.publicName,
		// An amount equal to the budget's total is shown empty, so it keeps following the budget when
		// a line changes later (after an officer's change request too) instead of going stale.
		requestedAmount: app.requestedAmount && app.requestedAmount !== lines.reduce((n, l) => n + l.amount, 0) ? moneyInputValue(app.requestedAmount) : '',
		lineItem: lines.map((l) => l.item),
		lineCategory: lines.map((l) => l.category),
		lineAmount: lines.map((l) => moneyInputValue(l.amount))
	};
}
