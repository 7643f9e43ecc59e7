import { getLocale } from './paraglide/runtime.js';
import { formatMoneyIn, INTL_LOCALE, keptFormatter } from './money.ts';

const intlLocale = () => INTL_LOCALE[getLocale() as keyof typeof INTL_LOCALE] ?? 'en-GB';

let municipalityZone = 'Europe/Stockholm';
/**
 * The municipality's time zone (TIME_ZONE) for every date shown: set once by the root layout, on
 * the server and in the browser (it is one setting for the whole portal).
 */
export function setTimeZone(zone: string) {
	municipalityZone = zone;
}

function dateFormat(options: Intl.DateTimeFormatOptions) {
	const locale = intlLocale();
	return keptFormatter(`date ${locale} ${options.dateStyle} ${options.timeStyle} ${options.timeZone}`, () => new Intl.DateTimeFormat(locale, options));
}

/** Date and time in the reader's language, in the municipality's time zone. */
export function formatDateTime(value: Date | string | number | null | undefined, timeZone = municipalityZone) {
	if (value === null || value === undefined) return '';
	return dateFormat({ dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value));
}

/** A date in the reader's language; a calendar day (YYYY-MM-DD) is shown as that day, whatever the zone. */
export function formatDate(value: Date | string | number | null | undefined, timeZone = municipalityZone) {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return dateFormat({ dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${value}T12:00:00Z`));
	return dateFormat({ dateStyle: 'medium', timeZone }).format(new Date(value));
}

export function formatNumber(value: number, fractionDigits?: number) {
	const locale = intlLocale();
	const options = fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
	return keptFormatter(`number ${locale} ${fractionDigits}`, () => new Intl.NumberFormat(locale, options)).format(value);
}

/** The time of day (hours and minutes) in the reader's language and the municipality's zone. */
export function formatTime(value: Date | string | number, timeZone = municipalityZone) {
	return dateFormat({ timeStyle: 'short', timeZone }).format(new Date(value));
}

/** Money is stored in minor units (öre, cents); it becomes a decimal only when shown. */
export function formatMoney(minor: number, currency: string) {
	return formatMoneyIn(getLocale() as keyof typeof INTL_LOCALE, minor, currency);
}

/** How a payout account is shown: IBAN in groups of four, bankgiro NNN-NNNN, plusgiro NNNNN-N. */
export function formatAccount(kind: string, account: string) {
	if (kind === 'iban') return account.replace(/(.{4})/g, '$1 ').trim();
	if (kind === 'bankgiro') return `${account.slice(0, -4)}-${account.slice(-4)}`;
	if (kind === 'stripe') return account;
	return `${account.slice(0, -1)}-${account.slice(-1)}`;
}
