import { eq } from 'drizzle-orm';
import type { Reader } from './client.ts';
import { readRevisions } from './schema/index.ts';

/** A read model's counter (see read_revisions): changes with every write its results depend on. */
export async function revisionOf(db: Reader, name: 'statistics' | 'open_data') {
	const [row] = await db.select({ revision: readRevisions.revision }).from(readRevisions).where(eq(readRevisions.name, name));
	return row?.revision ?? 0;
}

/**
 * Results kept in memory per key (a filter) while a revision counter stays the same: worked out
 * once after each change, then answered from memory, never older than the last write that could
 * change them. Bounded: the least recently used key goes when `size` are kept. A result being
 * worked out is shared by the requests that ask meanwhile.
 */
export class Kept<T> {
	private readonly entries = new Map<string, { revision: number | string; value: Promise<T> }>();
	private readonly size: number;
	constructor(size: number) {
		this.size = size;
	}

	get(key: string, revision: number | string, compute: () => Promise<T>): Promise<T> {
		const hit = this.entries.get(key);
		this.entries.delete(key);
		if (hit && hit.revision === revision) {
			this.entries.set(key, hit);
			return hit.value;
		}
		const value = compute();
		const entry = { revision, value };
		this.entries.set(key, entry);
		value.catch(() => {
			if (this.entries.get(key) === entry) this.entries.delete(key);
		});
		if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
		return value;
	}
}

/** A `Kept` per database: a server has one, but tests open many in one process. */
export function keptPerDatabase<T>(size: number) {
	const all = new WeakMap<object, Kept<T>>();
	return (database: object) => {
		let kept = all.get(database);
		if (!kept) all.set(database, (kept = new Kept<T>(size)));
		return kept;
	};
}
