import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config.ts';

/**
 * Where uploaded files live: under random ids, in a folder (FILES_DIR, the default) or in an
 * S3-compatible bucket (FILES_URL). A name from a user never reaches the storage, and nothing is
 * public there: every download goes through the portal's access checks. A missing file reads as an
 * `ENOENT` error, whichever the store.
 */
export interface FileStore {
	/** Keeps the bytes under a new random id. */
	save(bytes: Uint8Array): Promise<string>;
	read(id: string): Promise<Buffer>;
	remove(id: string): Promise<void>;
	/** Every id held, in order. */
	list(): Promise<string[]>;
	/** Keeps the bytes under a given id (a restore); refuses an id that is taken. */
	put(id: string, bytes: Uint8Array): Promise<void>;
	/** Where, for messages. */
	readonly where: string;
}

export type FilesConfig = Pick<Config, 'FILES_DIR' | 'FILES_URL' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'>;

const ID = /^[a-z0-9-]{36}$/;
const checked = (id: string) => {
	if (!ID.test(id)) throw new Error('bad file id');
	return id;
};
/** `save` of a store: the bytes under a new random id, through the store's own write. */
const savingWith = (write: (id: string, bytes: Uint8Array) => Promise<unknown>) => async (bytes: Uint8Array) => {
	const id = crypto.randomUUID();
	await write(id, bytes);
	return id;
};
const missing = (id: string) => Object.assign(new Error(`file ${id} not found`), { code: 'ENOENT' });

/** The store the configuration names. */
export function fileStore(config: FilesConfig): FileStore {
	return config.FILES_URL ? bucketStore({ ...config, FILES_URL: config.FILES_URL }) : folderStore(config.FILES_DIR);
}

/** Files in one folder. */
export function folderStore(dir: string): FileStore {
	const root = resolve(dir);
	const pathOf = (id: string) => join(root, checked(id));
	const write = async (id: string, bytes: Uint8Array) => {
		await mkdir(root, { recursive: true });
		await writeFile(pathOf(id), bytes, { flag: 'wx' });
	};
	return {
		where: root,
		save: savingWith(write),
		read: async (id) => readFile(pathOf(id)),
		remove: async (id) => rm(pathOf(id), { force: true }),
		async list() {
			try {
				return (await readdir(root, { withFileTypes: true })).filter((e) => e.isFile() && ID.test(e.name)).map((e) => e.name).sort();
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
				throw err;
			}
		},
		put: async (id, bytes) => write(id, bytes)
	};
}

const clients = new Map<string, S3Client>();
function s3Client(config: FilesConfig) {
	const key = JSON.stringify([config.S3_ENDPOINT, config.S3_REGION, config.S3_ACCESS_KEY_ID, config.S3_SECRET_ACCESS_KEY]);
	let client = clients.get(key);
	if (!client) {
		client = new S3Client({
			region: config.S3_REGION,
			endpoint: config.S3_ENDPOINT,
			// Bucket in the path, not the host name: what S3-compatible services expect.
			forcePathStyle: Boolean(config.S3_ENDPOINT),
			credentials: config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } : undefined,
			// Checksums only where S3 requires them: not every S3-compatible service knows the newer ones.
			requestChecksumCalculation: 'WHEN_REQUIRED',
			responseChecksumValidation: 'WHEN_REQUIRED'
		});
		clients.set(key, client);
	}
	return client;
}

const notFound = (err: unknown) => {
	const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
	return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

/** Files as objects of one bucket under one prefix (`s3://bucket/prefix`). */
export function bucketStore(config: FilesConfig & { FILES_URL: string }): FileStore {
	const url = config.FILES_URL;
	const { hostname: bucket, pathname } = new URL(url);
	const prefix = pathname.replace(/^\/+|\/+$/g, '');
	const keyOf = (id: string) => (prefix ? `${prefix}/${checked(id)}` : checked(id));
	const s3 = s3Client(config);
	const write = async (id: string, bytes: Uint8Array) =>
		s3.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(id), Body: bytes, ContentType: 'application/octet-stream', ContentLength: bytes.byteLength }));
	return {
		where: url,
		save: savingWith(write),
		async read(id) {
			try {
				const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(id) }));
				return Buffer.from(await res.Body!.transformToByteArray());
			} catch (err) {
				if (notFound(err)) throw missing(id);
				throw err;
			}
		},
		async remove(id) {
			await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(id) }));
		},
		async list() {
			const ids: string[] = [];
			let token: string | undefined;
			do {
				const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix ? `${prefix}/` : undefined, ContinuationToken: token }));
				for (const o of page.Contents ?? []) {
					const id = o.Key?.slice(prefix ? prefix.length + 1 : 0);
					if (id && ID.test(id)) ids.push(id);
				}
				token = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (token);
			return ids.sort();
		},
		async put(id, bytes) {
			try {
				await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(id) }));
			} catch (err) {
				if (notFound(err)) return void (await write(id, bytes));
				throw err;
			}
			throw new Error(`file ${id} exists`);
		}
	};
}
