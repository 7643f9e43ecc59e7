import type { Client, InValue, Transaction } from '@libsql/client';

/** Rows read and written per statement while copying. */
const PAGE = 500;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface SchemaItem {
	type: string;
	name: string;
	sql: string;
}

/** The tables whose rows are copied (with their columns), and the schema to create before and after them. */
async function readSchema(tx: Transaction) {
	const kinds = new Map((await tx.execute("select name, type from pragma_table_list where schema = 'main'")).rows.map((r) => [String(r[0]), String(r[1])]));
	const items = (await tx.execute("select type, name, sql from sqlite_master where sql is not null and name not like 'sqlite_%' order by rowid")).rows.map(
		(r) => ({ type: String(r[0]), name: String(r[1]), sql: String(r[2]) }) as SchemaItem
	);
	// A virtual table's shadow tables are made by the virtual table itself, and filled through it.
	const tables = items.filter((i) => i.type === 'table' && kinds.get(i.name) !== 'shadow');
	const columns = new Map<string, string[]>();
	for (const t of tables) columns.set(t.name, (await tx.execute({ sql: 'select name from pragma_table_info(?)', args: [t.name] })).rows.map((r) => String(r[0])));
	return { tables, columns, later: items.filter((i) => i.type !== 'table') };
}

/**
 * Copies a whole database into an empty one, over any libSQL connection (an embedded file or a
 * libSQL server, either side). The source is read in one read transaction, so the copy is the
 * database as it was at one moment however much is written meanwhile; the target is written in one
 * write transaction, so it holds all of it or nothing. Tables first, then their rows (rowids kept:
 * the search index refers to them), then indexes, triggers and views — triggers made after the
 * rows, so that copying fires none of them. Both clients should use `intMode: 'bigint'`.
 */
export async function copyDatabase(source: Client, target: Client): Promise<void> {
	const existing = Number((await target.execute("select count(*) from sqlite_master where name not like 'sqlite_%'")).rows[0][0]);
	if (existing > 0) throw new Error('The target database is not empty.');
	const read = await source.transaction('read');
	try {
		const { tables, columns, later } = await readSchema(read);
		const write = await target.transaction('write');
		try {
			await write.execute('PRAGMA defer_foreign_keys = ON');
			for (const t of tables) await write.execute(t.sql);
			for (const t of tables) {
				const cols = ['rowid', ...columns.get(t.name)!.map(quote)].join(', ');
				const insert = `insert into ${quote(t.name)} (${cols}) values (${cols.split(', ').map(() => '?').join(', ')})`;
				let after: InValue = -(2n ** 63n);
				for (;;) {
					const page = await read.execute({ sql: `select ${cols} from ${quote(t.name)} where rowid > ? order by rowid limit ${PAGE}`, args: [after] });
					if (page.rows.length === 0) break;
					await write.batch(page.rows.map((r) => ({ sql: insert, args: Array.from(r) as InValue[] })));
					after = page.rows[page.rows.length - 1][0] as InValue;
				}
			}
			const sequences = await read.execute("select count(*) from sqlite_master where name = 'sqlite_sequence'");
			if (Number(sequences.rows[0][0]) > 0) {
				for (const r of (await read.execute('select name, seq from sqlite_sequence')).rows) {
					await write.execute({ sql: 'insert into sqlite_sequence (name, seq) values (?, ?)', args: [r[0], r[1]] });
				}
			}
			for (const item of later) await write.execute(item.sql);
			await write.commit();
		} finally {
			write.close();
		}
	} finally {
		read.close();
	}
}
