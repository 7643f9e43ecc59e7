import { getLocale } from './paraglide/runtime.js';
import { formatMoneyIn, INTL_LOCALE } from './money.ts';

const intlLocale = () => INTL_LOCALE[getLocale() as keyof typeof INTL_LOCALE] ?? 'en-GB';

let municipalityZone = 'Europe/Stockholm';
/**
 * The municipality's time zone (TIME_ZONE) for every date shown: set once by the root layout, on
 * the server and in the browser (it is one setting for the whole portal).
 */
export function setTimeZone(zone: string) {
	municipalityZone = zone;
}

/**
 * Formatters are made once per language and options and kept (a handful in all): making one costs
 * far more than using it, and a list page formats a date and an amount on every row.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(options: Intl.DateTimeFormatOptions) {
	const locale = intlLocale();
	const key = `${locale} ${options.dateStyle} ${options.timeStyle} ${options.timeZone}`;
	let f = dateFormats.get(key);
	if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale, options)));
	return f;
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

const numberFormats = new Map<string, Intl.NumberFormat>();
export function formatNumber(value: number, fractionDigits?: number) {
	const locale = intlLocale();
	const key = `${locale} ${fractionDigits}`;
	let f = numberFormats.get(key);
	if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })));
	return f.format(value);
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
