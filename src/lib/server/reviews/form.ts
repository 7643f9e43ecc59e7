import { RECOMMENDATIONS, type Recommendation } from '../../domain.ts';
import { parseMoney } from '../../money.ts';
import { t } from '../../i18n.ts';
import { text, type FieldErrors, type FormValues } from '../form-read.ts';
import type { ReviewInput } from './service.ts';

/** Reads the review form: one score (radio) and justification per criterion, then the recommendation. */
export function parseReviewForm(fd: FormValues, criterionIds: string[]): { input: ReviewInput; errors: FieldErrors; values: Record<string, string> } {
	const values: Record<string, string> = {};
	const errors: FieldErrors = {};
	const scores: ReviewInput['scores'] = {};
	for (const id of criterionIds) {
		const raw = text(fd, `score-${id}`, 3);
		values[`score-${id}`] = raw;
		values[`justification-${id}`] = text(fd, `justification-${id}`, 3000);
		scores[id] = { score: raw === '' ? null : /^\d+$/.test(raw) ? Number(raw) : NaN, justification: values[`justification-${id}`] };
		if (Number.isNaN(scores[id].score)) errors[`score-${id}`] = t('error_choose_from_list');
	}
	const rec = text(fd, 'recommendation', 30);
	values.recommendation = rec;
	values.suggestedAmount = text(fd, 'suggestedAmount', 30);
	values.commentsForStaff = text(fd, 'commentsForStaff', 6000);
	const suggested = values.suggestedAmount.trim() === '' ? null : parseMoney(values.suggestedAmount);
	if (values.suggestedAmount.trim() !== '' && suggested === null) errors.suggestedAmount = t('error_amount_invalid');
	return {
		input: {
			scores,
			recommendation: (RECOMMENDATIONS as readonly string[]).includes(rec) ? (rec as Recommendation) : null,
			suggestedAmount: suggested,
			commentsForStaff: values.commentsForStaff
		},
		errors,
		values
	};
}
