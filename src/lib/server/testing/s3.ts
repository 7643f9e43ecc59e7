import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The keys of the S3-compatible test server (it refuses other access key ids). */
export const S3_TEST_KEYS = { S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' };
export const S3_TEST_BUCKET = 'kvarter-test';

/** Under `npm run test:sqld`, the files of each test database go to a prefix of its own in the test server's bucket. */
export const testFilesConfig = (): Record<string, string> =>
	process.env.KVARTER_TEST_S3 ? { FILES_URL: `s3://${S3_TEST_BUCKET}/${crypto.randomUUID()}`, S3_ENDPOINT: process.env.KVARTER_TEST_S3, ...S3_TEST_KEYS } : {};

/**
 * An S3-compatible server (s3rver) on loopback, with one bucket, storing in a folder of its own. `npm run test:sqld` starts one for every test
 * process (KVARTER_TEST_S3), and the file store's own tests start theirs.
 */
export async function startS3() {
	const dir = mkdtempSync(join(tmpdir(), 'kvarter-s3-'));
	const { default: S3rver } = await import('s3rver');
	const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: S3_TEST_BUCKET, configs: [] }] });
	const { port } = (await server.run()) as { port: number };
	return {
		endpoint: `http://127.0.0.1:${port}`,
		directory: dir,
		async stop() {
			await server.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
