import { redirect } from '@sveltejs/kit';
import { superValidate, message } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { changeEmailSchema, changePasswordSchema, profileSchema } from '#lib/schemas/auth.ts';
import { requireUser } from '#lib/server/auth/guards.ts';
import { failFrom, field, invalid, validateForm, withForm } from '#lib/server/forms.ts';
import { digestWanted, setDigest } from '#lib/server/todo/digest.ts';
import { changePassword, requestEmailChange, updateProfile } from '#lib/server/auth/service.ts';
import { setLocaleCookie } from '#lib/server/auth/cookie.ts';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireUser(event);
	const { actor } = ctx;
	return {
		digest: await digestWanted(ctx),
		email: actor.email,
		roles: actor.roles,
		profile: await superValidate({ name: actor.name, locale: actor.locale }, zod4(profileSchema), { id: 'profile', errors: false }),
		password: await superValidate(zod4(changePasswordSchema), { id: 'password', errors: false }),
		changeEmail: await superValidate(zod4(changeEmailSchema), { id: 'email', errors: false })
	};
};

export const actions: Actions = {
	profile: async (event) => {
		const ctx = requireUser(event);
		const form = await validateForm(event, profileSchema);
		if (!form.valid) return invalid(form);
		try {
			await updateProfile(ctx, form.data);
		} catch (err) {
			return failFrom(form, err);
		}
		setLocaleCookie(event.cookies, ctx.config, form.data.locale);
		// Another language: the page is rendered anew in it (this request's page is in the old one).
		if (form.data.locale !== getLocale()) redirect(303, '/account?saved=profile');
		return message(form, m.account_profile_saved({}, { locale: form.data.locale }));
	},
	password: async (event) => {
		const ctx = requireUser(event);
		const form = await validateForm(event, changePasswordSchema);
		const secrets = ['currentPassword', 'newPassword'];
		if (!form.valid) return invalid(form, ...secrets);
		try {
			await changePassword(ctx, event.locals.sessionToken ?? '', form.data);
		} catch (err) {
			return failFrom(form, err, ...secrets);
		}
		form.data.currentPassword = '';
		form.data.newPassword = '';
		return message(form, m.account_password_changed());
	},
	digest: (event) =>
		withForm(event, { digest: field.check() }, async (data) => {
			await setDigest(requireUser(event), data.digest);
			return { digestSaved: data.digest ? m.account_digest_on() : m.account_digest_off() };
		}),
	email: async (event) => {
		const ctx = requireUser(event);
		const form = await validateForm(event, changeEmailSchema);
		if (!form.valid) return invalid(form, 'password');
		try {
			await requestEmailChange(ctx, form.data);
		} catch (err) {
			return failFrom(form, err, 'password');
		}
		form.data.password = '';
		return message(form, m.account_email_sent({ email: form.data.newEmail }));
	}
};
