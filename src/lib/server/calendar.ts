import { zonedToUtc, utcToZoned } from './time.ts';

/**
 * The municipality's calendar: every date that money, deadlines or statistics depend on is a day
 * in `TIME_ZONE`, never the UTC day. At 00:30 in Stockholm it is already tomorrow there while UTC
 * still says yesterday; a payment file made then must ask the bank for Stockholm's today.
 */

/** The calendar day (YYYY-MM-DD) of the instant in `timeZone`. */
export function dayOf(at: Date, timeZone: string): string {
	return utcToZoned(at, timeZone).slice(0, 10);
}

/** Today in the municipality. */
export const today = (ctx: { now: Date; config: { TIME_ZONE: string } }) => dayOf(ctx.now, ctx.config.TIME_ZONE);

/** The calendar year of the instant in `timeZone`. */
export const yearOf = (at: Date, timeZone: string) => Number(dayOf(at, timeZone).slice(0, 4));

/** A day plus `n` days (may be negative). */
export function addDays(day: string, n: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

/** A day plus `n` calendar months; the 31st of a shorter month becomes its last day. */
export function addMonths(day: string, n: number): string {
	const [y, m, d] = day.split('-').map(Number);
	const first = new Date(Date.UTC(y, m - 1 + n, 1));
	const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	first.setUTCDate(Math.min(d, last));
	return first.toISOString().slice(0, 10);
}

/** The first instant of a local day. */
export function startOfDay(day: string, timeZone: string): Date {
	const at = zonedToUtc(day, timeZone);
	if (!at) throw new Error(`not a day: ${day}`);
	return at;
}

/** The first instant after a local day (its end, exclusive). */
export const endOfDay = (day: string, timeZone: string) => startOfDay(addDays(day, 1), timeZone);

/** Noon of a local day: the instant a payment "paid on" that day is booked at. */
export function noonOf(day: string, timeZone: string): Date {
	const at = zonedToUtc(`${day}T12:00`, timeZone);
	if (!at) throw new Error(`not a day: ${day}`);
	return at;
}

/** The first instant of the local calendar year of `at`. */
export const startOfYear = (at: Date, timeZone: string) => startOfDay(`${yearOf(at, timeZone)}-01-01`, timeZone);

/** ISO 8601 local date-time with its offset, e.g. "2026-12-01T00:30:00+01:00" (payment files' creation time). */
export function localDateTime(at: Date, timeZone: string): string {
	const minute = Math.floor(at.getTime() / 60_000) * 60_000;
	const local = utcToZoned(new Date(minute), timeZone);
	const offsetMin = Math.round((Date.parse(`${local}:00Z`) - minute) / 60_000);
	const abs = Math.abs(offsetMin);
	const secs = String(Math.floor((at.getTime() - minute) / 1000)).padStart(2, '0');
	return `${local}:${secs}${offsetMin >= 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
