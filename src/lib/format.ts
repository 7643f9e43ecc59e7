import { getLocale } from './paraglide/runtime.js';
import { formatMoneyIn } from './money.ts';

const intlLocale = () => ({ en: 'en-GB', sv: 'sv-SE', nl: 'nl-BE' })[getLocale()] ?? 'en-GB';

/** Date and time in the reader's language, in the municipality's time zone. */
export function formatDateTime(value: Date | string | number | null | undefined, timeZone = 'Europe/Stockholm') {
	if (value === null || value === undefined) return '';
	return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value));
}

export function formatDate(value: Date | string | number | null | undefined, timeZone = 'Europe/Stockholm') {
	if (value === null || value === undefined) return '';
	return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone }).format(new Date(value));
}

export function formatNumber(value: number) {
	return new Intl.NumberFormat(intlLocale()).format(value);
}

/** Money is stored in minor units (öre, cents); it becomes a decimal only when shown. */
export function formatMoney(minor: number, currency: string) {
	return formatMoneyIn(getLocale() as 'en' | 'sv' | 'nl', minor, currency);
}

/** How a payout account is shown: IBAN in groups of four, bankgiro NNN-NNNN, plusgiro NNNNN-N. */
export function formatAccount(kind: string, account: string) {
	if (kind === 'iban') return account.replace(/(.{4})/g, '$1 ').trim();
	if (kind === 'bankgiro') return `${account.slice(0, -4)}-${account.slice(-4)}`;
	if (kind === 'stripe') return account;
	return `${account.slice(0, -1)}-${account.slice(-1)}`;
}
