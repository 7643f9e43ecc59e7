export interface Page<T> {
	rows: T[];
	total: number;
	page: number;
	pageSize: number;
	pageCount: number;
	/** When more rows match than paging reaches in this order: how many it reaches (LIST_DEPTH); filters, search or another order find the rest. Else 0. */
	deeper: number;
}

/**
 * How far paging reaches into a long list in one order, in rows. Each page is read by skipping the
 * rows before it, so a page's cost grows with its depth: bounded here, the deepest page costs the
 * same at 10 000 applications as at a million. Filters, search and the other orders reach the rest.
 */
export const LIST_DEPTH = 10_000;

/** The page asked for, from 1 to the deepest page paging reaches (with LIST_DEPTH rows). */
export function boundedPage(page: number | undefined, pageSize: number) {
	return Math.min(Math.max(1, page ?? 1), Math.ceil(LIST_DEPTH / pageSize));
}

/** A page of rows; with `bounded`, pages stop at LIST_DEPTH rows (and `deeper` says so when more match). */
export function pageOf<T>(rows: T[], total: number, page: number, pageSize: number, bounded = false): Page<T> {
	const reached = bounded ? Math.min(total, LIST_DEPTH) : total;
	return { rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(reached / pageSize)), deeper: bounded && total > LIST_DEPTH ? LIST_DEPTH : 0 };
}
