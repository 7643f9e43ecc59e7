import { error } from '@sveltejs/kit';
import { ctxOf } from '#lib/server/auth/guards.ts';
import { getPublicProject } from '#lib/server/transparency/register.ts';
import { DomainError } from '#lib/server/errors.ts';
import { t } from '#lib/i18n.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	try {
		return { project: await getPublicProject(ctxOf(event).database.db, event.params.id.slice(0, 100)) };
	} catch (err) {
		if (err instanceof DomainError) error(404, t('error_not_found'));
		throw err;
	}
};
