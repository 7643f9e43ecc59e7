import { z } from 'zod';
import { LOCALES } from '../roles.ts';

// Messages are message keys; the server translates them (src/lib/server/forms.ts).
const email = z.string().trim().min(1, 'error_email_required').max(254, 'error_email_invalid').email('error_email_invalid');
const newPassword = z.string().min(8, 'error_password_too_short').max(256, 'error_password_too_long');
const locale = z.enum(LOCALES, { error: 'error_locale_invalid' });
const name = z.string().trim().min(1, 'error_name_required').max(100, 'error_name_too_long');

export const signUpSchema = z.object({ name, email, password: newPassword, locale });
export const signInSchema = z.object({
	email,
	password: z.string().min(1, 'error_password_required').max(256, 'error_password_too_long'),
	next: z.string().max(500).default('/')
});
export const forgotPasswordSchema = z.object({ email });
export const tokenSchema = z.object({ token: z.string().max(100).default('') });
export const resetPasswordSchema = z.object({ token: z.string().max(100).default(''), password: newPassword });
export const changePasswordSchema = z.object({
	currentPassword: z.string().min(1, 'error_password_required').max(256, 'error_password_too_long'),
	newPassword
});
export const changeEmailSchema = z.object({
	newEmail: email,
	password: z.string().min(1, 'error_password_required').max(256, 'error_password_too_long')
});
export const profileSchema = z.object({ name, locale });
