import { PAYOUT_KINDS, type PayoutKind } from '../../domain.ts';
import { parseMoney } from '../../money.ts';
import { t } from '../../i18n.ts';
import { text, texts, type FieldErrors, type FormValues } from '../form-read.ts';
import type { PayoutInput } from './payout.ts';
import type { ReportInput } from './reports.ts';

export function payoutFormValues(fd: FormValues): PayoutInput {
	const kind = text(fd, 'kind', 20);
	return {
		kind: ((PAYOUT_KINDS as readonly string[]).includes(kind) ? kind : 'iban') as PayoutKind,
		account: text(fd, 'account', 60),
		bic: text(fd, 'bic', 20),
		holderName: text(fd, 'holderName', 200)
	};
}

/** Reads a report form: spending per budget line (spent-ID), people per neighbourhood (reached-ID). */
export function parseReportForm(fd: FormValues) {
	const values: Record<string, string> = {};
	const errors: FieldErrors = {};
	for (const [k, v] of fd.entries()) if (typeof v === 'string' && k.length < 60) values[k] = v.slice(0, 10_000);
	const spending: Record<number, number> = {};
	const reached: Record<string, number> = {};
	for (const [k, v] of Object.entries(values)) {
		if (k.startsWith('spent-') && v.trim()) {
			const amount = parseMoney(v);
			if (amount === null) errors[k] = t('error_amount_invalid');
			else spending[Number(k.slice(6))] = amount;
		}
		if (k.startsWith('reached-') && v.trim()) {
			if (!/^\d+$/.test(v.trim())) errors[k] = t('error_whole_number');
			else reached[k.slice(8)] = Number(v);
		}
	}
	const participantsText = (values.participants ?? '').trim();
	if (participantsText && !/^\d+$/.test(participantsText)) errors.participants = t('error_whole_number');
	const unspentText = (values.unspentAmount ?? '').trim();
	const unspent = unspentText ? parseMoney(unspentText) : null;
	if (unspentText && unspent === null) errors.unspentAmount = t('error_amount_invalid');
	const input: ReportInput = {
		narrative: values.narrative ?? '',
		participants: participantsText && /^\d+$/.test(participantsText) ? Number(participantsText) : null,
		participantsByNeighbourhood: reached,
		spending,
		unspentAmount: unspent
	};
	return { input, errors, values };
}

export function milestoneFormValues(fd: FormValues) {
	const titles = texts(fd, 'milestoneTitle', 300);
	const dates = texts(fd, 'milestoneDue', 10);
	return titles.map((title, i) => ({ title, dueDate: dates[i] ?? '' })).filter((m) => m.title.trim() || m.dueDate.trim());
}
