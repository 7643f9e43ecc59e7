import { describe, expect, it } from 'vitest';
import { acceptsGzip, compressed, MIN_COMPRESSED_BYTES } from './compress.ts';

const page = '<!doctype html><html lang="sv"><body>' + '<p>Grannskapsfika i Norrbacka – välkomna!</p>'.repeat(200) + '</body></html>';
const get = (acceptEncoding: string | null, method = 'GET') => new Request('http://localhost/projects', { method, headers: acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding } });
const html = (body: string, headers: Record<string, string> = {}) => new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'a=1', ...headers } });
const unzip = async (r: Response) => new Response(r.body!.pipeThrough(new DecompressionStream('gzip'))).text();

describe('compressed answers', () => {
	it('sends a page gzip-compressed to a browser that accepts it, byte for byte the same once unpacked, cookies kept', async () => {
		const r = await compressed(get('gzip, deflate, br, zstd'), html(page));
		expect(r.headers.get('content-encoding')).toBe('gzip');
		expect(r.headers.get('vary')).toBe('Accept-Encoding');
		expect(r.headers.getSetCookie()).toEqual(['a=1']);
		const packed = new Uint8Array(await r.clone().arrayBuffer());
		expect(packed.length).toBeLessThan(page.length / 5);
		expect(await unzip(r)).toBe(page);
	});

	it('packs a page already whole in one piece and says its packed length; a streamed answer is packed as it streams', async () => {
		const length = String(new TextEncoder().encode(page).byteLength);
		const whole = await compressed(get('gzip'), html(page, { 'content-length': length }));
		const packed = new Uint8Array(await whole.clone().arrayBuffer());
		expect([whole.headers.get('content-encoding'), whole.headers.get('content-length')]).toEqual(['gzip', String(packed.byteLength)]);
		expect(await unzip(whole)).toBe(page);
		const streamed = await compressed(get('gzip'), html(page));
		expect([streamed.headers.get('content-encoding'), streamed.headers.get('content-length')]).toEqual(['gzip', null]);
		expect(await unzip(streamed)).toBe(page);
	});

	it('leaves alone what should not be compressed', async () => {
		const untouched = await Promise.all([
			compressed(get(null), html(page)),
			compressed(get('identity'), html(page)),
			compressed(get('gzip;q=0, *'), html(page)),
			compressed(get('gzip', 'HEAD'), html(page)),
			compressed(get('gzip'), html(page, { 'content-disposition': 'attachment; filename="grants.json"' })),
			compressed(get('gzip'), new Response(page, { headers: { 'content-type': 'text/csv' } })),
			compressed(get('gzip'), html('<p>Hej</p>', { 'content-length': String('<p>Hej</p>'.length) }))
		]);
		for (const r of untouched) {
			expect(r.headers.get('content-encoding')).toBeNull();
		}
		expect(await untouched[0].text()).toBe(page);
		expect('<p>Hej</p>'.length).toBeLessThan(MIN_COMPRESSED_BYTES);
	});

	it('reads Accept-Encoding as HTTP defines it', () => {
		expect([acceptsGzip('gzip'), acceptsGzip('br, GZIP;q=0.8'), acceptsGzip('*'), acceptsGzip('x-gzip')]).toEqual([true, true, true, true]);
		expect([acceptsGzip(null), acceptsGzip(''), acceptsGzip('br'), acceptsGzip('gzip;q=0'), acceptsGzip('*;q=0'), acceptsGzip('gzip;q=0, *')]).toEqual([false, false, false, false, false, false]);
	});
});
