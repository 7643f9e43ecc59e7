import { describe, expect, it } from 'vitest';
import { commonPasswordCount, hashPassword, passwordProblem, verifyPassword } from './password.ts';

describe('password rules', () => {
	it('ships a list of thousands of common passwords', () => {
		expect(commonPasswordCount()).toBeGreaterThanOrEqual(5000);
	});

	it('refuses short, overlong, common and email-equal passwords, and nothing else', () => {
		expect(passwordProblem('short7!')).toBe('error_password_too_short');
		expect(passwordProblem('x'.repeat(257))).toBe('error_password_too_long');
		expect(passwordProblem('password')).toBe('error_password_common');
		expect(passwordProblem('Password1')).toBe('error_password_common');
		expect(passwordProblem('qwertyuiop')).toBe('error_password_common');
		expect(passwordProblem('aaaaaaaaaaaa')).toBe('error_password_common');
		expect(passwordProblem('amina@example.se', { email: 'Amina@example.se' })).toBe('error_password_is_email');
		// No composition rules: a long phrase of lowercase words is fine.
		expect(passwordProblem('fika i parken varje fredag')).toBeNull();
		expect(passwordProblem('12345678')).toBe('error_password_common');
	});

	it('refuses passwords built from the person’s name, email address or the site’s names, and not phrases that merely contain them', () => {
		const who = { name: 'Amina Hassan', email: 'amina.hassan@example.se', site: 'Älvstads kommun' };
		for (const pw of ['Amina2024!', 'hassan-amina', 'amina.hassan', 'AMINA.HASSAN@example.se!', 'Kvarter2026!', 'älvstads 2026', 'kommun!!2026', 'Hassan#1987']) {
			expect(passwordProblem(pw, who), pw).toBe('error_password_personal');
		}
		for (const pw of ['amina bakar kanelbullar på fredag', 'fika i parken varje fredag', 'tre små grodor hoppar']) expect(passwordProblem(pw, who), pw).toBeNull();
	});

	it('hashes with argon2id and verifies only the right password', async () => {
		const hash = await hashPassword('fika i parken varje fredag');
		expect(hash.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(hash, 'fika i parken varje fredag')).toBe(true);
		expect(await verifyPassword(hash, 'fika i parken varje lördag')).toBe(false);
		expect(await verifyPassword('not a hash', 'anything')).toBe(false);
	});
});
