import { error } from '@sveltejs/kit';
import { requireUser } from '#lib/server/auth/guards.ts';
import { readAttachment } from '#lib/server/applications/attachments.ts';
import { DomainError } from '#lib/server/errors.ts';
import type { RequestHandler } from './$types';

/** Downloads a file of an application the user may read, always as an attachment. */
export const GET: RequestHandler = async (event) => {
	const ctx = requireUser(event);
	try {
		const file = await readAttachment(ctx, Number(event.params.id), event.params.fileId);
		const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
		return new Response(new Uint8Array(file.bytes), {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
				'x-content-type-options': 'nosniff',
				'cache-control': 'private, no-store',
				'content-security-policy': "default-src 'none'; sandbox"
			}
		});
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') error(404, 'Not found');
		if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') error(404, 'Not found');
		throw err;
	}
};
