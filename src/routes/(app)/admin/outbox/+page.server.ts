import { requireRole } from '#lib/server/auth/guards.ts';
import { listOutbox } from '#lib/server/email/outbox.ts';
import { getApp } from '#lib/server/app.ts';
import type { PageServerLoad } from './$types';
import { pageQ, readQuery } from '#lib/server/query.ts';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'admin');
	const { page } = readQuery(event.url, { page: pageQ });
	return { emails: await listOutbox(ctx, page), smtp: !!getApp().config.SMTP_URL };
};
