import { error } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { getOutboxEmail } from '#lib/server/email/outbox.ts';
import { DomainError } from '#lib/server/errors.ts';
import { t } from '#lib/i18n.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'admin');
	const id = Number(event.params.id);
	if (!Number.isInteger(id) || id < 1) error(404, t('error_not_found'));
	try {
		const { htmlBody: _html, ...email } = await getOutboxEmail(ctx, id);
		return { email };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, t('error_not_found'));
		throw err;
	}
};
