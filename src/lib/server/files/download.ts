import { error } from '@sveltejs/kit';
import { DomainError } from '../errors.ts';

/** Sends a stored file as a download only: clean name, nosniff, sandboxed, never cached. */
export async function downloadResponse(read: () => Promise<{ fileName: string; contentType: string; bytes: Uint8Array }>) {
	try {
		const file = await read();
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
}
