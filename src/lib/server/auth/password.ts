import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.ts';

// Checked case-insensitively; see common-passwords.ts for the source of the list.
const commonPasswords = new Set(
	COMMON_PASSWORDS.split('\n')
		.map((l) => l.trim().toLowerCase())
		.filter(Boolean)
);

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** Returns the message key of the first rule the password breaks, or null. No composition rules (NIST 800-63B). */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
	if (password.length < PASSWORD_MIN) return 'error_password_too_short';
	if (password.length > PASSWORD_MAX) return 'error_password_too_long';
	const lower = password.toLowerCase();
	if (commonPasswords.has(lower)) return 'error_password_common';
	if (context.email && lower === context.email.toLowerCase()) return 'error_password_is_email';
	if (new Set(lower).size === 1) return 'error_password_common';
	return null;
}

export const commonPasswordCount = () => commonPasswords.size;

// argon2id with @node-rs/argon2 defaults (19 MiB, 2 passes, 1 lane): OWASP's minimum.
export function hashPassword(password: string) {
	return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string) {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash() {
	dummyHash ??= hash('kvarter-dummy-password-for-timing');
	return dummyHash;
}
