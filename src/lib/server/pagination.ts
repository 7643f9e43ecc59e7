export interface Page<T> {
	rows: T[];
	total: number;
	page: number;
	pageSize: number;
	pageCount: number;
}

export function pageOf<T>(rows: T[], total: number, page: number, pageSize: number): Page<T> {
	return { rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}
