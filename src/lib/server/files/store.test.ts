import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bucketStore, fileStore, folderStore, type FileStore, type FilesConfig } from './store.ts';
import { S3_TEST_BUCKET, S3_TEST_KEYS, startS3 } from '../testing/s3.ts';
import { samplePdf } from '../testing/files.ts';

let s3: Awaited<ReturnType<typeof startS3>>;
let place: string;
beforeAll(async () => {
	s3 = await startS3();
	place = mkdtempSync(join(tmpdir(), 'kvarter-store-'));
});
afterAll(async () => {
	await s3.stop();
	rmSync(place, { recursive: true, force: true });
});

const bucketConfig = (prefix: string, keys = S3_TEST_KEYS): FilesConfig => ({
	FILES_DIR: join(place, 'unused'),
	FILES_URL: `s3://${S3_TEST_BUCKET}/${prefix}`,
	S3_ENDPOINT: s3.endpoint,
	S3_REGION: 'us-east-1',
	...keys
});

const stores: [string, () => FileStore][] = [
	['a folder (FILES_DIR)', () => folderStore(join(place, crypto.randomUUID()))],
	['an S3-compatible bucket (FILES_URL)', () => fileStore(bucketConfig(`t/${crypto.randomUUID()}`))]
];

describe.each(stores)('files in %s', (_, make) => {
	it('keeps bytes under a new random id and gives them back exactly', async () => {
		const store = make();
		const pdf = samplePdf();
		const binary = new Uint8Array(256).map((_, i) => i);
		const [a, b] = [await store.save(pdf), await store.save(binary)];
		expect(a).toMatch(/^[a-z0-9-]{36}$/);
		expect(a).not.toBe(b);
		expect(await store.read(a)).toEqual(Buffer.from(pdf));
		expect(await store.read(b)).toEqual(Buffer.from(binary));
		expect(await store.list()).toEqual([a, b].sort());
	});

	it('reads a missing file as ENOENT, removes idempotently, and lists only what is left', async () => {
		const store = make();
		const id = await store.save(samplePdf());
		const other = await store.save(samplePdf());
		await store.remove(id);
		await store.remove(id);
		await expect(store.read(id)).rejects.toMatchObject({ code: 'ENOENT' });
		await expect(store.read(crypto.randomUUID())).rejects.toMatchObject({ code: 'ENOENT' });
		expect(await store.list()).toEqual([other]);
	});

	it('puts a file under a given id once and refuses the id a second time; refuses ids that are not its own', async () => {
		const store = make();
		const id = crypto.randomUUID();
		await store.put(id, samplePdf());
		await expect(store.put(id, new Uint8Array([1, 2, 3]))).rejects.toThrow();
		expect(await store.read(id)).toEqual(Buffer.from(samplePdf()));
		for (const bad of ['../etc/passwd', 'a/b', '', 'x'.repeat(36).toUpperCase()]) {
			await expect(store.read(bad)).rejects.toThrow(/bad file id/);
			await expect(store.put(bad, samplePdf())).rejects.toThrow(/bad file id/);
		}
	});

	it('an empty store lists nothing', async () => {
		expect(await make().list()).toEqual([]);
	});
});

describe('files in a bucket', () => {
	it('live under the prefix only, in the bucket the server holds, stored as the bytes given', async () => {
		const store = fileStore(bucketConfig('kommun/bilagor'));
		const id = await store.save(samplePdf());
		// s3rver keeps objects as files under <dir>/<bucket>/<key>._S3rver_object.
		const stored = readdirSync(join(s3.directory, S3_TEST_BUCKET, 'kommun', 'bilagor'));
		expect(stored).toContain(`${id}._S3rver_object`);
		expect(await bucketStore({ ...bucketConfig('kommun'), FILES_URL: `s3://${S3_TEST_BUCKET}/kommun` }).list()).toEqual([]);
	});

	it('with a key the server does not know is refused, and nothing is stored', async () => {
		const prefix = `wrong/${crypto.randomUUID()}`;
		const store = fileStore(bucketConfig(prefix, { S3_ACCESS_KEY_ID: 'NOT-A-KEY', S3_SECRET_ACCESS_KEY: 'S3RVER' }));
		await expect(store.save(samplePdf())).rejects.toThrow();
		expect(existsSync(join(s3.directory, S3_TEST_BUCKET, ...prefix.split('/')))).toBe(false);
		await expect(store.read(crypto.randomUUID())).rejects.not.toMatchObject({ code: 'ENOENT' });
	});
});
