import { requireRole } from '#lib/server/auth/guards.ts';
import { listOutbox } from '#lib/server/email/outbox.ts';
import { getApp } from '#lib/server/app.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = requireRole(event, 'admin');
	const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	return { emails: await listOutbox(ctx, page), smtp: !!getApp().config.SMTP_URL };
};
