/** One formatter per time zone: making one costs far more than using it (the configured zone, and few others). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string) {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
		if (formatters.size < 16) formatters.set(timeZone, f);
	}
	return f;
}

/**
 * Offsets by quarter hour: every time zone in use since 1980 changes its offset on a quarter hour, so an offset
 * found for an instant holds for its whole quarter. Exports turn thousands of dates into days.
 */
const QUARTER = 15 * 60_000;
const offsets = new Map<string, number>();

/** Offset of `timeZone` from UTC at instant `at`, in milliseconds. */
function offsetAt(at: Date, timeZone: string): number {
	const key = `${timeZone} ${Math.floor(at.getTime() / QUARTER)}`;
	const known = offsets.get(key);
	if (known !== undefined) return known;
	const offset = computeOffset(at, timeZone);
	if (offsets.size >= 50_000) offsets.clear();
	offsets.set(key, offset);
	return offset;
}

function computeOffset(at: Date, timeZone: string): number {
	const parts = Object.fromEntries(
		formatterFor(timeZone)
			.formatToParts(at)
			.map((p) => [p.type, p.value])
	);
	const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
	return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** "2026-12-01T17:00" as wall-clock time in `timeZone` → the instant. Null when malformed. */
export function zonedToUtc(local: string, timeZone: string): Date | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local.trim());
	if (!m) return null;
	const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0));
	if (Number.isNaN(guess)) return null;
	// Two passes settle the offset around daylight-saving changes.
	let at = guess - offsetAt(new Date(guess), timeZone);
	at = guess - offsetAt(new Date(at), timeZone);
	const check = new Date(guess);
	if (check.getUTCMonth() !== +m[2] - 1 || check.getUTCDate() !== +m[3]) return null;
	return new Date(at);
}

/** The instant as "YYYY-MM-DDTHH:mm" wall-clock time in `timeZone`, for datetime-local inputs. */
export function utcToZoned(at: Date, timeZone: string): string {
	const local = new Date(at.getTime() + offsetAt(at, timeZone));
	return local.toISOString().slice(0, 16);
}

/** A calendar date "YYYY-MM-DD" that exists. */
export const isIsoDate = (s: string) => {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
