import { describe, expect, it } from 'vitest';
import { protect, type Cell } from './suppress.ts';

/** Every published sum minus its shown cells must never be exactly one hidden cell. */
function recoverable(cells: Cell[]) {
	const { hidden, hiddenGroups, totalHidden } = protect(cells);
	const sums = [null, ...new Set(cells.map((c) => c.group).filter(Boolean))].filter((g) => (g === null ? !totalHidden : !hiddenGroups.has(g!)));
	return sums.filter((g) => cells.filter((c) => (g === null || c.group === g) && hidden.has(c.key)).length === 1);
}

describe('small-number protection', () => {
	it('hides cells under 5 (not zero) and a second cell when only one would be hidden', () => {
		const cells = [
			{ key: 'a', count: 12 },
			{ key: 'b', count: 3 },
			{ key: 'c', count: 7 },
			{ key: 'd', count: 0 },
			{ key: 'e', count: 9 }
		];
		const { hidden } = protect(cells);
		// b is small; c (7) is the next smallest, so total − shown cells gives only b + c together.
		expect([...hidden].sort()).toEqual(['b', 'c']);
		expect(recoverable(cells)).toEqual([]);
	});

	it('keeps a table with two small cells as it is', () => {
		expect([...protect([{ key: 'a', count: 2 }, { key: 'b', count: 4 }, { key: 'c', count: 40 }]).hidden].sort()).toEqual(['a', 'b']);
	});

	it('protects group subtotals too (priority areas), hiding the subtotal of a group of one', () => {
		const cells = [
			{ key: 'n1', count: 3, group: 'priority' },
			{ key: 'n2', count: 20, group: 'priority' },
			{ key: 'n3', count: 2, group: 'other' },
			{ key: 'n4', count: 30, group: 'other' },
			{ key: 'n5', count: 11, group: 'solo' }
		];
		const { hidden } = protect(cells);
		expect([...hidden].sort()).toEqual(['n1', 'n2', 'n3', 'n4']);
		expect(recoverable(cells)).toEqual([]);
		const solo = [{ key: 'x', count: 2, group: 'p' }, { key: 'y', count: 8, group: 'q' }, { key: 'z', count: 9, group: 'q' }];
		const p = protect(solo);
		expect(p.hiddenGroups.has('p')).toBe(true);
		expect(recoverable(solo)).toEqual([]);
		expect(protect([{ key: 'only', count: 3 }, { key: 'none', count: 0 }]).totalHidden).toBe(true);
	});

	it('never leaves a single hidden cell in any published sum (random tables)', () => {
		let seed = 7;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		for (let t = 0; t < 500; t++) {
			const cells = Array.from({ length: 2 + Math.floor(rnd() * 8) }, (_, i) => ({ key: `k${i}`, count: Math.floor(rnd() * 12), group: rnd() < 0.5 ? 'p' : 'o' }));
			expect(recoverable(cells)).toEqual([]);
		}
	});
});
