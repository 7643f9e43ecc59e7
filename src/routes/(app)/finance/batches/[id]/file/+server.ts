import { requireRole } from '#lib/server/auth/guards.ts';
import { attempt } from '#lib/server/forms.ts';
import { batchFile } from '#lib/server/payments/batches.ts';
import type { RequestHandler } from './$types';

/** The batch's pain.001 file, exactly as it was built. */
export const GET: RequestHandler = async (event) => {
	const ctx = requireRole(event, 'finance');
	const result = await attempt({}, () => batchFile(ctx, event.params.id));
	if (!('ok' in result)) return new Response(null, { status: 400 });
	return new Response(result.value.xml, {
		headers: {
			'content-type': 'application/xml; charset=utf-8',
			'content-disposition': `attachment; filename="${result.value.messageId}.xml"`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'no-store'
		}
	});
};
