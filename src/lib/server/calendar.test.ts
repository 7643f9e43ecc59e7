import { describe, expect, it } from 'vitest';
import { addMonths, dayOf, endOfDay, localDateTime, noonOf, startOfDay, startOfYear, yearOf } from './calendar.ts';

const TZ = 'Europe/Stockholm';

describe('the municipality calendar', () => {
	it('at 00:30 local time it is already the next day (winter, UTC+1)', () => {
		const at = new Date('2026-12-01T23:30:00Z'); // 00:30 on 2 December in Stockholm
		expect(dayOf(at, TZ)).toBe('2026-12-02');
		expect(at.toISOString().slice(0, 10)).toBe('2026-12-01');
		expect(localDateTime(at, TZ)).toBe('2026-12-02T00:30:00+01:00');
	});

	it('at 00:30 local time in summer (UTC+2)', () => {
		const at = new Date('2026-06-14T22:30:45Z');
		expect(dayOf(at, TZ)).toBe('2026-06-15');
		expect(localDateTime(at, TZ)).toBe('2026-06-15T00:30:45+02:00');
	});

	it('on the spring change (29 March 2026, 02:00 → 03:00) a day is 23 hours', () => {
		const start = startOfDay('2026-03-29', TZ);
		const end = endOfDay('2026-03-29', TZ);
		expect(start.toISOString()).toBe('2026-03-28T23:00:00.000Z');
		expect(end.getTime() - start.getTime()).toBe(23 * 3_600_000);
		expect(localDateTime(new Date('2026-03-29T00:59:00Z'), TZ)).toBe('2026-03-29T01:59:00+01:00');
		expect(localDateTime(new Date('2026-03-29T01:00:00Z'), TZ)).toBe('2026-03-29T03:00:00+02:00');
		expect(noonOf('2026-03-29', TZ).toISOString()).toBe('2026-03-29T10:00:00.000Z');
	});

	it('on the autumn change (25 October 2026, 03:00 → 02:00) a day is 25 hours', () => {
		const start = startOfDay('2026-10-25', TZ);
		const end = endOfDay('2026-10-25', TZ);
		expect(end.getTime() - start.getTime()).toBe(25 * 3_600_000);
		expect(dayOf(new Date('2026-10-25T22:30:00Z'), TZ)).toBe('2026-10-25');
		expect(dayOf(new Date('2026-10-25T23:30:00Z'), TZ)).toBe('2026-10-26');
		expect(localDateTime(new Date('2026-10-25T00:30:00Z'), TZ)).toBe('2026-10-25T02:30:00+02:00');
		expect(localDateTime(new Date('2026-10-25T01:30:00Z'), TZ)).toBe('2026-10-25T02:30:00+01:00');
	});

	it('on 31 December at 23:30 UTC it is already the new year locally', () => {
		const at = new Date('2026-12-31T23:30:00Z');
		expect(yearOf(at, TZ)).toBe(2027);
		expect(startOfYear(at, TZ).toISOString()).toBe('2026-12-31T23:00:00.000Z');
		expect(yearOf(new Date('2026-12-31T22:59:00Z'), TZ)).toBe(2026);
		expect(dayOf(new Date('2026-12-31T22:59:00Z'), TZ)).toBe('2026-12-31');
	});

	it('adds months without running past a short month', () => {
		expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
		expect(addMonths('2026-12-31', 2)).toBe('2027-02-28');
		expect(addMonths('2027-11-15', 3)).toBe('2028-02-15');
	});
});
