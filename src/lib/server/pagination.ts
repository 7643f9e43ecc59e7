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

/** Messages and timeline events per page of an application's or a grant's page: the newest first, older ones a page further. */
export const THREAD_PAGE_SIZE = 30;

/** The page asked for, from 1 to the deepest page paging reaches (with `depth` rows). */
export function boundedPage(page: number | undefined, pageSize: number, depth = LIST_DEPTH) {
	return Math.min(Math.max(1, page ?? 1), Math.ceil(depth / pageSize));
}

/** A page of rows; with a `depth`, pages stop at that many rows (and `deeper` says so when more match). */
export function pageOf<T>(rows: T[], total: number, page: number, pageSize: number, depth?: number): Page<T> {
	const reached = depth === undefined ? total : Math.min(total, depth);
	return { rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(reached / pageSize)), deeper: depth !== undefined && total > depth ? depth : 0 };
}

/** Rows read by id (`where id in ids`), put back in the order of `ids` (the page's order). */
export function inIdOrder<R extends { id: unknown }>(rows: R[], ids: readonly unknown[]) {
	const at = new Map(ids.map((id, i) => [id, i]));
	return rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
}
