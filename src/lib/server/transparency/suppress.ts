/**
 * Small-number protection for public statistics. A cell that counts fewer than SMALL grants or
 * people (but more than none) is shown as "fewer than 5", and its amounts with it. So that a
 * hidden cell cannot be recovered by subtracting the shown cells from a published total, every
 * published sum (the table's total, and each group's subtotal such as the priority areas) has
 * either no hidden cell or at least two: when exactly one is hidden, the next smallest cell of the
 * same sum is hidden too. A sum whose only non-zero cell is hidden is not published at all.
 */
export const SMALL = 5;
const TOTAL = '\u0000total';

export interface Cell {
	key: string;
	/** What is counted: grants, or people. */
	count: number;
	/** The group whose subtotal is published too (e.g. priority / other), if any. */
	group?: string;
}

export interface Protected {
	/** Keys of cells shown as "fewer than 5". */
	hidden: Set<string>;
	/** Groups whose subtotal must not be published. */
	hiddenGroups: Set<string>;
	/** The table's total must not be published either (its only non-zero cell is small). */
	totalHidden: boolean;
}

export function protect(cells: Cell[]): Protected {
	const hidden = new Set(cells.filter((c) => c.count > 0 && c.count < SMALL).map((c) => c.key));
	const hiddenGroups = new Set<string>();
	const groups = [...new Set(cells.map((c) => c.group).filter((g): g is string => !!g))];
	// Repeat until stable: hiding a cell for one sum can leave another sum with a single hidden cell.
	for (let changed = true; changed; ) {
		changed = false;
		for (const sum of [null, ...groups]) {
			const members = cells.filter((c) => sum === null || c.group === sum);
			const inSum = members.filter((c) => hidden.has(c.key));
			if (inSum.length !== 1) continue;
			const next = members.filter((c) => !hidden.has(c.key) && c.count > 0).sort((a, b) => a.count - b.count || a.key.localeCompare(b.key))[0];
			if (next) {
				hidden.add(next.key);
				changed = true;
			} else {
				hiddenGroups.add(sum ?? TOTAL);
			}
		}
	}
	const totalHidden = hiddenGroups.delete(TOTAL);
	return { hidden, hiddenGroups, totalHidden };
}
