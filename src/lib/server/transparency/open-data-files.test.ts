import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { buildTown, T0 } from '../testing/town.ts';
import { openDataContext, package360Csv, package360Json } from './opendata.ts';
import { openDataBody, openDataFile, type OpenDataKind } from './open-data-files.ts';

let db: TestDb;
let town: Awaited<ReturnType<typeof buildTown>>;
beforeAll(async () => {
	db = await createTestDb({ OPEN_DATA_PREFIX: '360G-town' });
	town = await buildTown(db);
});
afterAll(() => db.cleanup());

const context = () => openDataContext(db.config, new Date(T0));
const fresh = async (kind: OpenDataKind) => {
	let text = '';
	for await (const piece of (kind === 'json' ? package360Json : package360Csv)(db.database.db, context())) text += piece;
	return text;
};
const kept = async (kind: OpenDataKind) => {
	const path = await openDataFile(db.database.db, kind, context());
	return { path, text: readFileSync(path, 'utf8') };
};
const run = (sql: string, args: (string | number)[] = []) => db.database.client.execute({ sql, args });

describe('the open data, kept as files', () => {
	it('is written once and sent again from the same file while nothing it publishes changes', async () => {
		for (const kind of ['json', 'csv'] as const) {
			const first = await kept(kind);
			expect(first.text).toBe(await fresh(kind));
			expect((await kept(kind)).path).toBe(first.path);
		}
		expect(JSON.parse((await kept('json')).text).grants).toHaveLength(15);
		// Asked many times at once while none is kept: one file for all of them.
		await run("update calls set title = 'Town call, renamed once' where id = ?", [town.callId]);
		const paths = await Promise.all(Array.from({ length: 8 }, () => openDataFile(db.database.db, 'json', context())));
		expect(new Set(paths).size).toBe(1);
	});

	it('is written anew after every kind of change to what it publishes, and equals the data read afresh', async () => {
		const [grant] = town.grantIds;
		const changes: [string, string, (string | number)[]][] = [
			['a grant cancelled', "update grants set status = 'cancelled' where id = ?", [grant]],
			['a payment returned', "update payment_tranches set status = 'due' where grant_id = ?", [town.grantIds[1]]],
			['a project renamed', "update applications set title = 'Renamed project' where id = (select application_id from grants where id = ?)", [town.grantIds[2]]],
			['an organisation renamed', "update organisations set name = 'Föreningen Nytt Namn' where name = 'Föreningen Återkomst'", []],
			['a grantee with their name public renamed', "update users set name = 'Olivia Renamed' where email = 'olivia.open@example.org'", []],
			['a neighbourhood renamed', "update neighbourhoods set name = 'Centrum Norra' where id = ?", [town.ids.C]],
			['a call renamed', "update calls set title = 'Town call, renamed' where id = ?", [town.callId]]
		];
		for (const [what, sql, args] of changes) {
			const before = await kept('json');
			await run(sql, args);
			const after = await kept('json');
			expect(after.path, what).not.toBe(before.path);
			expect(after.text, what).toBe(await fresh('json'));
			expect((await kept('csv')).text, what).toBe(await fresh('csv'));
		}
		expect((await kept('json')).text).toContain('Olivia Renamed');
	});

	it('stays the same file when something it does not publish changes', async () => {
		const before = await kept('json');
		// A draft's title (no grant), a person without a grant, a reminder's bookkeeping.
		await run("update applications set title = 'A draft renamed' where id not in (select application_id from grants)");
		await run("update users set name = 'Officer Renamed' where email = 'officer.town@example.org'");
		await run("update neighbourhoods set population = population + 1 where id = ?", [town.ids.D]);
		expect((await kept('json')).path).toBe(before.path);
	});

	it('is sent with its length, and worked out as it streams when its file has gone', async () => {
		const { path, text } = await kept('csv');
		const sent = await openDataBody(db.database.db, 'csv', context());
		expect(sent.length).toBe(Buffer.byteLength(text));
		expect(await new Response(sent.body).text()).toBe(text);
		rmSync(path);
		const again = await openDataBody(db.database.db, 'csv', context());
		expect(again.length).toBeUndefined();
		expect(await new Response(again.body).text()).toBe(await fresh('csv'));
	});
});
