import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import type { PayoutKind } from '../../domain.ts';
import { luhnValid } from '../organisations/org-number.ts';
import { DomainError } from '../errors.ts';

export interface PayoutInput {
	kind: PayoutKind;
	account: string;
	bic: string;
	holderName: string;
}

/**
 * Checks payout details and returns them normalised. IBANs are checked with ibantools (country
 * format and mod-97); a BIC is needed for an IBAN outside the SEPA countries' domestic case only
 * when given, and then must be valid. Swedish bankgiro numbers have 7–8 digits and plusgiro 2–8,
 * both ending in a Luhn (mod 10) check digit. Refuses: invalid, with the field.
 */
export function normalisePayout(input: PayoutInput): { kind: PayoutKind; account: string; bic: string | null; holderName: string } {
	const holderName = input.holderName.trim();
	if (!holderName || holderName.length > 140) throw new DomainError('invalid', 'error_holder_name', 'holderName');
	if (input.kind === 'iban') {
		const iban = electronicFormatIBAN(input.account) ?? '';
		if (!isValidIBAN(iban)) throw new DomainError('invalid', 'error_iban', 'account');
		const bic = input.bic.replace(/\s/g, '').toUpperCase();
		if (bic && !isValidBIC(bic)) throw new DomainError('invalid', 'error_bic', 'bic');
		return { kind: 'iban', account: iban, bic: bic || null, holderName };
	}
	const digits = input.account.replace(/[\s-]/g, '');
	const range = input.kind === 'bankgiro' ? /^\d{7,8}$/ : /^\d{2,8}$/;
	if (!range.test(digits) || !luhnValid(digits)) throw new DomainError('invalid', input.kind === 'bankgiro' ? 'error_bankgiro' : 'error_plusgiro', 'account');
	return { kind: input.kind, account: digits, bic: null, holderName };
}
