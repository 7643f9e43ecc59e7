/**
 * Services refuse with a DomainError: a code the page maps to an HTTP status, the message key
 * the person reads (translated at the edge), and the form field it belongs to, if any.
 */
export type ErrorCode = 'invalid' | 'not_found' | 'forbidden' | 'conflict' | 'throttled' | 'invalid_state';

export interface Issue {
	field: string;
	messageKey: string;
	params?: Record<string, string | number>;
}

export class DomainError extends Error {
	readonly code: ErrorCode;
	readonly messageKey: string;
	readonly field?: string;
	readonly params: Record<string, string | number>;
	/** Several problems at once (a submission checked against all the call's rules). */
	readonly issues: Issue[];

	constructor(code: ErrorCode, messageKey: string, field?: string, params: Record<string, string | number> = {}, issues: Issue[] = []) {
		super(`${code}: ${messageKey}${field ? ` (${field})` : ''}`);
		this.name = 'DomainError';
		this.code = code;
		this.messageKey = messageKey;
		this.field = field;
		this.params = params;
		this.issues = issues;
	}
}

export const STATUS_OF: Record<ErrorCode, number> = {
	invalid: 400,
	not_found: 404,
	forbidden: 403,
	conflict: 409,
	throttled: 429,
	invalid_state: 409
};

export const notFound = () => new DomainError('not_found', 'error_not_found');
