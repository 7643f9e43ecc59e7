/**
 * Parses an amount typed by a person ("12 500", "12 500,50", "1.250,00", "1250.5") into integer
 * minor units. Returns null for anything that is not a non-negative amount with at most two
 * decimals. Both "," and "." are accepted as the decimal mark when followed by one or two digits.
 */
export function parseMoney(input: string): number | null {
	let s = input.trim().replace(/[\s\u00a0\u202f]/g, '').replace(/(kr|sek|eur|€)$/i, '').replace(/^(€|kr)/i, '');
	if (s === '' || s.startsWith('-')) return null;
	const dec = /[.,](\d{1,2})$/.exec(s);
	let fraction = 0;
	if (dec) {
		fraction = Number(dec[1].padEnd(2, '0'));
		s = s.slice(0, dec.index);
	}
	// What is left may use . or , as thousands separators, in groups of three.
	if (!/^\d{1,3}([.,]?\d{3})*$/.test(s) && !/^\d+$/.test(s)) return null;
	const whole = Number(s.replace(/[.,]/g, ''));
	if (!Number.isSafeInteger(whole) || whole > 1_000_000_000) return null;
	return whole * 100 + fraction;
}

/** Minor units as a plain editable number ("12500" or "12500.50"), for form fields. */
export function moneyInputValue(minor: number | null | undefined): string {
	if (minor === null || minor === undefined) return '';
	return minor % 100 === 0 ? String(minor / 100) : (minor / 100).toFixed(2);
}

/** Intl locales per language; Arabic with Latin digits, as on the forms, letters and bank statements residents also read. */
export const INTL_LOCALE = { en: 'en-GB', sv: 'sv-SE', nl: 'nl-BE', ar: 'ar-u-nu-latn' } as const;

const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
/**
 * The formatter made by `make`, made once per key and kept (a handful in all: per language,
 * options and currency): making one costs far more than using it, and a list formats every row.
 */
export function keptFormatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
	let f = formatters.get(key) as F | undefined;
	if (!f) formatters.set(key, (f = make()));
	return f;
}

/** Minor units as money in a given language (for emails and messages made on the server). */
export function formatMoneyIn(locale: keyof typeof INTL_LOCALE, minor: number, currency: string) {
	const whole = minor % 100 === 0;
	const lang = INTL_LOCALE[locale];
	return keptFormatter(`money ${lang} ${currency} ${whole}`, () => new Intl.NumberFormat(lang, { style: 'currency', currency, minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 })).format(minor / 100);
}
