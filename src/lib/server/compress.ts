import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

/**
 * Pages and their data are sent gzip-compressed to browsers that accept it: HTML of a list page
 * shrinks to a fifth, which matters on a phone on a slow connection. Compression runs in zlib's
 * thread pool, not on the event loop: an answer already whole in memory (it states its length,
 * as a rendered page does) in one piece, a streamed one through CompressionStream. Downloads
 * (anything sent as an attachment: exports, payment files, the open data) and small answers are
 * left as they are.
 */
const gzipWhole = promisify(gzip);
const COMPRESSIBLE = /^(text\/html|application\/json)\b/i;

/** Below this many bytes compression saves less than it costs. */
export const MIN_COMPRESSED_BYTES = 1024;

/** Whether an Accept-Encoding header allows gzip (`gzip`, `gzip;q=0.5`, `*`; not `gzip;q=0`). */
export function acceptsGzip(header: string | null): boolean {
	if (!header) return false;
	let star: boolean | null = null;
	for (const part of header.split(',')) {
		const [name, ...params] = part.toLowerCase().split(';').map((p) => p.trim());
		const q = params.find((p) => p.startsWith('q='));
		const allowed = q === undefined || Number(q.slice(2)) > 0;
		if (name === 'gzip' || name === 'x-gzip') return allowed;
		if (name === '*') star = allowed;
	}
	return star === true;
}

/** The response compressed for this request, or the response unchanged when it should not be. */
export async function compressed(request: Request, response: Response): Promise<Response> {
	const h = response.headers;
	if (!response.body || request.method === 'HEAD' || h.has('content-encoding') || h.has('content-disposition')) return response;
	if (!COMPRESSIBLE.test(h.get('content-type') ?? '')) return response;
	const length = h.get('content-length');
	if (length !== null && Number(length) < MIN_COMPRESSED_BYTES) return response;
	if (!acceptsGzip(request.headers.get('accept-encoding'))) {
		// Sent as it is (the answer differs with Accept-Encoding; the headers of a rendered page can be changed).
		h.append('vary', 'Accept-Encoding');
		return response;
	}
	// A copy of the headers: a response's own may be immutable.
	const headers = new Headers(h);
	headers.append('vary', 'Accept-Encoding');
	const init = { status: response.status, statusText: response.statusText, headers };
	headers.set('content-encoding', 'gzip');
	if (length !== null) {
		// Whole already: one call into zlib and one write (a stream costs more than the packing of a page).
		const packed = await gzipWhole(new Uint8Array(await response.arrayBuffer()));
		headers.set('content-length', String(packed.byteLength));
		return new Response(new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength), init);
	}
	return new Response(response.body.pipeThrough(new CompressionStream('gzip')), init);
}
