import { error } from '@sveltejs/kit';
import { requireRole } from '#lib/server/auth/guards.ts';
import { paymentFile } from '#lib/server/payments/service.ts';
import { DomainError } from '#lib/server/errors.ts';
import { t } from '#lib/i18n.ts';
import type { RequestHandler } from './$types';

/** Finance downloads a pain.001 credit-transfer file of the chosen due tranches. */
export const POST: RequestHandler = async (event) => {
	const ctx = requireRole(event, 'finance');
	const ids = (await event.request.formData()).getAll('select').map(String).slice(0, 500);
	try {
		const file = await paymentFile(ctx, ids);
		return new Response(file.xml, {
			headers: {
				'content-type': 'application/xml; charset=utf-8',
				'content-disposition': `attachment; filename="${file.messageId}.xml"`,
				'x-content-type-options': 'nosniff',
				'cache-control': 'no-store'
			}
		});
	} catch (err) {
		if (err instanceof DomainError) error(400, t(err.messageKey));
		throw err;
	}
};
