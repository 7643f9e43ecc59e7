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

/**
 * Returns the message key of the first rule the password breaks, or null. No composition rules
 * (NIST 800-63B), but never a common password, nor one built from the person's own name or email
 * address or the site's or municipality's name ("Amina2024!", "kvarter123").
 */
export function passwordProblem(password: string, context: { email?: string; name?: string; site?: string } = {}): string | null {
	if (password.length < PASSWORD_MIN) return 'error_password_too_short';
	if (password.length > PASSWORD_MAX) return 'error_password_too_long';
	const lower = password.toLowerCase();
	if (commonPasswords.has(lower)) return 'error_password_common';
	if (context.email && lower === context.email.toLowerCase()) return 'error_password_is_email';
	if (new Set(lower).size === 1) return 'error_password_common';
	if (builtFrom(lower, personalWords(context))) return 'error_password_personal';
	return null;
}

/** Words a guesser would try first: the parts of the name, the email address and the site's names. */
function personalWords(context: { email?: string; name?: string; site?: string }): string[] {
	const email = context.email?.toLowerCase() ?? '';
	const local = email.split('@')[0] ?? '';
	const words = [email, local, ...[context.name, local, context.site, 'kvarter'].flatMap((s) => (s ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u))];
	return [...new Set(words.filter((w) => w.length >= 3))].sort((a, b) => b.length - a.length);
}

/** True when taking those words out leaves fewer than four letters (the rest is digits and signs). */
function builtFrom(lower: string, words: string[]): boolean {
	let rest = lower;
	for (const w of words) rest = rest.split(w).join(' ');
	if (rest === lower) return false;
	return rest.replace(/[^\p{L}]/gu, '').length < 4;
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
