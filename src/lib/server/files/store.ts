import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Files live in one folder under random ids; a name from a user never reaches the disk. */
export function fileStore(dir: string) {
	const root = resolve(dir);
	const pathOf = (id: string) => {
		if (!/^[a-z0-9-]{36}$/.test(id)) throw new Error('bad file id');
		return join(root, id);
	};
	return {
		async save(bytes: Uint8Array): Promise<string> {
			await mkdir(root, { recursive: true });
			const id = crypto.randomUUID();
			await writeFile(pathOf(id), bytes, { flag: 'wx' });
			return id;
		},
		read: (id: string) => readFile(pathOf(id)),
		remove: (id: string) => rm(pathOf(id), { force: true })
	};
}
export type FileStore = ReturnType<typeof fileStore>;
