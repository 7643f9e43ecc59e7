import { field, readForm } from '#lib/server/forms.ts';
import { error } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { getUser, grantRole, revokeRole, setUserDisabled } from '#lib/server/users/service.ts';
import { DomainError } from '#lib/server/errors.ts';
import { ROLES } from '#lib/roles.ts';
import { t } from '#lib/i18n.ts';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'admin');
	try {
		return { user: await getUser(ctx, event.params.id), allRoles: ROLES, self: ctx.actor.id === event.params.id };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, t('error_not_found'));
		throw err;
	}
};

/** Runs one admin operation; a refusal becomes a message on the page, never a 500. */
async function run(op: () => Promise<void>, done: string) {
	try {
		await op();
		return { done };
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		if (err.code === 'not_found') error(404, t('error_not_found'));
		return fail(err.code === 'forbidden' ? 403 : 400, { problem: t(err.messageKey) });
	}
}

export const actions: Actions = {
	grant: async (event) => {
		const ctx = requireRole(event, 'admin');
		const form = await readForm(event, { role: field.text(30) });
		if (!('ok' in form)) return form;
		const { role } = form.data;
		return run(() => grantRole(ctx, event.params.id, role), t('admin_role_granted', { role: t(`role_${role}`) }));
	},
	revoke: async (event) => {
		const ctx = requireRole(event, 'admin');
		const form = await readForm(event, { role: field.text(30) });
		if (!('ok' in form)) return form;
		const { role } = form.data;
		return run(() => revokeRole(ctx, event.params.id, role), t('admin_role_revoked', { role: t(`role_${role}`) }));
	},
	disable: async (event) => {
		const ctx = requireRole(event, 'admin');
		return run(() => setUserDisabled(ctx, event.params.id, true), t('admin_user_disabled'));
	},
	enable: async (event) => {
		const ctx = requireRole(event, 'admin');
		return run(() => setUserDisabled(ctx, event.params.id, false), t('admin_user_enabled'));
	}
};
