import { parseMoney } from '../../money.ts';
import { t } from '../../i18n.ts';
import { text, type FieldErrors, type FormValues } from '../form-read.ts';
import type { Decision } from './service.ts';

/** Reads the decision form of the ranking: per application an outcome, an amount, conditions or a reason. */
export function parseDecisions(fd: FormValues) {
	const ids = fd.getAll('applicationId').map((v) => Number(v)).filter((n) => Number.isSafeInteger(n)).slice(0, 200);
	const decisions: Decision[] = [];
	const errors: FieldErrors = {};
	const values: Record<string, string> = {};
	for (const id of ids) {
		const outcome = text(fd, `outcome-${id}`, 10);
		for (const f of ['amount', 'conditions', 'reason']) values[`${f}-${id}`] = text(fd, `${f}-${id}`, 5000);
		values[`outcome-${id}`] = outcome;
		if (outcome === 'approve') {
			const amount = parseMoney(values[`amount-${id}`]);
			if (amount === null) errors[`amount-${id}`] = t('error_amount_invalid');
			else decisions.push({ applicationId: id, outcome: 'approve', amount, conditions: values[`conditions-${id}`] });
		} else if (outcome === 'reject') {
			decisions.push({ applicationId: id, outcome: 'reject', reason: values[`reason-${id}`] });
		}
	}
	return { decisions, errors, values, ids };
}
