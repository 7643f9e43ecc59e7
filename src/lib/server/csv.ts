import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null | undefined;

/**
 * The one CSV writer (csv-stringify): RFC 4180 quoting, CRLF line ends, and formula
 * neutralisation — a text cell that a spreadsheet would run as a formula (starting with =, +, -,
 * @, a tab or a carriage return, or their full-width forms) is written with a leading apostrophe.
 * Numbers stay numbers (a negative amount is not a formula); `decimals` fixes their places.
 */
export function toCsv(rows: CsvCell[][], opts: { decimals?: number } = {}): string {
	return stringify(rows, {
		escape_formulas: true,
		record_delimiter: 'windows',
		// A line break inside a cell is quoted, whichever kind it is.
		quoted_match: /[\r\n]/,
		cast: { number: (n) => (opts.decimals === undefined ? String(n) : n.toFixed(opts.decimals)) }
	});
}
