import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './client.ts';

// The kept statements of statements.ts on a bare database file (no migrations needed).
let database: Database;
let dir: string;
const open = async () => {
	dir = mkdtempSync(join(tmpdir(), 'kvarter-statements-'));
	database = await openDatabase({ url: `file:${join(dir, 'x.db')}` });
	return database.client;
};
afterEach(() => {
	database.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('kept prepared statements', () => {
	it('answer the same statement again with its new arguments and the rows of the moment', async () => {
		const client = await open();
		await client.execute('create table t (x integer primary key, label text)');
		for (let i = 1; i <= 300; i++) await client.execute({ sql: 'insert into t (label) values (?)', args: [`row ${i}`] });
		const q = 'select x, label from t where x >= ? order by x';
		expect((await client.execute({ sql: q, args: [1] })).rows).toHaveLength(300);
		expect((await client.execute({ sql: q, args: [299] })).rows.map((r) => r.label)).toEqual(['row 299', 'row 300']);
		await client.execute({ sql: 'update t set label = ? where x = 300', args: ['changed'] });
		expect((await client.execute({ sql: q, args: [300] })).rows[0].label).toBe('changed');
	});

	it('follow a change of the schema: new columns of `select *` appear, a dropped table is an error', async () => {
		const client = await open();
		await client.execute('create table t (x integer)');
		await client.execute('insert into t values (1)');
		expect((await client.execute('select * from t')).columns).toEqual(['x']);
		await client.execute('alter table t add column y text');
		await client.execute("update t set y = 'new'");
		const after = await client.execute('select * from t');
		expect(after.columns).toEqual(['x', 'y']);
		expect(after.rows[0].y).toBe('new');
		await client.execute('drop table t');
		await expect(client.execute('select * from t')).rejects.toThrow(/no such table/);
	});

	it('work inside transactions, and after a statement that failed', async () => {
		const client = await open();
		await client.execute('create table t (x integer primary key)');
		await expect(client.execute({ sql: 'insert into t values (?), (?)', args: [1, 1] })).rejects.toThrow(/UNIQUE/);
		expect((await client.execute('select count(*) as n from t')).rows[0].n).toBe(0);
		const tx = await client.transaction('write');
		await tx.execute({ sql: 'insert into t values (?)', args: [7] });
		expect((await tx.execute('select count(*) as n from t')).rows[0].n).toBe(1);
		await tx.rollback();
		expect((await client.execute('select count(*) as n from t')).rows[0].n).toBe(0);
		await client.execute({ sql: 'insert into t values (?)', args: [7] });
		expect((await client.execute('select count(*) as n from t')).rows[0].n).toBe(1);
	});
});
